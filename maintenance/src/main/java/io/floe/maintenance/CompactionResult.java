package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What compaction committed. Groups commit one at a time or a few together, so a failure keeps the
 * groups committed before it.
 *
 * @param plan the plan of the first round
 * @param committedGroups groups committed
 * @param rewrittenFiles data files replaced
 * @param addedFiles data files written
 * @param droppedDeleteFiles delete files removed because every row they deleted was rewritten
 * @param retries groups replanned after a concurrent commit conflicted with them
 * @param failures groups given up on, each with its reason (their files stay as they were)
 */
public record CompactionResult(
    String table,
    boolean dryRun,
    CompactionPlan plan,
    int committedGroups,
    int rewrittenFiles,
    int addedFiles,
    int droppedDeleteFiles,
    long rewrittenBytes,
    int retries,
    List<String> failures) {
  public CompactionResult {
    requireNonNull(table, "table is null");
    requireNonNull(plan, "plan is null");
    failures = List.copyOf(failures);
  }
}
