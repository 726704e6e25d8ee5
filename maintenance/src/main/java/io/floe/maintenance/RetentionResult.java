package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What retention dropped (or would drop).
 *
 * @param droppedFiles data files whose every row is older than the cutoff, removed by a
 *     metadata-only delete
 * @param rewrittenFiles data files holding old and new rows, rewritten without the old rows
 * @param snapshotId the snapshot that dropped them, empty when nothing changed
 */
public record RetentionResult(
    String table,
    boolean dryRun,
    String column,
    Instant cutoff,
    List<RemovedFile> droppedFiles,
    List<RemovedFile> rewrittenFiles,
    Optional<Long> snapshotId) {
  public RetentionResult {
    requireNonNull(table, "table is null");
    requireNonNull(column, "column is null");
    requireNonNull(cutoff, "cutoff is null");
    droppedFiles = List.copyOf(droppedFiles);
    rewrittenFiles = List.copyOf(rewrittenFiles);
    requireNonNull(snapshotId, "snapshotId is null");
  }
}
