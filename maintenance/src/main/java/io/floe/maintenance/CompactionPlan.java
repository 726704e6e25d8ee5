package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Which file groups compaction rewrites, from which snapshot, and why.
 *
 * @param startSnapshotId the snapshot of main the plan was made from; commits validate against it
 */
public record CompactionPlan(String table, long startSnapshotId, List<Group> groups) {
  public CompactionPlan {
    requireNonNull(table, "table is null");
    groups = List.copyOf(groups);
  }

  /** One commit's worth of files of one partition. */
  public record Group(
      String partition,
      int files,
      long bytes,
      long records,
      int deleteFilesDropped,
      String reason) {
    public Group {
      requireNonNull(partition, "partition is null");
      requireNonNull(reason, "reason is null");
    }
  }
}
