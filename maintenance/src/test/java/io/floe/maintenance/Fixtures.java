package io.floe.maintenance;

import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/** Tables, rows and delete files for maintenance tests, written with pure-Java Iceberg. */
final class Fixtures {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "category", Types.StringType.get()),
          Types.NestedField.optional(3, "ts", Types.TimestampType.withZone()));
  static final String[] CATEGORIES = {"books", "garden", "toys"};
  static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  private Fixtures() {}

  static Table create(
      Catalog catalog, String namespace, String name, PartitionSpec spec, SortOrder order) {
    return create(catalog, namespace, name, spec, order, 2);
  }

  static Table create(
      Catalog catalog,
      String namespace,
      String name,
      PartitionSpec spec,
      SortOrder order,
      int formatVersion) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(Namespace.of(namespace))) {
      namespaces.createNamespace(Namespace.of(namespace));
    }
    return catalog
        .buildTable(TableIdentifier.of(namespace, name), SCHEMA)
        .withPartitionSpec(spec)
        .withSortOrder(order)
        .withProperty("format-version", Integer.toString(formatVersion))
        .withProperty("commit.retry.num-retries", "50")
        .withProperty("commit.retry.min-wait-ms", "20")
        .withProperty("commit.retry.max-wait-ms", "500")
        .create();
  }

  static PartitionSpec byCategory() {
    return PartitionSpec.builderFor(SCHEMA).identity("category").build();
  }

  static PartitionSpec byDay() {
    return PartitionSpec.builderFor(SCHEMA).day("ts").build();
  }

  static Record row(long id) {
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("id", id);
    row.setField("category", CATEGORIES[(int) (id % CATEGORIES.length)]);
    row.setField("ts", BASE.plusSeconds(id * 3600).atOffset(ZoneOffset.UTC));
    return row;
  }

  static List<Record> rows(long from, long count) {
    List<Record> rows = new ArrayList<>();
    for (long id = from; id < from + count; id++) {
      rows.add(row(id));
    }
    return rows;
  }

  /** Writes one data file per partition (uncommitted). */
  static List<DataFile> write(Table table, List<Record> rows) {
    return RecordFiles.write(table, rows, FileFormat.PARQUET);
  }

  /** Appends the rows in one commit on {@code branch}, one file per partition. */
  static List<DataFile> append(Table table, String branch, List<Record> rows) {
    List<DataFile> files = write(table, rows);
    AppendFiles append = table.newAppend().toBranch(branch);
    files.forEach(append::appendFile);
    append.commit();
    return files;
  }

  static List<DataFile> append(Table table, List<Record> rows) {
    return append(table, "main", rows);
  }

  /** Appends the rows to main in one commit, one file per partition in {@code format}. */
  static List<DataFile> append(Table table, List<Record> rows, FileFormat format) {
    AppendFiles append = table.newAppend();
    List<DataFile> files = RecordFiles.write(table, rows, format);
    files.forEach(append::appendFile);
    append.commit();
    return files;
  }

  /** An unsorted table partitioned by category. */
  static Table byCategory(Catalog catalog, String namespace, String name) {
    return create(catalog, namespace, name, byCategory(), SortOrder.unsorted());
  }

  /** Position deletes of the rows at {@code positions} of {@code file}, committed on main. */
  static DeleteFile deletePositions(Table table, DataFile file, List<Long> positions) {
    String location =
        table
            .locationProvider()
            .newDataLocation(
                table.specs().get(file.specId()),
                file.partition(),
                "pos-" + UUID.randomUUID() + ".parquet");
    PositionDeleteWriter<Record> writer;
    try {
      writer =
          Parquet.writeDeletes(table.io().newOutputFile(location))
              .withSpec(table.specs().get(file.specId()))
              .withPartition(file.partition())
              .overwrite()
              .buildPositionWriter();
      try (PositionDeleteWriter<Record> closing = writer) {
        PositionDelete<Record> delete = PositionDelete.create();
        for (long position : positions.stream().sorted().toList()) {
          closing.write(delete.set(file.location(), position));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  /** An equality delete by id of {@code ids}, all in the partition of {@code category}. */
  static DeleteFile deleteIds(Table table, String category, List<Long> ids) {
    Schema idOnly = table.schema().select("id");
    GenericRecord sample = GenericRecord.create(SCHEMA);
    sample.setField("category", category);
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(sample);
    String location =
        table.spec().isUnpartitioned()
            ? table.locationProvider().newDataLocation("eq-" + UUID.randomUUID() + ".parquet")
            : table
                .locationProvider()
                .newDataLocation(table.spec(), key, "eq-" + UUID.randomUUID() + ".parquet");
    EqualityDeleteWriter<Record> writer;
    try {
      writer =
          Parquet.writeDeletes(table.io().newOutputFile(location))
              .forTable(table)
              .withSpec(table.spec())
              .withPartition(table.spec().isUnpartitioned() ? null : key.copy())
              .rowSchema(idOnly)
              .equalityFieldIds(1)
              .createWriterFunc(GenericParquetWriter::create)
              .overwrite()
              .buildEqualityWriter();
      try (EqualityDeleteWriter<Record> closing = writer) {
        for (long id : ids) {
          GenericRecord row = GenericRecord.create(idOnly);
          row.setField("id", id);
          closing.write(row);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return writer.toDeleteFile();
  }

  /** Every row of {@code snapshotId} as {@code id|category|ts}, sorted (a multiset). */
  static List<String> read(Table table, long snapshotId) {
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
      for (Record record : records) {
        rows.add(format(record));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }

  static List<String> read(Table table) {
    table.refresh();
    return table.currentSnapshot() == null
        ? List.of()
        : read(table, table.currentSnapshot().snapshotId());
  }

  static String format(Record record) {
    return record.getField("id") + "|" + record.getField("category") + "|" + record.getField("ts");
  }

  static List<String> formatted(List<Record> rows) {
    List<String> out = new ArrayList<>(rows.stream().map(Fixtures::format).toList());
    out.sort(null);
    return out;
  }

  /** A ledger line about file {@code i} of {@code table}, for tests that fill a ledger. */
  static LedgerEntry ledgerEntry(String table, int i) {
    return new LedgerEntry(
        table,
        "s3://warehouse/" + table.replace('.', '/') + "/data/file-" + i + ".parquet",
        100 + i,
        LedgerEntry.Reason.EXPIRED_SNAPSHOT,
        LedgerEntry.State.DELETED,
        "snapshot " + i,
        "run-" + i,
        java.util.Optional.empty(),
        java.time.Instant.now());
  }

  /** Every file any snapshot of the table references, and its metadata file, exists. */
  static void assertReferencedFilesExist(Table table) {
    for (String path : referenced(table)) {
      org.assertj.core.api.Assertions.assertThat(table.io().newInputFile(path).exists())
          .as(path)
          .isTrue();
    }
  }

  /** Every file any snapshot of the table references, plus its metadata files. */
  static Set<String> referenced(Table table) {
    table.refresh();
    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    Set<String> files =
        new HashSet<>(
            ReachableFiles.of(table.io(), metadata.specsById(), metadata.snapshots()).keySet());
    files.add(metadata.metadataFileLocation());
    return files;
  }
}
