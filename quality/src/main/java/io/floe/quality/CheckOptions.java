package io.floe.quality;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings only some check types use. Unused ones keep their defaults.
 *
 * @param values accepted values ({@code accepted-values})
 * @param expression a regular expression ({@code pattern}) or a row predicate ({@code predicate})
 * @param quantile the quantile in (0, 1) ({@code quantile}, {@code median} = 0.5)
 * @param maxAge how old the newest row may be ({@code freshness})
 * @param freshnessAnchor what the age is measured against ({@code freshness})
 * @param reference the table whose published column holds the allowed values ({@code references})
 * @param referenceColumn that column ({@code references})
 * @param expectedColumns column name to Iceberg type, e.g. {@code long}, {@code decimal(12,2)}
 * @param strictSchema whether columns beyond {@code expectedColumns} fail ({@code schema})
 * @param metric the measured check for {@code change} and {@code anomaly} (e.g. a {@code mean})
 * @param sigma how many standard deviations from the historical mean pass ({@code anomaly})
 * @param history how many of the latest publishes form the history ({@code anomaly})
 * @param range the bounds as written ({@code min}, {@code max}), read in the column's type when it
 *     is not numeric
 * @param against the other table's metric a {@code reconcile} check compares with; the table is
 *     {@code reference}
 * @param referenceAt the branch or tag of {@code reference} whose snapshot a {@code reconcile}
 *     check compares with; its {@code main} when empty
 * @param maxFraction the fraction of the measured rows a row rule ({@code accepted-values}, {@code
 *     pattern}, {@code length}, {@code predicate}, {@code references}) may break and still pass
 */
public record CheckOptions(
    List<String> values,
    Optional<String> expression,
    double quantile,
    Optional<Duration> maxAge,
    FreshnessAnchor freshnessAnchor,
    Optional<TableRef> reference,
    Optional<String> referenceColumn,
    Map<String, String> expectedColumns,
    boolean strictSchema,
    Optional<Check> metric,
    double sigma,
    int history,
    ValueRange range,
    double maxFraction,
    Optional<Check> against,
    Optional<String> referenceAt) {
  public static final double QUANTILE_DEFAULT = 0.5;
  public static final double SIGMA_DEFAULT = 3.0;
  public static final int HISTORY_DEFAULT = 10;

  /** Fewer published values than this make an anomaly check not applicable. */
  public static final int MIN_HISTORY = 3;

  public static final CheckOptions DEFAULT =
      new CheckOptions(
          List.of(),
          Optional.empty(),
          QUANTILE_DEFAULT,
          Optional.empty(),
          FreshnessAnchor.NOW,
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          false,
          Optional.empty(),
          SIGMA_DEFAULT,
          HISTORY_DEFAULT,
          ValueRange.NONE,
          0,
          Optional.empty(),
          Optional.empty());

  /** What a freshness check measures the newest timestamp against. */
  public enum FreshnessAnchor {
    NOW,
    COMMIT
  }

  public CheckOptions {
    values = List.copyOf(requireNonNull(values, "values is null"));
    requireNonNull(expression, "expression is null");
    requireNonNull(maxAge, "maxAge is null");
    requireNonNull(freshnessAnchor, "freshnessAnchor is null");
    requireNonNull(reference, "reference is null");
    requireNonNull(referenceColumn, "referenceColumn is null");
    // insertion order is kept so the suite hash is stable across runs
    expectedColumns =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(requireNonNull(expectedColumns, "expectedColumns is null")));
    requireNonNull(metric, "metric is null");
    requireNonNull(range, "range is null");
    requireNonNull(against, "against is null");
    requireNonNull(referenceAt, "referenceAt is null");
    if (!(maxFraction >= 0 && maxFraction <= 1)) {
      throw new IllegalArgumentException(
          "maxFraction %s is not between 0 and 1".formatted(maxFraction));
    }
  }

  /**
   * The options as a record prints them, naming {@code maxFraction}, {@code against} and {@code
   * referenceAt} only when set: {@link Suite#hash} digests this text, so a suite without them keeps
   * the hash it had before they existed.
   */
  @Override
  public String toString() {
    return ("CheckOptions[values=%s, expression=%s, quantile=%s, maxAge=%s, freshnessAnchor=%s,"
            + " reference=%s, referenceColumn=%s, expectedColumns=%s, strictSchema=%s, metric=%s,"
            + " sigma=%s, history=%s, range=%s%s%s%s]")
        .formatted(
            values,
            expression,
            quantile,
            maxAge,
            freshnessAnchor,
            reference,
            referenceColumn,
            expectedColumns,
            strictSchema,
            metric,
            sigma,
            history,
            range,
            maxFraction == 0 ? "" : ", maxFraction=" + maxFraction,
            against.map(c -> ", against=" + c).orElse(""),
            referenceAt.map(r -> ", referenceAt=" + r).orElse(""));
  }
}
