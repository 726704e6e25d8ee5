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

  /**
   * One commit's worth of files of one partition.
   *
   * @param paths the data files to rewrite
   * @param deletesToDrop the delete files that apply to nothing once the group is rewritten
   */
  public record Group(
      String partition,
      int files,
      long bytes,
      long records,
      int deleteFilesDropped,
      String reason,
      List<String> paths,
      List<String> deletesToDrop) {
    public Group {
      requireNonNull(partition, "partition is null");
      requireNonNull(reason, "reason is null");
      paths = List.copyOf(paths);
      deletesToDrop = List.copyOf(deletesToDrop);
    }
  }

  /**
   * The plan as JSON, for an executor in another process (a Spark job) that rewrites each group and
   * commits it validated from {@link #startSnapshotId}.
   */
  public String toJson() {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(this);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("cannot write the compaction plan of " + table, e);
    }
  }
}
