package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Commits;
import io.floe.catalog.ManifestScan;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.Refs;
import io.floe.catalog.SqlEvaluator;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFiles;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.StrictMetricsEvaluator;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Drops main's rows older than a duration on a time column. Files whose every row is older (by
 * partition or column bounds) go in a metadata-only delete; files with old and new rows are
 * rewritten without the old rows, validated against concurrent deletes. Every file that stops being
 * referenced is recorded in the ledger; expiry deletes it later, like any other unreferenced file.
 * Refuses a duration below {@link MaintenancePolicy#RETENTION_MAX_AGE_FLOOR} unless forced.
 */
public final class Retention extends Removal<Retention, RetentionResult> {
  private Optional<MaintenancePolicy.RetentionRule> rule = Optional.empty();

  Retention(Table table) {
    super(table, "retention");
  }

  /** Overrides the policy's retention rule. */
  public Retention rule(MaintenancePolicy.RetentionRule rule) {
    this.rule = Optional.of(requireNonNull(rule, "rule is null"));
    return this;
  }

  @Override
  Floor floor(String name) {
    MaintenancePolicy.RetentionRule retention = resolvedRule(name);
    return new Floor(
        retention.setting(),
        retention.maxAge(),
        MaintenancePolicy.RETENTION_MAX_AGE_FLOOR,
        "the last day's rows may still be arriving late or being read");
  }

  private MaintenancePolicy.RetentionRule resolvedRule(String name) {
    return rule.or(policy::retention)
        .orElseThrow(
            () ->
                new FloeException(
                    ErrorCode.INVALID_CONFIG,
                    "%s: no retention rule; set tables.%s.maintenance.retention.column and .max-age"
                        .formatted(name, name)));
  }

  @Override
  RetentionResult run(String name, Instant at) {
    MaintenancePolicy.RetentionRule retention = resolvedRule(name);
    table.refresh();
    Types.NestedField field = table.schema().findField(retention.column());
    if (field == null) {
      throw new FloeException(
          ErrorCode.INVALID_CONFIG,
          "%s: retention column '%s' does not exist".formatted(name, retention.column()));
    }
    // to the millisecond, as the ledger and the output show it: rounding down moves the cutoff
    // earlier, so it can only keep a row, never drop one the rule keeps
    Instant cutoff = at.minus(retention.maxAge()).truncatedTo(ChronoUnit.MILLIS);
    Expression older = olderThan(field, cutoff, name);
    Predicate<Record> keep = row -> !isOlder(row.getField(field.name()), field.type(), cutoff);
    if (!dryRun) {
      settle(name);
    }
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return new RetentionResult(
          name, dryRun, field.name(), cutoff, List.of(), List.of(), Optional.empty());
    }
    String cause = "retention %s < %s".formatted(field.name(), cutoff);
    List<DataFile> whole = new ArrayList<>();
    List<FileScanTask> partial = new ArrayList<>();
    StrictMetricsEvaluator strict = new StrictMetricsEvaluator(table.schema(), older);
    InclusiveMetricsEvaluator inclusive = new InclusiveMetricsEvaluator(table.schema(), older);
    List<FileScanTask> tasks =
        ManifestScan.withDeletes(
            table,
            start,
            scan ->
                scan.filter(older)
                    // the retention column's statistics only, not all of a wide table's columns'
                    .includeColumnStats(List.of(table.schema().findColumnName(field.fieldId()))));
    for (FileScanTask task : tasks) {
      // a null partition value (rows without a timestamp) is older than nothing
      boolean wholePartition =
          new SqlEvaluator(
                  table.specs().get(task.file().specId()).partitionType(),
                  org.apache.iceberg.expressions.Projections.strict(
                          table.specs().get(task.file().specId()))
                      .project(older),
                  true)
              .isTrue(task.file().partition());
      if (wholePartition || strict.eval(task.file())) {
        whole.add(task.file());
      } else if (!inclusive.eval(task.file())) {
        continue;
      } else if (hasBounds(task.file(), field.fieldId())) {
        partial.add(task);
      } else {
        // no bounds to go by (an Avro file, or a writer that kept no statistics): its rows
        // tell whether it is old, partly old or untouched, so neither the plan nor the ledger
        // lists a file this run leaves as it is
        switch (oldRows(task, keep)) {
          case ALL -> whole.add(task.file());
          case SOME -> partial.add(task);
          case NONE -> {}
        }
      }
    }
    List<RemovedFile> dropped =
        whole.stream().map(f -> new RemovedFile(f.location(), f.fileSizeInBytes(), cause)).toList();
    List<RemovedFile> rewritten =
        partial.stream()
            .map(
                t ->
                    new RemovedFile(
                        t.file().location(), t.file().fileSizeInBytes(), cause + ", rewritten"))
            .toList();
    if (dryRun || (whole.isEmpty() && partial.isEmpty())) {
      return new RetentionResult(
          name, dryRun, field.name(), cutoff, dropped, rewritten, Optional.empty());
    }
    String runId = DeletionLedger.newRunId(at);
    // intents before the commits, outcomes after: a run killed in between leaves intents that the
    // next run settles by whether the files are still live in main
    Instant recorded = Instant.now();
    List<LedgerEntry> intents = new ArrayList<>();
    for (RemovedFile file : dropped) {
      intents.add(entry(name, file, cause, runId, LedgerEntry.State.INTENT, recorded));
    }
    for (RemovedFile file : rewritten) {
      intents.add(entry(name, file, file.cause(), runId, LedgerEntry.State.INTENT, recorded));
    }
    ledger.record(intents);
    Long snapshotId = null;
    Long deleteSnapshot = null;
    if (!whole.isEmpty()) {
      DeleteFiles delete = Commits.promptly(table.newDelete()).validateFilesExist();
      whole.forEach(delete::deleteFile);
      delete.set("floe.maintenance", "retain");
      delete.set(Refs.SUMMARY_RUN_ID, runId);
      delete.commit();
      snapshotId = table.currentSnapshot().snapshotId();
      deleteSnapshot = snapshotId;
    }
    if (!partial.isEmpty()) {
      GroupRewriter rewriter =
          new GroupRewriter(table, policy.targetFileSize(), GroupRewriter.Mode.REENCODE);
      OverwriteFiles overwrite =
          Commits.promptly(table.newOverwrite())
              .validateFromSnapshot(start.snapshotId())
              .conflictDetectionFilter(Expressions.alwaysTrue())
              .validateNoConflictingDeletes();
      List<DataFile> added = new ArrayList<>();
      for (FileScanTask task : partial) {
        FileGroup group =
            new FileGroup(
                task.file().specId(),
                task.file().partition(),
                HealthCheck.partitionName(table, task.file()),
                List.of(task),
                List.of(),
                cause);
        added.addAll(rewriter.rewriteKeeping(group, keep));
        overwrite.deleteFile(task.file());
      }
      added.forEach(overwrite::addFile);
      overwrite.set("floe.maintenance", "retain");
      overwrite.set(Refs.SUMMARY_RUN_ID, runId);
      overwrite.commit();
      snapshotId = table.currentSnapshot().snapshotId();
    }
    Instant done = Instant.now();
    java.util.Set<String> dropPaths =
        new java.util.HashSet<>(dropped.stream().map(RemovedFile::path).toList());
    String byDelete = " (snapshot " + deleteSnapshot + ")";
    String byOverwrite = " (snapshot " + snapshotId + ")";
    ledger.record(
        intents.stream()
            .map(
                i ->
                    new LedgerEntry(
                        i.table(),
                        i.path(),
                        i.size(),
                        i.reason(),
                        LedgerEntry.State.DEREFERENCED,
                        i.cause() + (dropPaths.contains(i.path()) ? byDelete : byOverwrite),
                        i.runId(),
                        i.quarantinePath(),
                        done))
            .toList());
    return new RetentionResult(
        name, false, field.name(), cutoff, dropped, rewritten, Optional.of(snapshotId));
  }

  /**
   * Settles retention intents of interrupted runs: a file no longer live in main was dereferenced
   * (by the snapshot carrying that run's id, when it is still in the metadata); a live one was not.
   */
  private void settle(String name) {
    List<LedgerEntry> pending =
        ledger.inState(name, LedgerEntry.State.INTENT).stream()
            .filter(e -> e.reason() == LedgerEntry.Reason.RETENTION)
            .toList();
    if (pending.isEmpty()) {
      return;
    }
    java.util.Set<String> live = new java.util.HashSet<>();
    if (table.currentSnapshot() != null) {
      ManifestScan.withDeletes(table, table.currentSnapshot(), scan -> scan)
          .forEach(task -> live.add(task.file().location()));
    }
    java.util.Map<String, Long> snapshotsByRun = new java.util.HashMap<>();
    for (Snapshot snapshot : table.snapshots()) {
      String run = snapshot.summary().get(Refs.SUMMARY_RUN_ID);
      if (run != null && "retain".equals(snapshot.summary().get("floe.maintenance"))) {
        snapshotsByRun.merge(run, snapshot.snapshotId(), Math::max);
      }
    }
    Instant at = Instant.now();
    List<LedgerEntry> settled = new ArrayList<>();
    for (LedgerEntry intent : pending) {
      if (live.contains(intent.path())) {
        settled.add(intent.withState(LedgerEntry.State.CANCELLED, at));
      } else {
        Long snapshot = snapshotsByRun.get(intent.runId());
        settled.add(
            new LedgerEntry(
                intent.table(),
                intent.path(),
                intent.size(),
                intent.reason(),
                LedgerEntry.State.DEREFERENCED,
                intent.cause()
                    + (snapshot == null
                        ? " (snapshot expired since)"
                        : " (snapshot " + snapshot + ")"),
                intent.runId(),
                intent.quarantinePath(),
                at));
      }
    }
    ledger.record(settled);
  }

  private static LedgerEntry entry(
      String table,
      RemovedFile file,
      String cause,
      String runId,
      LedgerEntry.State state,
      Instant at) {
    return new LedgerEntry(
        table,
        file.path(),
        file.size(),
        LedgerEntry.Reason.RETENTION,
        state,
        cause,
        runId,
        Optional.empty(),
        at);
  }

  private static Expression olderThan(Types.NestedField field, Instant cutoff, String table) {
    Type.TypeID type = field.type().typeId();
    return switch (type) {
      case TIMESTAMP ->
          Expressions.lessThan(field.name(), ChronoUnit.MICROS.between(Instant.EPOCH, cutoff));
      case DATE ->
          Expressions.lessThan(
              field.name(), (int) LocalDate.ofInstant(cutoff, ZoneOffset.UTC).toEpochDay());
      default ->
          throw new FloeException(
              ErrorCode.INVALID_CONFIG,
              "%s: retention column '%s' is %s; it must be a timestamp or date"
                  .formatted(table, field.name(), field.type()));
    };
  }

  private static boolean isOlder(Object value, Type type, Instant cutoff) {
    if (value == null) {
      return false;
    }
    if (value instanceof OffsetDateTime time) {
      return time.toInstant().isBefore(cutoff);
    }
    if (value instanceof java.time.LocalDateTime time) {
      return time.toInstant(ZoneOffset.UTC).isBefore(cutoff);
    }
    if (value instanceof LocalDate date) {
      return date.isBefore(LocalDate.ofInstant(cutoff, ZoneOffset.UTC));
    }
    throw new IllegalStateException("unexpected " + type + " value " + value);
  }

  private enum OldRows {
    NONE,
    SOME,
    ALL
  }

  private static boolean hasBounds(DataFile file, int fieldId) {
    return file.lowerBounds() != null
        && file.upperBounds() != null
        && file.lowerBounds().containsKey(fieldId)
        && file.upperBounds().containsKey(fieldId);
  }

  /** How many of a file's live rows retention removes, read from the rows themselves. */
  private OldRows oldRows(FileScanTask task, Predicate<Record> keep) {
    boolean anyKept = false;
    boolean anyOld = false;
    try (CloseableIterable<Record> rows = RecordFiles.liveRows(table, task, table.schema())) {
      for (Record row : rows) {
        if (keep.test(row)) {
          anyKept = true;
        } else {
          anyOld = true;
        }
        if (anyKept && anyOld) {
          return OldRows.SOME;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + task.file().location(), e);
    }
    return anyKept ? OldRows.NONE : OldRows.ALL;
  }
}
