package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

/**
 * A table of a PostgreSQL source and how to ingest it: {@link Mode#INCREMENTAL} reads only rows
 * whose watermark column moved past the watermark stored with the bronze table; {@link Mode#FULL}
 * replaces the bronze table with the whole source table (small dimensions).
 */
public record JdbcTable(String name, String target, Mode mode, String watermarkColumn) {
  public enum Mode {
    INCREMENTAL,
    FULL
  }

  public JdbcTable {
    requireNonNull(name, "name is null");
    requireNonNull(target, "target is null");
    requireNonNull(mode, "mode is null");
    requireNonNull(watermarkColumn, "watermarkColumn is null");
  }
}
