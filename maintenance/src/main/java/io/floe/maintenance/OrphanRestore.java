package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.Table;

/** Moves quarantined orphans of a table back to where they were, optionally of one run only. */
public final class OrphanRestore {
  private final Table table;
  private DeletionLedger ledger;
  private Optional<String> runId = Optional.empty();
  private boolean dryRun;
  private boolean used;

  OrphanRestore(Table table) {
    this.table = requireNonNull(table, "table is null");
  }

  public OrphanRestore ledger(DeletionLedger ledger) {
    this.ledger = requireNonNull(ledger, "ledger is null");
    return this;
  }

  /** Restores only what run {@code id} quarantined. */
  public OrphanRestore run(String id) {
    this.runId = Optional.of(requireNonNull(id, "id is null"));
    return this;
  }

  public OrphanRestore dryRun() {
    this.dryRun = true;
    return this;
  }

  /** The files restored (or that would be), by original path. */
  public List<RemovedFile> execute() {
    if (used) {
      throw new IllegalStateException("an OrphanRestore runs once; start a new one");
    }
    used = true;
    if (ledger == null) {
      throw new IllegalStateException("restoring needs the ledger that recorded the quarantine");
    }
    String name = TableNames.of(table);
    // a run killed between its intent and its outcome may have moved files without saying so
    List<LedgerEntry> settled = OrphanIntents.settle(table.io(), ledger, name, dryRun);
    List<LedgerEntry> quarantined =
        new ArrayList<>(ledger.inState(name, LedgerEntry.State.QUARANTINED));
    if (dryRun) {
      settled.stream()
          .filter(e -> e.state() == LedgerEntry.State.QUARANTINED)
          .forEach(quarantined::add);
    }
    List<LedgerEntry> due =
        quarantined.stream().filter(e -> runId.isEmpty() || runId.get().equals(e.runId())).toList();
    List<RemovedFile> restored = new ArrayList<>();
    List<LedgerEntry> outcomes = new ArrayList<>();
    try {
      for (LedgerEntry entry : due) {
        restored.add(
            new RemovedFile(
                entry.path(),
                entry.size(),
                "restored from " + entry.quarantinePath().orElseThrow()));
        if (!dryRun) {
          Quarantine.move(table.io(), entry.quarantinePath().orElseThrow(), entry.path());
          outcomes.add(entry.withState(LedgerEntry.State.RESTORED, Instant.now()));
        }
      }
    } finally {
      ledger.record(outcomes);
    }
    return restored;
  }
}
