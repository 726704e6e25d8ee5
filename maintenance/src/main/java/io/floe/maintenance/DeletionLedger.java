package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * The record of every file maintenance deletes, moves or dereferences: an append-only Iceberg table
 * {@code <namespace>.deletions} (default {@code floe_maintenance.deletions}), queryable from Trino.
 * Operations write an intent before they touch a file and the outcome after, so a killed run leaves
 * its intents behind. One instance is shared by the tables a pass maintains at once: its appends
 * and reads take turns.
 */
public final class DeletionLedger {
  public static final String TABLE = "deletions";

  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "table_name", Types.StringType.get()),
          Types.NestedField.required(2, "path", Types.StringType.get()),
          Types.NestedField.required(3, "size_bytes", Types.LongType.get()),
          Types.NestedField.required(4, "reason", Types.StringType.get()),
          Types.NestedField.required(5, "state", Types.StringType.get()),
          Types.NestedField.required(6, "cause", Types.StringType.get()),
          Types.NestedField.required(7, "run_id", Types.StringType.get()),
          Types.NestedField.optional(8, "quarantine_path", Types.StringType.get()),
          Types.NestedField.required(9, "recorded_at", Types.TimestampType.withZone()));

  /**
   * Partitioned by the table a row is about: reading one table's rows (as every run does) skips the
   * other tables' files, however many tables the log covers.
   */
  static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("table_name").build();

  private final Table table;

  private DeletionLedger(Table table) {
    this.table = table;
  }

  /** The ledger in {@code namespace}, created when absent. */
  public static DeletionLedger open(Catalog catalog, String namespace) {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(namespace, "namespace is null");
    return new DeletionLedger(SystemTables.ensure(catalog, namespace, TABLE, SCHEMA, SPEC));
  }

  /** The ledger kept in {@code table} (which has {@link #SCHEMA}). */
  static DeletionLedger in(Table table) {
    return new DeletionLedger(requireNonNull(table, "table is null"));
  }

  /** Appends {@code entries} in one commit; nothing when empty. */
  public synchronized void record(List<LedgerEntry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<Record> rows = new ArrayList<>(entries.size());
    for (LedgerEntry entry : entries) {
      GenericRecord row = GenericRecord.create(SCHEMA);
      row.setField("table_name", entry.table());
      row.setField("path", entry.path());
      row.setField("size_bytes", entry.size());
      row.setField("reason", entry.reason().name().toLowerCase(java.util.Locale.ROOT));
      row.setField("state", entry.state().name().toLowerCase(java.util.Locale.ROOT));
      row.setField("cause", entry.cause());
      row.setField("run_id", entry.runId());
      row.setField("quarantine_path", entry.quarantinePath().orElse(null));
      row.setField("recorded_at", SystemTables.time(entry.recordedAt()));
      rows.add(row);
    }
    table.refresh();
    RecordFiles.appendToLog(table, rows);
  }

  /** Every line about {@code tableName}, oldest first. */
  public synchronized List<LedgerEntry> history(String tableName) {
    table.refresh();
    List<LedgerEntry> entries = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).where(Expressions.equal("table_name", tableName)).build()) {
      for (Record row : rows) {
        entries.add(
            new LedgerEntry(
                (String) row.getField("table_name"),
                (String) row.getField("path"),
                (Long) row.getField("size_bytes"),
                LedgerEntry.Reason.valueOf(upper(row.getField("reason"))),
                LedgerEntry.State.valueOf(upper(row.getField("state"))),
                (String) row.getField("cause"),
                (String) row.getField("run_id"),
                Optional.ofNullable((String) row.getField("quarantine_path")),
                SystemTables.instant(row.getField("recorded_at"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    entries.sort(
        Comparator.comparing(LedgerEntry::recordedAt).thenComparing(e -> e.state().ordinal()));
    return entries;
  }

  /** The latest line per run and path of {@code tableName}. */
  public List<LedgerEntry> latest(String tableName) {
    Map<String, LedgerEntry> latest = new LinkedHashMap<>();
    for (LedgerEntry entry : history(tableName)) {
      latest.put(entry.runId() + "\n" + entry.path(), entry);
    }
    return List.copyOf(latest.values());
  }

  /** The latest lines of {@code tableName} that are in {@code state}. */
  public List<LedgerEntry> inState(String tableName, LedgerEntry.State state) {
    return latest(tableName).stream().filter(e -> e.state() == state).toList();
  }

  static String newRunId(Instant now) {
    return "m" + now.toEpochMilli() + "_" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  private static String upper(Object value) {
    return ((String) value).toUpperCase(java.util.Locale.ROOT);
  }
}
