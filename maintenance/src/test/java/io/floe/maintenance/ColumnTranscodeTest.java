package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.ParquetStreams;
import io.floe.catalog.RecordFiles;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compaction's default path for files of tiny row groups copies columns into full row groups: the
 * rows must come out identical for every kind of column (nested, repeated, optional with nulls).
 */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ColumnTranscodeTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "price", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(4, "day", Types.DateType.get()),
          Types.NestedField.optional(5, "score", Types.DoubleType.get()),
          Types.NestedField.optional(6, "flag", Types.BooleanType.get()),
          Types.NestedField.optional(
              7, "tags", Types.ListType.ofOptional(8, Types.StringType.get())),
          Types.NestedField.optional(
              9,
              "attrs",
              Types.MapType.ofOptional(10, 11, Types.StringType.get(), Types.IntegerType.get())),
          Types.NestedField.optional(
              12,
              "address",
              Types.StructType.of(
                  Types.NestedField.optional(13, "city", Types.StringType.get()),
                  Types.NestedField.optional(
                      14, "lines", Types.ListType.ofOptional(15, Types.StringType.get())))));

  private RESTCatalog catalog;
  private Lakehouse lakehouse;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("transcode-test");
    if (!catalog.namespaceExists(Namespace.of(lakehouse.namespace()))) {
      catalog.createNamespace(Namespace.of(lakehouse.namespace()));
    }
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void mergesTinyRowGroupsOfEveryColumnKindIntoOneRowGroupWithIdenticalRows() throws IOException {
    Table table = create("nested");
    for (int file = 0; file < 20; file++) {
      appendFile(table, file * 50L, 50);
    }
    List<String> before = read(table);

    CompactionResult result = Maintenance.compact(table).policy(CompactionTest.SMALL).execute();

    assertThat(result.rewrittenFiles()).isEqualTo(20);
    assertThat(result.addedFiles()).isEqualTo(1);
    assertThat(read(table)).isEqualTo(before).hasSize(1000);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        assertThat(task.file().recordCount()).isEqualTo(1000);
        // 1000 / 7 rows have no name (ids 0, 7, ..., 994)
        assertThat(task.file().nullValueCounts()).containsEntry(2, 143L);
        try (ParquetFileReader reader =
            ParquetFileReader.open(
                ParquetStreams.input(table.io().newInputFile(task.file().location())))) {
          assertThat(reader.getFooter().getBlocks()).hasSize(1);
          assertThat(reader.getRecordCount()).isEqualTo(1000);
        }
      }
    }
  }

  @Test
  void inputsOfEveryCodecMergeIntoOneRowGroupWithIdenticalRows() throws IOException {
    Table table = create("codecs");
    String[] codecs = {"gzip", "zstd", "snappy", "uncompressed"};
    for (int file = 0; file < 12; file++) {
      appendFile(table, file * 50L, 50, codecs[file % codecs.length]);
    }
    List<String> before = read(table);

    CompactionResult result = Maintenance.compact(table).policy(CompactionTest.SMALL).execute();

    assertThat(result.rewrittenFiles()).isEqualTo(12);
    assertThat(result.addedFiles()).isEqualTo(1);
    assertThat(read(table)).isEqualTo(before).hasSize(600);
  }

  @Test
  void filesOfAnOlderSchemaAreReencodedInstead() {
    Table table = create("evolved");
    for (int file = 0; file < 3; file++) {
      appendFile(table, file * 10L, 10);
    }
    table.updateSchema().addColumn("extra", Types.StringType.get()).commit();
    for (int file = 3; file < 6; file++) {
      appendFile(table, file * 10L, 10);
    }
    List<String> before = read(table);

    CompactionResult result = Maintenance.compact(table).policy(CompactionTest.SMALL).execute();

    assertThat(result.rewrittenFiles()).isEqualTo(6);
    assertThat(result.addedFiles()).isEqualTo(1);
    assertThat(read(table)).isEqualTo(before).hasSize(60);
  }

  private Table create(String name) {
    return catalog
        .buildTable(TableIdentifier.of(lakehouse.namespace(), name), SCHEMA)
        .withPartitionSpec(PartitionSpec.unpartitioned())
        .withProperty("format-version", "2")
        .create();
  }

  private static void appendFile(Table table, long from, int count) {
    List<Record> rows = new ArrayList<>();
    for (long id = from; id < from + count; id++) {
      rows.add(row(table.schema(), id));
    }
    AppendFiles append = table.newAppend();
    RecordFiles.write(table, rows, FileFormat.PARQUET).forEach(append::appendFile);
    append.commit();
  }

  /** A file written with {@code codec}, whatever the table's own codec. */
  private static void appendFile(Table table, long from, int count, String codec)
      throws IOException {
    String location = table.locationProvider().newDataLocation("codec-" + from + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .set(TableProperties.PARQUET_COMPRESSION, codec)
            .overwrite()
            .build();
    try (writer) {
      for (long id = from; id < from + count; id++) {
        writer.write(row(table.schema(), id));
      }
    }
    table.newAppend().appendFile(writer.toDataFile()).commit();
  }

  private static Record row(Schema schema, long id) {
    GenericRecord row = GenericRecord.create(schema);
    row.setField("id", id);
    row.setField("name", id % 7 == 0 ? null : "name-" + (id % 13));
    row.setField("price", id % 5 == 0 ? null : BigDecimal.valueOf(id * 37, 2));
    row.setField("day", LocalDate.of(2026, 1, 1).plusDays(id % 40));
    row.setField("score", id % 11 == 0 ? null : id / 3.0);
    row.setField("flag", id % 3 == 0 ? null : id % 2 == 0);
    row.setField(
        "tags",
        switch ((int) (id % 4)) {
          case 0 -> null;
          case 1 -> List.of();
          case 2 -> java.util.Arrays.asList("a", null, "c" + id);
          default -> List.of("x" + id);
        });
    row.setField("attrs", id % 6 == 0 ? null : Map.of("k" + (id % 3), (int) id));
    if (id % 9 != 0) {
      GenericRecord address = GenericRecord.create(schema.findType("address").asStructType());
      address.setField("city", id % 2 == 0 ? null : "city-" + id);
      address.setField("lines", id % 4 == 1 ? null : List.of("l1-" + id, "l2"));
      row.setField("address", address);
    }
    if (schema.findField("extra") != null) {
      row.setField("extra", "extra-" + id);
    }
    return row;
  }

  private static List<String> read(Table table) {
    table.refresh();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(record -> rows.add(record.toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }
}
