package io.floe.maintenance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settles the intents an orphan run left behind when it died between recording an intent and
 * recording the outcome, by looking where the file is: a file gone from the table but whole in
 * quarantine was moved ({@code quarantined}, so restore and purge find it); a file still in the
 * table was not ({@code cancelled}; a leftover copy stays in quarantine, because a run still in
 * flight may be about to delete the source); a file in neither place is recorded {@code deleted}.
 */
final class OrphanIntents {
  private static final Logger LOG = LoggerFactory.getLogger(OrphanIntents.class);

  private OrphanIntents() {}

  /**
   * The settled entries (recorded unless {@code dryRun}); an intent whose quarantine copy has the
   * wrong length stays an intent and is logged.
   */
  static List<LedgerEntry> settle(FileIO io, DeletionLedger ledger, String table, boolean dryRun) {
    List<LedgerEntry> settled = new ArrayList<>();
    Instant at = Instant.now();
    for (LedgerEntry intent : ledger.inState(table, LedgerEntry.State.INTENT)) {
      if (intent.reason() != LedgerEntry.Reason.ORPHAN) {
        continue;
      }
      boolean inTable = io.newInputFile(intent.path()).exists();
      Optional<Long> copied = intent.quarantinePath().flatMap(path -> length(io, path));
      if (inTable) {
        settled.add(intent.withState(LedgerEntry.State.CANCELLED, at));
      } else if (copied.isEmpty()) {
        settled.add(intent.withState(LedgerEntry.State.DELETED, at));
      } else if (intent.size() < 0 || copied.get() == intent.size()) {
        settled.add(intent.withState(LedgerEntry.State.QUARANTINED, at));
      } else {
        LOG.warn(
            "{}: {} is gone but its quarantine copy {} has {} bytes, expected {}; the intent stays",
            table,
            intent.path(),
            intent.quarantinePath().orElseThrow(),
            copied.get(),
            intent.size());
      }
    }
    if (!dryRun) {
      ledger.record(settled);
    }
    return settled;
  }

  private static Optional<Long> length(FileIO io, String path) {
    InputFile file = io.newInputFile(path);
    return file.exists() ? Optional.of(file.getLength()) : Optional.empty();
  }
}
