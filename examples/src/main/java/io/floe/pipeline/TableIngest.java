package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * What one ingest run did to one bronze table.
 *
 * @param rows rows appended (or, in full mode, the table's new content)
 * @param quarantined malformed records found in this run's input
 * @param files input files taken by this run (file sources)
 * @param skippedFiles files already ingested by an earlier run, not read again
 */
public record TableIngest(
    String source,
    String table,
    long rows,
    long quarantined,
    long files,
    long skippedFiles,
    Duration time) {
  public TableIngest {
    requireNonNull(source, "source is null");
    requireNonNull(table, "table is null");
    requireNonNull(time, "time is null");
  }
}
