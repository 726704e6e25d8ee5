package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;

/**
 * One line of the deletion ledger: what happened to one file, why, and which snapshot or ref
 * stopped referencing it. A file's history is several lines (intent first, then the outcome), so a
 * process killed between the two leaves an intent behind.
 *
 * @param table the table, {@code namespace.name}
 * @param path the file's full location
 * @param size its size in bytes, or -1 when unknown
 * @param reason why it goes
 * @param state how far it got
 * @param cause the snapshot or ref that stopped referencing it (e.g. {@code snapshot 123}, {@code
 *     no snapshot of any ref}, {@code retention event_ts < 2025-01-01T00:00Z})
 * @param runId the maintenance run
 * @param quarantinePath where an orphan waits before it is deleted for good
 */
public record LedgerEntry(
    String table,
    String path,
    long size,
    Reason reason,
    State state,
    String cause,
    String runId,
    Optional<String> quarantinePath,
    Instant recordedAt) {

  public LedgerEntry {
    requireNonNull(table, "table is null");
    requireNonNull(path, "path is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(state, "state is null");
    requireNonNull(cause, "cause is null");
    requireNonNull(runId, "runId is null");
    requireNonNull(quarantinePath, "quarantinePath is null");
    requireNonNull(recordedAt, "recordedAt is null");
  }

  public LedgerEntry withState(State next, Instant at) {
    return new LedgerEntry(table, path, size, reason, next, cause, runId, quarantinePath, at);
  }

  public enum Reason {
    /** Referenced only by snapshots that expiry removed. */
    EXPIRED_SNAPSHOT,
    /** Under the table location but referenced by no snapshot of any ref. */
    ORPHAN,
    /** Its rows fell out of the table's retention (a metadata delete; expiry removes the file). */
    RETENTION
  }

  /** How far a file got; later states win over earlier ones for one run and path. */
  public enum State {
    INTENT,
    DEREFERENCED,
    QUARANTINED,
    DELETED,
    RESTORED,
    PURGED,
    /** An interrupted run never carried the intent out; the file stayed where it was. */
    CANCELLED
  }
}
