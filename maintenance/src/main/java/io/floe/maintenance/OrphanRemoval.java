package io.floe.maintenance;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * Finds files under the table location that no snapshot of any ref (nor the table metadata)
 * references and that are older than the minimum age, and moves them to a quarantine; quarantined
 * files older than the grace period are deleted for good. Refuses minimum ages below 24 hours
 * unless forced, and refuses outright when referenced paths use another scheme or bucket spelling
 * than the listing (apache/iceberg#4194).
 */
public final class OrphanRemoval extends Removal<OrphanRemoval, OrphanResult> {
  OrphanRemoval(Table table) {
    super(table, "orphan removal");
  }

  @Override
  Floor floor(String name) {
    return new Floor(
        "maintenance." + MaintenancePolicy.ORPHAN_MIN_AGE,
        policy.orphanMinAge(),
        MaintenancePolicy.ORPHAN_MIN_AGE_FLOOR,
        "files of writes still in flight look orphaned");
  }

  @Override
  OrphanResult run(String name, Instant at) {
    if (!(table.io() instanceof SupportsPrefixOperations store)) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s: its FileIO %s cannot list by prefix; orphan removal needs an object store FileIO such as S3FileIO"
              .formatted(name, table.io().getClass().getName()));
    }
    String runId = DeletionLedger.newRunId(at);
    if (ledger != null) {
      OrphanIntents.settle(table.io(), ledger, name, dryRun);
    }
    List<RemovedFile> purged = purge(name, at);

    table.refresh();
    String tableLocation = table.location();
    Location root = Location.parse(tableLocation);
    String prefix = tableLocation.endsWith("/") ? tableLocation : tableLocation + "/";
    List<FileInfo> listed = new ArrayList<>();
    store.listPrefix(prefix).forEach(listed::add);

    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    Set<String> reachable = reachable(metadata);
    Map<String, String> reachableByKey = new HashMap<>();
    String rootKey = Location.parse(prefix).normalizedKey();
    for (String path : reachable) {
      Location location = Location.parse(path);
      if (location.normalizedKey().startsWith(rootKey) && !location.sameStore(root)) {
        throw mismatch(name, path, tableLocation);
      }
      reachableByKey.put(location.normalizedKey(), path);
    }

    long floor = at.minus(policy.orphanMinAge()).toEpochMilli();
    int tooYoung = 0;
    List<FileInfo> orphans = new ArrayList<>();
    for (FileInfo file : listed) {
      if (reachable.contains(file.location())) {
        continue;
      }
      Location location = Location.parse(file.location());
      String spelledElsewhere = reachableByKey.get(location.normalizedKey());
      if (spelledElsewhere != null) {
        throw mismatch(name, spelledElsewhere, file.location());
      }
      if (file.createdAtMillis() > floor) {
        tooYoung++;
        continue;
      }
      orphans.add(file);
    }

    String quarantineRoot = Quarantine.root(policy, tableLocation, name, runId);
    List<LedgerEntry> intents = new ArrayList<>();
    List<RemovedFile> moved = new ArrayList<>();
    Instant recorded = Instant.now();
    for (FileInfo file : orphans) {
      String relative = file.location().substring(prefix.length());
      String target = quarantineRoot + relative;
      moved.add(new RemovedFile(file.location(), file.size(), "no snapshot of any ref"));
      intents.add(
          new LedgerEntry(
              name,
              file.location(),
              file.size(),
              LedgerEntry.Reason.ORPHAN,
              LedgerEntry.State.INTENT,
              "no snapshot of any ref",
              runId,
              Optional.of(target),
              recorded));
    }
    if (!dryRun) {
      ledger.record(intents);
      List<LedgerEntry> outcomes = new ArrayList<>();
      try {
        for (LedgerEntry intent : intents) {
          Quarantine.move(table.io(), intent.path(), intent.quarantinePath().orElseThrow());
          outcomes.add(intent.withState(LedgerEntry.State.QUARANTINED, Instant.now()));
        }
      } finally {
        ledger.record(outcomes);
      }
    }
    return new OrphanResult(
        name, runId, dryRun, listed.size(), reachable.size(), tooYoung, moved, purged);
  }

  /** Deletes quarantined files whose grace period is over. */
  private List<RemovedFile> purge(String name, Instant at) {
    if (ledger == null) {
      return List.of();
    }
    Instant cutoff = at.minus(policy.quarantineGrace());
    List<LedgerEntry> due =
        ledger.inState(name, LedgerEntry.State.QUARANTINED).stream()
            .filter(e -> e.recordedAt().isBefore(cutoff))
            .toList();
    List<RemovedFile> purged =
        due.stream()
            .map(
                e ->
                    new RemovedFile(
                        e.quarantinePath().orElseThrow(), e.size(), "quarantine grace over"))
            .toList();
    if (!dryRun && !due.isEmpty()) {
      FileRemover.delete(table.io(), purged.stream().map(RemovedFile::path).toList());
      Instant done = Instant.now();
      ledger.record(due.stream().map(e -> e.withState(LedgerEntry.State.PURGED, done)).toList());
    }
    return purged;
  }

  /** Every file the table's metadata reaches: data, deletes, manifests, lists, stats, metadata. */
  private Set<String> reachable(TableMetadata metadata) {
    Set<String> files =
        new HashSet<>(
            ReachableFiles.of(table.io(), metadata.specsById(), metadata.snapshots()).keySet());
    files.addAll(
        ReachableFiles.statistics(metadata, ReachableFiles.ids(metadata.snapshots())).keySet());
    if (metadata.metadataFileLocation() != null) {
      files.add(metadata.metadataFileLocation());
    }
    metadata.previousFiles().forEach(entry -> files.add(entry.file()));
    return files;
  }

  private static FloeException mismatch(String table, String referenced, String listed) {
    return new FloeException(
        ErrorCode.INVALID_ARGUMENT,
        "%s: refusing orphan removal: the metadata references %s but the object store lists %s; schemes or buckets differ, so files cannot be matched safely (set the table's paths to one spelling first)"
            .formatted(table, referenced, listed));
  }
}
