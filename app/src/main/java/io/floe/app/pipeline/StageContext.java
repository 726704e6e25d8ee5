package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a stage knows about its run: the run id and audit branch, the results of the stages before
 * it, and where to report progress.
 */
public record StageContext(
    String pipeline, String runId, List<StageResult> completed, Progress progress) {
  public StageContext {
    requireNonNull(pipeline, "pipeline is null");
    requireNonNull(runId, "runId is null");
    completed = List.copyOf(completed);
    requireNonNull(progress, "progress is null");
  }

  /** The branch every silver and gold write of this run lands on. */
  public String auditBranch() {
    return Refs.auditBranch(runId);
  }

  /** Tables the earlier stages left new snapshots on the audit branch of, in order. */
  public List<TableRef> audited() {
    Set<TableRef> tables = new LinkedHashSet<>();
    completed.forEach(result -> tables.addAll(result.outcome().audited()));
    return List.copyOf(tables);
  }

  /** Tables the earlier stages created the audit branch on, written or not. */
  public List<TableRef> branched() {
    Set<TableRef> tables = new LinkedHashSet<>();
    completed.forEach(result -> tables.addAll(result.outcome().branched()));
    return List.copyOf(tables);
  }
}
