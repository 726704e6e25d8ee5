package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Commits;
import io.floe.catalog.LogTables;
import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Types;

/**
 * One maintenance run per table at a time, through the catalog alone: leases are rows of the
 * Iceberg table {@code <namespace>.leases}, partitioned by table. Taking a lease is a row-delta
 * commit validated against every lease row added for that table since the snapshot the taker read,
 * so of two racing takers exactly one commits. A lease expires on its own, so a crashed holder
 * blocks the table for at most the lease duration. One instance is shared by the tables a pass
 * maintains at once: its takes and releases take turns.
 */
public final class TableLeases {
  public static final String TABLE = "leases";

  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "table_name", Types.StringType.get()),
          Types.NestedField.required(2, "owner", Types.StringType.get()),
          Types.NestedField.required(3, "token", Types.StringType.get()),
          Types.NestedField.required(4, "state", Types.StringType.get()),
          Types.NestedField.required(5, "expires_at", Types.TimestampType.withZone()),
          Types.NestedField.required(6, "recorded_at", Types.TimestampType.withZone()));

  /**
   * How long after it expired a lease row stays: maintenance then drops it (by {@code expires_at},
   * so a lease however long is never dropped while it holds).
   */
  public static final Duration RETENTION = Duration.ofDays(7);

  private final Table table;

  private TableLeases(Table table) {
    this.table = table;
  }

  public static TableLeases open(Catalog catalog, String namespace) {
    return new TableLeases(
        SystemTables.ensure(
            catalog,
            namespace,
            TABLE,
            SCHEMA,
            PartitionSpec.builderFor(SCHEMA).identity("table_name").build(),
            LogTables.retention("expires_at", RETENTION)));
  }

  /** A held lease. */
  public record Lease(String table, String owner, String token, Instant expiresAt) {
    public Lease {
      requireNonNull(table, "table is null");
      requireNonNull(owner, "owner is null");
      requireNonNull(token, "token is null");
      requireNonNull(expiresAt, "expiresAt is null");
    }
  }

  /** Takes the lease of {@code tableName} unless someone else holds an unexpired one. */
  public synchronized Optional<Lease> acquire(String tableName, String owner, Duration duration) {
    table.refresh();
    Snapshot seen = table.currentSnapshot();
    Instant now = Instant.now();
    Optional<Record> latest = latest(tableName, seen);
    if (latest.isPresent()
        && "held".equals(latest.get().getField("state"))
        && SystemTables.instant(latest.get().getField("expires_at")).isAfter(now)) {
      return Optional.empty();
    }
    Lease lease = new Lease(tableName, owner, UUID.randomUUID().toString(), now.plus(duration));
    RowDelta delta = Commits.promptly(table.newRowDelta());
    RecordFiles.write(table, List.of(row(lease, "held", now)), LogTables.APPEND_FORMAT)
        .forEach(delta::addRows);
    if (seen != null) {
      delta.validateFromSnapshot(seen.snapshotId());
    }
    try {
      delta.conflictDetectionFilter(forTable(tableName)).validateNoConflictingDataFiles().commit();
    } catch (ValidationException lostTheRace) {
      return Optional.empty();
    }
    return Optional.of(lease);
  }

  /** Gives the lease back, so the next run need not wait for it to expire. */
  public synchronized void release(Lease lease) {
    Instant now = Instant.now();
    table.refresh();
    RecordFiles.appendToLog(table, List.of(row(lease, "released", now)));
  }

  private Optional<Record> latest(String tableName, Snapshot seen) {
    if (seen == null) {
      return Optional.empty();
    }
    Record latest = null;
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .useSnapshot(seen.snapshotId())
            .where(forTable(tableName))
            .build()) {
      for (Record row : rows) {
        if (latest == null
            || SystemTables.instant(row.getField("recorded_at"))
                .isAfter(SystemTables.instant(latest.getField("recorded_at")))) {
          latest = row.copy();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return Optional.ofNullable(latest);
  }

  private static Expression forTable(String tableName) {
    return Expressions.equal("table_name", tableName);
  }

  private static Record row(Lease lease, String state, Instant at) {
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("table_name", lease.table());
    row.setField("owner", lease.owner());
    row.setField("token", lease.token());
    row.setField("state", state);
    row.setField("expires_at", SystemTables.time(lease.expiresAt()));
    row.setField("recorded_at", SystemTables.time(at));
    return row;
  }
}
