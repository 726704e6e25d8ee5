package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFilesTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "amount", Types.DoubleType.get()));
  private static final int ROWS = 20_000;

  @TempDir Path dir;

  /**
   * A Parquet file on Hadoop's file system is read through Floe's own stream over Hadoop's, not
   * Iceberg's Hadoop path: every row, in every row group, of only the projected columns.
   */
  @Test
  void aHadoopFileIsReadWholeThroughItsOwnStream() throws IOException {
    Configuration conf = new Configuration();
    // the plain local file system, without checksum files beside each file
    conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    HadoopFileIO io = new HadoopFileIO(conf);
    String location = dir.resolve("rows.parquet").toUri().toString();
    try (FileAppender<Record> out =
        Parquet.write(io.newOutputFile(location))
            .schema(SCHEMA)
            .createWriterFunc(GenericParquetWriter::create)
            // many row groups, so the read seeks back into the file after the first one
            .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "8192")
            .build()) {
      for (long id = 0; id < ROWS; id++) {
        out.add(GenericRecord.create(SCHEMA).copy("id", id, "name", "row-" + id, "amount", 0.5));
      }
    }
    InputFile input = io.newInputFile(location);
    try (ParquetFileReader footer = ParquetFileReader.open(ParquetStreams.input(input))) {
      assertThat(footer.getRowGroups()).hasSizeGreaterThan(10);
    }

    Schema projection = SCHEMA.select("id", "name");
    long rows = 0;
    long idSum = 0;
    try (CloseableIterable<Record> records =
        RecordFiles.read(input, FileFormat.PARQUET, projection, true, null, Map.of())) {
      for (Record record : records) {
        assertThat(record.struct().fields()).hasSize(2);
        assertThat(record.getField("name")).isEqualTo("row-" + record.getField("id"));
        idSum += (Long) record.getField("id");
        rows++;
      }
    }

    assertThat(rows).isEqualTo(ROWS);
    assertThat(idSum).isEqualTo((long) ROWS * (ROWS - 1) / 2);
  }

  /**
   * A file a migration brought in has no field ids, its columns in its own order and no region
   * column: read by the table's name mapping and partition tuple, each value is in its field.
   */
  @Test
  void aMigratedFileIsReadByColumnNameAndItsPartition() throws IOException {
    Table table = MigratedFiles.table(localCatalog(), TableIdentifier.of("db", "migrated"));
    List<Long> ids = LongStream.range(0, 500).boxed().toList();
    DataFile file = MigratedFiles.append(table, "emea", ids);

    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> read =
        RecordFiles.read(table, file, table.io().newInputFile(file), table.schema(), false)) {
      read.forEach(rows::add);
    }

    assertThat(rows).hasSize(500);
    for (Record row : rows) {
      long id = (Long) row.getField("order_id");
      assertThat(row.getField("buyer_id")).isEqualTo(MigratedFiles.buyer(id));
      assertThat(row.getField("quantity")).isEqualTo(MigratedFiles.quantity(id));
      assertThat(row.getField("status")).isEqualTo(MigratedFiles.status(id));
      assertThat(row.getField("region")).isEqualTo("emea");
    }
    assertThat(rows.stream().map(r -> (Long) r.getField("order_id")))
        .containsExactlyElementsOf(ids);
  }

  /**
   * Without a name mapping, Iceberg's own reader would take such a file's columns by position (its
   * quantity as order_id); Floe refuses to read it and says why.
   */
  @Test
  void aFileWithoutFieldIdsIsRefusedWhenTheTableHasNoNameMapping() {
    Table table = MigratedFiles.table(localCatalog(), TableIdentifier.of("db", "unmapped"));
    DataFile file = MigratedFiles.append(table, "emea", List.of(1L, 2L, 3L));
    table.updateProperties().remove(TableProperties.DEFAULT_NAME_MAPPING).commit();

    assertThatThrownBy(
            () -> {
              try (CloseableIterable<Record> read =
                  RecordFiles.read(
                      table, file, table.io().newInputFile(file), table.schema(), false)) {
                read.forEach(row -> {});
              }
            })
        .isInstanceOfSatisfying(
            FloeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNREADABLE_DATA_FILE))
        .hasMessageStartingWith(file.location() + " has no Iceberg field ids")
        .hasMessageContaining("no name mapping (schema.name-mapping.default)");
  }

  /** Snapshot rows read each file as the file read does, across files with and without ids. */
  @Test
  void aSnapshotsRowsMixFilesWithAndWithoutFieldIds() throws IOException {
    Table table = MigratedFiles.table(localCatalog(), TableIdentifier.of("db", "mixed"));
    MigratedFiles.append(table, "emea", List.of(1L, 2L));
    Record written = GenericRecord.create(table.schema());
    written.setField("order_id", 3L);
    written.setField("buyer_id", MigratedFiles.buyer(3));
    written.setField("quantity", MigratedFiles.quantity(3));
    written.setField("status", MigratedFiles.status(3));
    written.setField("region", "apac");
    AppendFiles append = table.newAppend();
    RecordFiles.write(table, List.of(written), FileFormat.PARQUET).forEach(append::appendFile);
    append.commit();

    Map<Long, String> regions = new HashMap<>();
    try (CloseableIterable<Record> rows =
        RecordFiles.snapshotRows(
            table, table.currentSnapshot().snapshotId(), List.of("order_id", "region"))) {
      for (Record row : rows) {
        regions.put((Long) row.getField("order_id"), (String) row.getField("region"));
      }
    }

    assertThat(regions).isEqualTo(Map.of(1L, "emea", 2L, "emea", 3L, "apac"));
  }

  /**
   * An ORC file is read as a Parquet one: columns by field id, whatever the projection's order, the
   * identity-partitioned column from the partition tuple, and in a table with row lineage each
   * row's id and last-update sequence number inherited from the file's first row id and sequence
   * number, or taken from the file where it holds them.
   */
  @Test
  void anOrcFileIsReadByFieldIdWithItsPartitionAndRowLineage() throws IOException {
    HadoopCatalog catalog = localCatalog();
    Table table =
        catalog.createTable(
            TableIdentifier.of("db", "orc"),
            MigratedFiles.SCHEMA,
            MigratedFiles.SPEC,
            Map.of(TableProperties.FORMAT_VERSION, "3"));
    List<Record> rows = new ArrayList<>();
    for (long id = 0; id < 300; id++) {
      Record row = GenericRecord.create(table.schema());
      row.setField("order_id", id);
      row.setField("buyer_id", MigratedFiles.buyer(id));
      row.setField("quantity", MigratedFiles.quantity(id));
      row.setField("status", MigratedFiles.status(id));
      row.setField("region", id < 100 ? "emea" : "apac");
      rows.add(row);
    }
    AppendFiles append = table.newAppend();
    RecordFiles.write(table, rows, FileFormat.ORC).forEach(append::appendFile);
    append.commit();
    table.refresh();

    Schema projection =
        MetadataColumns.schemaWithRowLineage(table.schema().select("status", "region", "order_id"));
    Map<Long, Record> read = new HashMap<>();
    for (DataFile file : table.currentSnapshot().addedDataFiles(table.io())) {
      assertThat(file.format()).isEqualTo(FileFormat.ORC);
      long position = 0;
      try (CloseableIterable<Record> records =
          RecordFiles.read(table, file, table.io().newInputFile(file), projection, false)) {
        for (Record record : records) {
          assertThat(record.getField("_row_id")).isEqualTo(file.firstRowId() + position++);
          assertThat(record.getField("_last_updated_sequence_number"))
              .isEqualTo(file.dataSequenceNumber());
          read.put((Long) record.getField("order_id"), record);
        }
      }
    }

    assertThat(read).hasSize(300);
    read.forEach(
        (id, record) -> {
          assertThat(record.getField("status")).isEqualTo(MigratedFiles.status(id));
          assertThat(record.getField("region")).isEqualTo(id < 100 ? "emea" : "apac");
        });

    // a file holding some rows' lineage (moved rows, as compaction writes them) gives those
    // rows theirs, and the others the file's
    Schema withLineage = MetadataColumns.schemaWithRowLineage(table.schema());
    PartitionKey emea = new PartitionKey(table.spec(), table.schema());
    emea.partition(rows.get(0));
    DataWriter<Record> writer =
        RecordFiles.dataWriter(
            table,
            withLineage,
            table.spec(),
            emea,
            FileFormat.ORC,
            table
                .io()
                .newOutputFile(
                    table.locationProvider().newDataLocation(table.spec(), emea, "moved.orc")));
    try (writer) {
      for (int i = 0; i < 10; i++) {
        Record row = GenericRecord.create(withLineage);
        Record values = rows.get(i);
        table.schema().columns().forEach(c -> row.setField(c.name(), values.getField(c.name())));
        row.setField("_row_id", i % 2 == 0 ? null : 5_000L + i);
        row.setField("_last_updated_sequence_number", i % 2 == 0 ? null : 1L);
        writer.write(row);
      }
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
    table.refresh();
    DataFile moved = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    List<String> lineage = new ArrayList<>();
    try (CloseableIterable<Record> records =
        RecordFiles.read(table, moved, table.io().newInputFile(moved), projection, false)) {
      records.forEach(
          r ->
              lineage.add(
                  r.getField("_row_id") + "@" + r.getField("_last_updated_sequence_number")));
    }
    long first = moved.firstRowId();
    long sequence = moved.dataSequenceNumber();
    assertThat(sequence).isGreaterThan(1);
    assertThat(lineage)
        .isEqualTo(
            LongStream.range(0, 10)
                .mapToObj(i -> i % 2 == 0 ? (first + i) + "@" + sequence : (5_000 + i) + "@1")
                .toList());
  }

  /**
   * A log append's Avro file carries the bounds Iceberg's Avro writer leaves out, for its
   * fixed-width columns: a scan filtered on them skips the file.
   */
  @Test
  void logAppendsCarryTheBoundsOfTheirFixedWidthColumns() throws IOException {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "at", Types.TimestampType.withZone()),
            Types.NestedField.optional(2, "id", Types.LongType.get()),
            Types.NestedField.required(3, "published", Types.BooleanType.get()),
            Types.NestedField.required(4, "name", Types.StringType.get()),
            Types.NestedField.optional(5, "value", Types.DoubleType.get()));
    Table table =
        localCatalog()
            .createTable(
                TableIdentifier.of("db", "log"),
                schema,
                org.apache.iceberg.PartitionSpec.unpartitioned(),
                Map.of(TableProperties.FORMAT_VERSION, "2"));
    java.time.OffsetDateTime noon = java.time.OffsetDateTime.parse("2026-11-25T12:00:00Z");
    List<Record> rows = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      GenericRecord row = GenericRecord.create(schema);
      row.setField("at", noon.plusMinutes(i));
      row.setField("id", i == 1 ? null : 10L - i);
      row.setField("published", true);
      row.setField("name", "row " + i);
      row.setField("value", i == 2 ? Double.NaN : 1.5);
      rows.add(row);
    }
    RecordFiles.appendToLog(table, rows);
    table.refresh();

    List<DataFile> files = new ArrayList<>();
    try (var tasks = table.newScan().includeColumnStats().planFiles()) {
      tasks.forEach(task -> files.add(task.file()));
    }
    assertThat(files).hasSize(1);
    DataFile file = files.get(0);
    assertThat(file.format()).isEqualTo(FileFormat.AVRO);
    assertThat(file.recordCount()).isEqualTo(3);
    long noonMicros = org.apache.iceberg.util.DateTimeUtil.microsFromTimestamptz(noon);
    assertThat(bound(file.lowerBounds(), 1, Types.TimestampType.withZone())).isEqualTo(noonMicros);
    assertThat(bound(file.upperBounds(), 1, Types.TimestampType.withZone()))
        .isEqualTo(noonMicros + 120_000_000L);
    assertThat(bound(file.lowerBounds(), 2, Types.LongType.get())).isEqualTo(8L);
    assertThat(bound(file.upperBounds(), 2, Types.LongType.get())).isEqualTo(10L);
    assertThat(file.nullValueCounts()).containsEntry(2, 1L).containsEntry(1, 0L);
    assertThat(bound(file.upperBounds(), 3, Types.BooleanType.get())).isEqualTo(true);
    // strings and doubles get no bounds: theirs would need truncation and NaN counts
    assertThat(file.lowerBounds()).doesNotContainKeys(4, 5);
    assertThat(file.upperBounds()).doesNotContainKeys(4, 5);

    for (var filter :
        List.of(
            org.apache.iceberg.expressions.Expressions.greaterThan("at", noonMicros + 120_000_000L),
            org.apache.iceberg.expressions.Expressions.equal("published", false),
            org.apache.iceberg.expressions.Expressions.lessThan("id", 8L))) {
      try (var tasks = table.newScan().filter(filter).planFiles()) {
        assertThat(tasks).as("%s", filter).isEmpty();
      }
    }
    try (var tasks =
        table
            .newScan()
            .filter(
                org.apache.iceberg.expressions.Expressions.greaterThanOrEqual(
                    "at", noonMicros + 120_000_000L))
            .planFiles()) {
      assertThat(tasks).hasSize(1);
    }
  }

  private static Object bound(
      Map<Integer, java.nio.ByteBuffer> bounds, int id, org.apache.iceberg.types.Type type) {
    return org.apache.iceberg.types.Conversions.fromByteBuffer(type, bounds.get(id));
  }

  private HadoopCatalog localCatalog() {
    Configuration conf = new Configuration();
    conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    return new HadoopCatalog(conf, dir.resolve("warehouse").toUri().toString());
  }
}
