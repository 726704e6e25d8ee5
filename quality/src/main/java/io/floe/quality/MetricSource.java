package io.floe.quality;

import java.util.Locale;

/** Where a check's metric came from. */
public enum MetricSource {
  /** Iceberg metadata alone: manifest record counts, null counts, exact bounds, the schema. */
  METADATA,
  /** Reading the needed columns of data files (possibly after using metadata for some files). */
  SCAN,
  /**
   * Stored states of an audited ancestor merged with the files added since, less the rows of the
   * files a copy-on-write change removed.
   */
  INCREMENTAL,
  /** Nothing: the check could not be evaluated (an {@link CheckStatus#ERROR}) or had no metric. */
  NONE;

  /**
   * The source of a figure computed from two measurements, e.g. a change against the published
   * snapshot: a scan if either read whole files, else incremental if either merged stored states.
   */
  MetricSource and(MetricSource other) {
    for (MetricSource source : new MetricSource[] {SCAN, INCREMENTAL, METADATA}) {
      if (this == source || other == source) {
        return source;
      }
    }
    return NONE;
  }

  /** How the terminal report and the HTML report show it: {@code scan}, or {@code -} for none. */
  public String label() {
    return this == NONE ? "-" : name().toLowerCase(Locale.ROOT);
  }
}
