package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What orphan removal found and did (or would do, when {@code dryRun}).
 *
 * @param listed files under the table location
 * @param reachable files some snapshot of some ref, or the table metadata, references
 * @param tooYoung unreferenced files younger than the minimum age (possibly a write in flight)
 * @param quarantined orphans moved to the quarantine
 * @param purged earlier quarantined orphans deleted for good after the grace period
 */
public record OrphanResult(
    String table,
    String runId,
    boolean dryRun,
    int listed,
    int reachable,
    int tooYoung,
    List<RemovedFile> quarantined,
    List<RemovedFile> purged) {
  public OrphanResult {
    requireNonNull(table, "table is null");
    requireNonNull(runId, "runId is null");
    quarantined = List.copyOf(quarantined);
    purged = List.copyOf(purged);
  }
}
