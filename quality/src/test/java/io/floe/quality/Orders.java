package io.floe.quality;

import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.types.Types;

/** Test tables written with pure-Java Iceberg: an orders fact and a buyers dimension. */
final class Orders {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "buyer_id", Types.LongType.get()),
          Types.NestedField.optional(3, "status", Types.StringType.get()),
          Types.NestedField.optional(4, "revenue", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(5, "order_ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(6, "note", Types.StringType.get()));

  static final Schema BUYERS =
      new Schema(Types.NestedField.required(1, "buyer_id", Types.LongType.get()));

  static final List<String> STATUSES = List.of("placed", "paid", "shipped", "delivered");

  private Orders() {}

  static Table create(Catalog catalog, TableRef ref, Map<String, String> properties) {
    return catalog.createTable(
        ref.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned(), properties);
  }

  /** Clean rows with order ids {@code from..from+count-1}, buyers 1..50, recent timestamps. */
  static List<Record> rows(long from, int count, OffsetDateTime now) {
    List<Record> rows = new ArrayList<>();
    for (long id = from; id < from + count; id++) {
      rows.add(
          row(
              SCHEMA,
              id,
              1 + id % 50,
              STATUSES.get((int) (id % 4)),
              BigDecimal.valueOf(id % 1000, 0).add(new BigDecimal("0.50")),
              now.minusMinutes(id % 60),
              "note for order number " + id));
    }
    return rows;
  }

  static Record row(
      Schema schema,
      long id,
      Long buyer,
      String status,
      BigDecimal revenue,
      OffsetDateTime ts,
      String note) {
    GenericRecord row = GenericRecord.create(schema);
    row.setField("order_id", id);
    row.setField("buyer_id", buyer);
    row.setField("status", status);
    row.setField("revenue", revenue == null ? null : revenue.setScale(2));
    row.setField("order_ts", ts);
    row.setField("note", note);
    return row;
  }

  /** Writes {@code rows} as one data file in the table's write format (Parquet by default). */
  static DataFile write(Table table, List<Record> rows) {
    FileFormat format = RecordFiles.writeFormat(table);
    String location =
        table.locationProvider().newDataLocation(format.addExtension(UUID.randomUUID().toString()));
    try {
      DataWriter<Record> writer =
          RecordFiles.dataWriter(
              table,
              table.schema(),
              table.spec(),
              null,
              format,
              table.io().newOutputFile(location));
      try (writer) {
        rows.forEach(writer::write);
      }
      return writer.toDataFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Appends {@code rows} as one file to {@code branch} (created from main's head if absent). */
  static long append(Table table, String branch, List<Record> rows) {
    table.refresh();
    if (!branch.equals("main")
        && table.refs().get(branch) == null
        && table.currentSnapshot() != null) {
      table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
    }
    table.newAppend().appendFile(write(table, rows)).toBranch(branch).commit();
    table.refresh();
    return table.snapshot(branch).snapshotId();
  }

  static void buyers(Catalog catalog, TableRef ref, int count) {
    Table table = catalog.createTable(ref.toIdentifier(), BUYERS, PartitionSpec.unpartitioned());
    List<Record> rows = new ArrayList<>();
    for (long id = 1; id <= count; id++) {
      GenericRecord row = GenericRecord.create(BUYERS);
      row.setField("buyer_id", id);
      rows.add(row);
    }
    table.newAppend().appendFile(write(table, rows)).commit();
  }

  static OffsetDateTime now() {
    return OffsetDateTime.now(ZoneOffset.UTC);
  }
}
