package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The outcome of one ingest run: the downloads it made first, then per bronze table the rows
 * written and records quarantined.
 */
public record IngestReport(
    String runId,
    List<DownloadResult> downloads,
    List<TableIngest> tables,
    Duration elapsed,
    Path log) {
  public IngestReport {
    requireNonNull(runId, "runId is null");
    downloads = List.copyOf(downloads);
    tables = List.copyOf(tables);
    requireNonNull(elapsed, "elapsed is null");
    requireNonNull(log, "log is null");
  }

  public Optional<TableIngest> table(String name) {
    return tables.stream().filter(t -> t.table().equals(name)).findFirst();
  }

  public long rows() {
    return tables.stream().mapToLong(TableIngest::rows).sum();
  }

  public long quarantined() {
    return tables.stream().mapToLong(TableIngest::quarantined).sum();
  }
}
