package io.floe.core.job;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A finished Spark job: the summary it reported, its log and how long it ran. */
public record SparkJobResult(
    SparkJobSpec job, Map<String, Object> summary, Path log, Duration elapsed) {
  public SparkJobResult {
    requireNonNull(job, "job is null");
    summary = Map.copyOf(summary);
    requireNonNull(log, "log is null");
    requireNonNull(elapsed, "elapsed is null");
  }

  public long longValue(String key) {
    Object value = summary.get(key);
    if (!(value instanceof Number number)) {
      throw new IllegalStateException(
          "job " + job.name() + " reported no number '" + key + "': " + summary);
    }
    return number.longValue();
  }
}
