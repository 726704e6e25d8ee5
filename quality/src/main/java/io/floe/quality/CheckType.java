package io.floe.quality;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of check a suite can declare, each written in kebab-case in YAML. */
public enum CheckType {
  /** Number of rows between {@code min} and {@code max}. */
  ROW_COUNT,
  /** Null fraction of a column at most {@code max-fraction} (default 0: no nulls). */
  NOT_NULL,
  /** No two rows share the values of {@code columns}. */
  UNIQUE,
  /** Every non-null value is one of {@code values}. */
  ACCEPTED_VALUES,
  /** The column's smallest value between {@code min} and {@code max}. */
  MIN,
  /** The column's largest value between {@code min} and {@code max}. */
  MAX,
  /** Average of a numeric column between {@code min} and {@code max}. */
  MEAN,
  /** Sum of a numeric column between {@code min} and {@code max}. */
  SUM,
  /** Sample standard deviation of a numeric column between {@code min} and {@code max}. */
  STDDEV,
  /** The {@code quantile} (default 0.5, the median) of a numeric column between bounds. */
  QUANTILE,
  /** Approximate number of distinct values between {@code min} and {@code max}. */
  DISTINCT_COUNT,
  /** Every non-null string matches the regular expression {@code pattern}. */
  PATTERN,
  /** Every non-null string's length is between {@code min} and {@code max}. */
  LENGTH,
  /** The newest timestamp is at most {@code max-age} older than now or the snapshot commit. */
  FRESHNESS,
  /** Every non-null value exists in {@code table}'s published {@code column}. */
  REFERENCES,
  /**
   * The snapshot's schema has {@code columns} with the given types (and nothing else if strict).
   */
  SCHEMA,
  /** Every row satisfies {@code expression}, e.g. {@code revenue >= 0}. */
  PREDICATE,
  /** A metric moved at most {@code max-delta-pct} percent against the last published snapshot. */
  CHANGE,
  /** A metric within {@code sigma} standard deviations of its last {@code history} publishes. */
  ANOMALY,
  /**
   * A metric equal, within {@code max-delta-pct} percent, to a metric of another table's published
   * snapshot ({@code with}).
   */
  RECONCILE;

  /** The name used in YAML, e.g. {@code not-null}. */
  public String key() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The type named {@code key} in YAML; {@code median} is the 0.5 quantile. */
  public static Optional<CheckType> fromKey(String key) {
    String wanted = "median".equals(key) ? "quantile" : key;
    return Arrays.stream(values()).filter(t -> t.key().equals(wanted)).findFirst();
  }

  /** Every YAML name, for error messages. */
  public static String allowedKeys() {
    return Arrays.stream(values()).map(CheckType::key).collect(Collectors.joining(", "))
        + ", median";
  }
}
