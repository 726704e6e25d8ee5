package io.floe.quality;

/** Where a check's metric came from. */
public enum MetricSource {
  /** Iceberg metadata alone: manifest record counts, null counts, exact bounds, the schema. */
  METADATA,
  /** Reading the needed columns of data files (possibly after using metadata for some files). */
  SCAN,
  /** Stored states of an audited ancestor merged with the files added since. */
  INCREMENTAL
}
