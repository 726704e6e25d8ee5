package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.OptionalDouble;

/**
 * The outcome of one check against one snapshot.
 *
 * @param metricName what was measured, e.g. {@code mean(revenue)} or {@code duplicates(order_id)}
 * @param metric the measured value; empty when the check errored or has no numeric metric
 * @param threshold the rule the metric was held to, e.g. {@code <= 100000} or {@code = 0}
 * @param failingRows rows that broke a row-level rule (0 when not a row-level rule)
 * @param samples up to a few failing values or keys, for the report
 * @param message one line a person can act on
 * @param history an anomaly check's published values of its metric, oldest first, that the measured
 *     value was held to; empty for every other check
 */
public record CheckResult(
    Check check,
    CheckStatus status,
    String metricName,
    OptionalDouble metric,
    String threshold,
    MetricSource source,
    long failingRows,
    List<String> samples,
    String message,
    List<Double> history) {

  public CheckResult {
    requireNonNull(check, "check is null");
    requireNonNull(status, "status is null");
    requireNonNull(metricName, "metricName is null");
    requireNonNull(metric, "metric is null");
    requireNonNull(threshold, "threshold is null");
    requireNonNull(source, "source is null");
    samples = List.copyOf(requireNonNull(samples, "samples is null"));
    requireNonNull(message, "message is null");
    history = List.copyOf(requireNonNull(history, "history is null"));
  }

  /** A result with no history: that of every check but an anomaly check. */
  public CheckResult(
      Check check,
      CheckStatus status,
      String metricName,
      OptionalDouble metric,
      String threshold,
      MetricSource source,
      long failingRows,
      List<String> samples,
      String message) {
    this(
        check,
        status,
        metricName,
        metric,
        threshold,
        source,
        failingRows,
        samples,
        message,
        List.of());
  }

  /** The metric when it is a finite number; null when it could not be computed (or is NaN). */
  public Double finiteMetric() {
    return metric.isPresent() && Double.isFinite(metric.getAsDouble())
        ? metric.getAsDouble()
        : null;
  }

  /** Whether this result stops publishing: an error-severity check that failed or errored. */
  public boolean blocks() {
    return check.blocksPublish() && (status == CheckStatus.FAIL || status == CheckStatus.ERROR);
  }

  static CheckResult error(Check check, String metricName, String message) {
    return new CheckResult(
        check,
        CheckStatus.ERROR,
        metricName,
        OptionalDouble.empty(),
        "-",
        MetricSource.NONE,
        0,
        List.of(),
        message);
  }
}
