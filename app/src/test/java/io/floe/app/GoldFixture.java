package io.floe.app;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Writes gold-shaped tables the way the pipeline does, with pure-Java Iceberg: each change lands on
 * an audit branch, and publishing fast-forwards {@code main} and tags it {@code published-<utc>}.
 */
final class GoldFixture {
  static final Schema ORDER_REPORT =
      new Schema(
          Types.NestedField.required(1, "day", Types.DateType.get()),
          Types.NestedField.required(2, "order_count", Types.LongType.get()),
          Types.NestedField.required(3, "total_revenue", Types.DecimalType.of(18, 2)),
          Types.NestedField.required(4, "avg_revenue", Types.DecimalType.of(18, 2)));

  private GoldFixture() {}

  static Table createOrderReport(Catalog catalog, TableRef ref) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(Namespace.of(ref.namespace()))) {
      namespaces.createNamespace(Namespace.of(ref.namespace()));
    }
    return catalog.createTable(ref.toIdentifier(), ORDER_REPORT, PartitionSpec.unpartitioned());
  }

  static Record orderDay(LocalDate day, long orders, String total) {
    GenericRecord record = GenericRecord.create(ORDER_REPORT);
    BigDecimal revenue = new BigDecimal(total).setScale(2);
    record.setField("day", day);
    record.setField("order_count", orders);
    record.setField("total_revenue", revenue);
    record.setField(
        "avg_revenue",
        revenue.divide(BigDecimal.valueOf(orders), 2, java.math.RoundingMode.HALF_UP));
    return record;
  }

  /** Appends {@code rows} as one snapshot on the audit branch of {@code runId}; returns its id. */
  static long appendOnAuditBranch(
      Table table, String runId, List<Record> rows, Map<String, String> summary) {
    String branch = Refs.auditBranch(runId);
    table.refresh();
    if (table.refs().get(branch) == null && table.currentSnapshot() != null) {
      table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
    }
    var append = table.newAppend().appendFile(write(table, rows)).toBranch(branch);
    summary.forEach(append::set);
    append.set(Refs.SUMMARY_RUN_ID, runId);
    append.commit();
    table.refresh();
    return table.refs().get(branch).snapshotId();
  }

  /** What the gate does on a pass: main fast-forwards to the audit branch, which gets a tag. */
  static String publish(Table table, String runId, Instant time) {
    String branch = Refs.auditBranch(runId);
    table.refresh();
    long snapshot = table.refs().get(branch).snapshotId();
    String tag = Refs.publishedTag(time);
    if (table.currentSnapshot() == null) {
      table.manageSnapshots().createBranch(Refs.MAIN, snapshot).createTag(tag, snapshot).commit();
    } else {
      table
          .manageSnapshots()
          .fastForwardBranch(Refs.MAIN, branch)
          .createTag(tag, snapshot)
          .commit();
    }
    table.refresh();
    return tag;
  }

  private static DataFile write(Table table, List<Record> rows) {
    OutputFile file =
        table
            .io()
            .newOutputFile(
                table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
    DataWriter<Record> writer;
    try {
      writer =
          Parquet.writeData(file)
              .schema(table.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(table.spec())
              .overwrite()
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (writer) {
      rows.forEach(writer::write);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataFile dataFile = writer.toDataFile();
    if (dataFile.format() != FileFormat.PARQUET) {
      throw new IllegalStateException("expected a Parquet file");
    }
    return dataFile;
  }
}
