package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One snapshot of a table, as an auditor sees it.
 *
 * @param snapshotId the snapshot
 * @param parentId its parent, absent for the first snapshot
 * @param committedAt when the writer committed it
 * @param operation Iceberg's operation: append, overwrite, delete, replace
 * @param addedRecords rows added, from the snapshot summary
 * @param deletedRecords rows deleted, from the snapshot summary
 * @param totalRecords rows in the table at this snapshot, from the snapshot summary
 * @param publishedAt when the gate published it, from its earliest {@code published-<utc>} tag;
 *     absent for snapshots never published (an audit-branch snapshot that failed its gate)
 * @param tags the tags pointing at it ({@code published-<utc>} marks a publish)
 * @param branches the branches whose head it is ({@code main}, {@code audit_<run id>})
 * @param verdict the quality verdict recorded for it ({@value Refs#SUMMARY_VERDICT} in its own
 *     summary or in a later snapshot that names it as {@value Refs#SUMMARY_AUDITED_SNAPSHOT}), else
 *     that of its latest evaluation in the metric history ({@code pass} or {@code fail})
 * @param runId the pipeline run that wrote it ({@value Refs#SUMMARY_RUN_ID})
 */
public record SnapshotEntry(
    long snapshotId,
    Optional<Long> parentId,
    Instant committedAt,
    String operation,
    Optional<Long> addedRecords,
    Optional<Long> deletedRecords,
    Optional<Long> totalRecords,
    Optional<Instant> publishedAt,
    List<String> tags,
    List<String> branches,
    Optional<String> verdict,
    Optional<String> runId) {
  public SnapshotEntry {
    requireNonNull(parentId, "parentId is null");
    requireNonNull(committedAt, "committedAt is null");
    requireNonNull(operation, "operation is null");
    requireNonNull(addedRecords, "addedRecords is null");
    requireNonNull(deletedRecords, "deletedRecords is null");
    requireNonNull(totalRecords, "totalRecords is null");
    requireNonNull(publishedAt, "publishedAt is null");
    tags = List.copyOf(tags);
    branches = List.copyOf(branches);
    requireNonNull(verdict, "verdict is null");
    requireNonNull(runId, "runId is null");
  }

  /**
   * Whether BI users saw it: a publish tag points to it, or it is {@code main}'s head (main only
   * moves through the gate).
   */
  public boolean published() {
    return tags.stream().anyMatch(Refs::isPublishedTag) || branches.contains(Refs.MAIN);
  }
}
