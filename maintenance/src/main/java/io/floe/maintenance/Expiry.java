package io.floe.maintenance;

import io.floe.catalog.Refs;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManageSnapshots;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Expires snapshots up to an explicit {@link ExpiryHorizon}, removes audit branches that were
 * published or outlived their max age (and published tags past theirs), then deletes the files no
 * remaining snapshot of any ref references.
 *
 * <p>Iceberg expires the snapshots ({@code cleanExpiredFiles(false)}); Floe computes the files to
 * delete itself by reachability: everything the expired snapshots referenced, minus everything any
 * remaining snapshot references, read from the metadata after the commit. That is correct with any
 * number of branches and tags (unlike incremental cleanup, apache/iceberg#13568). Each file is
 * recorded in the ledger before it is deleted.
 */
public final class Expiry extends Removal<Expiry, ExpiryResult> {
  Expiry(Table table) {
    super(table, "expiry");
  }

  @Override
  Floor floor(String name) {
    return new Floor(
        "maintenance." + MaintenancePolicy.SNAPSHOT_MAX_AGE,
        policy.snapshotMaxAge(),
        MaintenancePolicy.SNAPSHOT_MAX_AGE_FLOOR,
        "time travel and running readers need them");
  }

  @Override
  ExpiryResult run(String name, Instant at) {
    table.refresh();
    if (!PropertyUtil.propertyAsBoolean(
        table.properties(), TableProperties.GC_ENABLED, TableProperties.GC_ENABLED_DEFAULT)) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s: table property %s is false (its files may be shared with another table); expiry refuses to delete files"
              .formatted(name, TableProperties.GC_ENABLED));
    }
    String runId = DeletionLedger.newRunId(at);
    TableMetadata before = operations().current();
    Map<String, SnapshotRef> removedRefs = refsToRemove(before, at);
    ExpiryHorizon horizon = ExpiryHorizon.compute(before, policy, at, removedRefs.keySet());

    Transaction transaction = table.newTransaction();
    if (!removedRefs.isEmpty()) {
      ManageSnapshots manage = transaction.manageSnapshots();
      removedRefs.forEach(
          (ref, value) -> {
            if (value.isBranch()) {
              manage.removeBranch(ref);
            } else {
              manage.removeTag(ref);
            }
          });
      manage.commit();
    }
    ExpireSnapshots expire =
        transaction
            .expireSnapshots()
            .expireOlderThan(horizon.effective().toEpochMilli())
            .retainLast(policy.minSnapshots())
            .cleanExpiredFiles(false);
    List<Snapshot> planned = expire.apply();

    if (dryRun) {
      Set<Long> plannedIds = ReachableFiles.ids(planned);
      List<Snapshot> remaining =
          before.snapshots().stream().filter(s -> !plannedIds.contains(s.snapshotId())).toList();
      List<RemovedFile> files = unreferenced(before, planned, before, remaining, List.of());
      return new ExpiryResult(
          name,
          runId,
          true,
          horizon,
          List.copyOf(removedRefs.keySet()),
          List.copyOf(plannedIds),
          files);
    }

    // intents go to the ledger before the commit: a run killed after it leaves them behind for
    // the next run to settle, instead of files no one knows to delete
    Set<Long> plannedIds = ReachableFiles.ids(planned);
    List<Snapshot> remaining =
        before.snapshots().stream().filter(s -> !plannedIds.contains(s.snapshotId())).toList();
    List<LedgerEntry> pending =
        ledger.inState(name, LedgerEntry.State.INTENT).stream()
            .filter(e -> e.reason() == LedgerEntry.Reason.EXPIRED_SNAPSHOT)
            .toList();
    List<RemovedFile> files = unreferenced(before, planned, before, remaining, pending);
    Map<String, LedgerEntry> intents = new LinkedHashMap<>();
    files.forEach(file -> intents.put(file.path(), intent(name, file, runId)));
    ledger.record(List.copyOf(intents.values()));
    try {
      expire.commit();
      transaction.commitTransaction();
    } catch (RuntimeException e) {
      // the commit failed: nothing was expired; when its outcome is unknown, the intents stay
      // for the next run to settle against the metadata
      if (!(e instanceof org.apache.iceberg.exceptions.CommitStateUnknownException)) {
        Instant failed = Instant.now();
        ledger.record(
            intents.values().stream()
                .map(i -> i.withState(LedgerEntry.State.CANCELLED, failed))
                .toList());
      }
      throw e;
    }
    table.refresh();
    TableMetadata after = operations().current();
    Set<Long> remainingIds = ReachableFiles.ids(after.snapshots());
    List<Snapshot> expired =
        before.snapshots().stream().filter(s -> !remainingIds.contains(s.snapshotId())).toList();
    List<LedgerEntry> late = new ArrayList<>();
    if (!ReachableFiles.ids(expired).equals(plannedIds)
        || !remainingIds.equals(ReachableFiles.ids(remaining))) {
      // a concurrent commit changed what was expired or what remains: recompute from the metadata
      files = unreferenced(before, expired, after, after.snapshots(), pending);
      for (RemovedFile file : files) {
        if (!intents.containsKey(file.path())) {
          LedgerEntry intent = intent(name, file, runId);
          intents.put(file.path(), intent);
          late.add(intent);
        }
      }
      ledger.record(late);
    }
    Set<String> deleting = new HashSet<>(files.stream().map(RemovedFile::path).toList());
    FileRemover.delete(table.io(), List.copyOf(deleting));
    Instant done = Instant.now();
    List<LedgerEntry> outcomes = new ArrayList<>();
    intents.forEach(
        (path, i) ->
            outcomes.add(
                i.withState(
                    deleting.contains(path)
                        ? LedgerEntry.State.DELETED
                        : LedgerEntry.State.CANCELLED,
                    done)));
    // intents of an earlier, interrupted run are settled under that run's id: deleted when no
    // remaining snapshot references the file, else cancelled (that run's commit never happened)
    for (LedgerEntry entry : pending) {
      outcomes.add(
          entry.withState(
              deleting.contains(entry.path())
                  ? LedgerEntry.State.DELETED
                  : LedgerEntry.State.CANCELLED,
              done));
    }
    ledger.record(outcomes);
    return new ExpiryResult(
        name,
        runId,
        false,
        horizon,
        List.copyOf(removedRefs.keySet()),
        expired.stream().map(Snapshot::snapshotId).toList(),
        files);
  }

  private static LedgerEntry intent(String table, RemovedFile file, String runId) {
    return new LedgerEntry(
        table,
        file.path(),
        file.size(),
        LedgerEntry.Reason.EXPIRED_SNAPSHOT,
        LedgerEntry.State.INTENT,
        file.cause(),
        runId,
        java.util.Optional.empty(),
        Instant.now());
  }

  /**
   * Files referenced by {@code expired} (read with {@code expiredFrom}'s specs and statistics) or
   * left as intents by an interrupted run, that no snapshot in {@code remaining} references.
   */
  private List<RemovedFile> unreferenced(
      TableMetadata expiredFrom,
      List<Snapshot> expired,
      TableMetadata remainingFrom,
      List<Snapshot> remaining,
      List<LedgerEntry> pending) {
    Set<Long> expiredIds = ReachableFiles.ids(expired);
    Map<String, Long> candidates = new LinkedHashMap<>();
    Map<String, String> causes = new HashMap<>();
    for (Snapshot snapshot : expired) {
      Map<String, Long> files =
          ReachableFiles.of(table.io(), expiredFrom.specsById(), List.of(snapshot));
      files.forEach(
          (path, size) -> {
            candidates.putIfAbsent(path, size);
            causes.putIfAbsent(path, "expired snapshot " + snapshot.snapshotId());
          });
    }
    ReachableFiles.statistics(expiredFrom, expiredIds)
        .forEach(
            (path, size) -> {
              candidates.putIfAbsent(path, size);
              causes.putIfAbsent(path, "statistics of an expired snapshot");
            });
    for (LedgerEntry entry : pending) {
      candidates.putIfAbsent(entry.path(), entry.size());
      causes.putIfAbsent(entry.path(), entry.cause());
    }
    if (candidates.isEmpty()) {
      return List.of();
    }
    Set<String> reachable =
        new HashSet<>(ReachableFiles.of(table.io(), remainingFrom.specsById(), remaining).keySet());
    reachable.addAll(
        ReachableFiles.statistics(remainingFrom, ReachableFiles.ids(remaining)).keySet());
    List<RemovedFile> files = new ArrayList<>();
    candidates.forEach(
        (path, size) -> {
          if (!reachable.contains(path)) {
            files.add(new RemovedFile(path, size, causes.get(path)));
          }
        });
    return files;
  }

  private Map<String, SnapshotRef> refsToRemove(TableMetadata metadata, Instant at) {
    Map<String, SnapshotRef> removed = new LinkedHashMap<>();
    Snapshot main = metadata.currentSnapshot();
    for (Map.Entry<String, SnapshotRef> entry : metadata.refs().entrySet()) {
      String name = entry.getKey();
      SnapshotRef ref = entry.getValue();
      Snapshot head = metadata.snapshot(ref.snapshotId());
      if (head == null || name.equals(Refs.MAIN)) {
        continue;
      }
      Instant headTime = Instant.ofEpochMilli(head.timestampMillis());
      if (ref.isBranch() && Refs.isAuditBranch(name)) {
        // main moved past the audited snapshot; a branch whose head is main's head may be a
        // fresh audit branch a writer is about to commit to, so it stays
        boolean published =
            main != null
                && main.snapshotId() != head.snapshotId()
                && SnapshotUtil.isAncestorOf(
                    main.snapshotId(), head.snapshotId(), metadata::snapshot);
        boolean stale = headTime.isBefore(at.minus(policy.auditBranchMaxAge()));
        if (published || stale) {
          removed.put(name, ref);
        }
      } else if (ref.isTag()
          && Refs.isPublishedTag(name)
          && policy.publishedTagMaxAge().isPresent()
          && headTime.isBefore(at.minus(policy.publishedTagMaxAge().get()))) {
        removed.put(name, ref);
      }
    }
    return removed;
  }

  private org.apache.iceberg.TableOperations operations() {
    if (!(table instanceof HasTableOperations ops)) {
      throw new IllegalArgumentException("table " + table.name() + " exposes no table metadata");
    }
    return ops.operations();
  }
}
