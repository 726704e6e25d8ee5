package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.LogTables;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * Every maintenance run's outcome, one row per table and operation: {@code <namespace>.runs}. One
 * instance is shared by the tables a pass maintains at once: its reads and appends take turns.
 */
public final class RunLog {
  public static final String TABLE = "runs";

  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "run_id", Types.StringType.get()),
          Types.NestedField.required(2, "table_name", Types.StringType.get()),
          Types.NestedField.required(3, "operation", Types.StringType.get()),
          Types.NestedField.required(4, "outcome", Types.StringType.get()),
          Types.NestedField.required(5, "detail", Types.StringType.get()),
          Types.NestedField.required(6, "started_at", Types.TimestampType.withZone()),
          Types.NestedField.required(7, "finished_at", Types.TimestampType.withZone()));

  /**
   * Partitioned by the table a row is about: reading one table's rows (as every run does) skips the
   * other tables' files, however many tables the log covers.
   */
  static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("table_name").build();

  /**
   * How long a run's rows stay; maintenance then drops them. The scheduler reads only the latest
   * successful run of each table, and a table with none left is simply due.
   */
  public static final Duration RETENTION = Duration.ofDays(90);

  private final Table table;

  private RunLog(Table table) {
    this.table = table;
  }

  public static RunLog open(Catalog catalog, String namespace) {
    return new RunLog(
        SystemTables.ensure(
            catalog,
            namespace,
            TABLE,
            SCHEMA,
            SPEC,
            LogTables.retention("finished_at", RETENTION)));
  }

  /** The run log when it exists, for a dry run, which must not create it. */
  public static Optional<RunLog> existing(Catalog catalog, String namespace) {
    TableIdentifier id = new TableRef(namespace, TABLE).toIdentifier();
    return catalog.tableExists(id)
        ? Optional.of(new RunLog(catalog.loadTable(id)))
        : Optional.empty();
  }

  /** One operation's outcome on one table. */
  public record Entry(
      String runId,
      String table,
      String operation,
      Outcome outcome,
      String detail,
      Instant startedAt,
      Instant finishedAt) {
    public Entry {
      requireNonNull(runId, "runId is null");
      requireNonNull(table, "table is null");
      requireNonNull(operation, "operation is null");
      requireNonNull(outcome, "outcome is null");
      requireNonNull(detail, "detail is null");
      requireNonNull(startedAt, "startedAt is null");
      requireNonNull(finishedAt, "finishedAt is null");
    }
  }

  public enum Outcome {
    OK,
    FAILED,
    SKIPPED
  }

  public synchronized void record(List<Entry> entries) {
    if (entries.isEmpty()) {
      return;
    }
    List<Record> rows = new ArrayList<>();
    for (Entry entry : entries) {
      GenericRecord row = GenericRecord.create(SCHEMA);
      row.setField("run_id", entry.runId());
      row.setField("table_name", entry.table());
      row.setField("operation", entry.operation());
      row.setField("outcome", entry.outcome().name().toLowerCase(java.util.Locale.ROOT));
      row.setField("detail", entry.detail());
      row.setField("started_at", SystemTables.time(entry.startedAt()));
      row.setField("finished_at", SystemTables.time(entry.finishedAt()));
      rows.add(row);
    }
    table.refresh();
    RecordFiles.appendToLog(table, rows);
  }

  /** When {@code tableName} last finished a run with every operation ok. */
  public synchronized Optional<Instant> lastSuccess(String tableName) {
    table.refresh();
    Instant last = null;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .where(
                Expressions.and(
                    Expressions.equal("table_name", tableName),
                    Expressions.equal("operation", "run")))
            .build()) {
      for (Record row : rows) {
        Instant finished = SystemTables.instant(row.getField("finished_at"));
        if ("ok".equals(row.getField("outcome")) && (last == null || finished.isAfter(last))) {
          last = finished;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(last);
  }

  public synchronized List<Entry> entries(String tableName) {
    table.refresh();
    List<Entry> entries = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table).where(Expressions.equal("table_name", tableName)).build()) {
      for (Record row : rows) {
        entries.add(
            new Entry(
                (String) row.getField("run_id"),
                (String) row.getField("table_name"),
                (String) row.getField("operation"),
                Outcome.valueOf(
                    ((String) row.getField("outcome")).toUpperCase(java.util.Locale.ROOT)),
                (String) row.getField("detail"),
                SystemTables.instant(row.getField("started_at")),
                SystemTables.instant(row.getField("finished_at"))));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return entries;
  }
}
