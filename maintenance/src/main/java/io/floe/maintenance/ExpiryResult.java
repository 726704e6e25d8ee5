package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * What expiry did (or would do, when {@code dryRun}).
 *
 * @param removedRefs audit branches and published tags removed before expiring
 * @param expiredSnapshots the snapshot ids expired
 * @param deletedFiles files no remaining snapshot references, deleted after the ledger recorded
 *     them
 */
public record ExpiryResult(
    String table,
    String runId,
    boolean dryRun,
    ExpiryHorizon horizon,
    List<String> removedRefs,
    List<Long> expiredSnapshots,
    List<RemovedFile> deletedFiles) {
  public ExpiryResult {
    requireNonNull(table, "table is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(horizon, "horizon is null");
    removedRefs = List.copyOf(removedRefs);
    expiredSnapshots = List.copyOf(expiredSnapshots);
    deletedFiles = List.copyOf(deletedFiles);
  }
}
