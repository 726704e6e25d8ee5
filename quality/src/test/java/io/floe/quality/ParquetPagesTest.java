package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.ParquetStreams;
import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Reads of chosen pages of a Parquet file against a read of all of it: a file of three row groups
 * whose columns' pages end at different rows (a long string column fills its pages in a few rows, a
 * whole-number column in dozens), so every chosen read must widen its rows to whole pages of every
 * column for the columns' values to line up.
 */
class ParquetPagesTest {
  private static final int ROWS = 1000;
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "buyer_id", Types.LongType.get()),
          Types.NestedField.optional(3, "status", Types.StringType.get()),
          Types.NestedField.optional(4, "note", Types.StringType.get()),
          Types.NestedField.optional(5, "quantity", Types.IntegerType.get()),
          Types.NestedField.optional(6, "day", Types.DateType.get()),
          Types.NestedField.optional(7, "ratio", Types.DoubleType.get()));

  private static Table table;
  private static DataFile file;
  // every row of the file, by position, as Iceberg's reader reads it
  private static final List<Record> all = new ArrayList<>();

  @BeforeAll
  static void writeFile() throws IOException {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("pages", Map.of());
    catalog.createNamespace(Namespace.of("db"));
    table =
        catalog.createTable(
            TableIdentifier.of("db", "orders"), SCHEMA, PartitionSpec.unpartitioned());
    String location = table.locationProvider().newDataLocation("pages.parquet");
    MessageType type = ParquetSchemaUtil.convert(SCHEMA, "table");
    SimpleGroupFactory groups = new SimpleGroupFactory(type);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(ParquetStreams.output(table.io().newOutputFile(location)))
            .withType(type)
            .withConf(new PlainParquetConfiguration())
            .withPageSize(256)
            .withPageRowCountLimit(50)
            .withMinRowCountForPageSizeCheck(1)
            .withMaxRowCountForPageSizeCheck(1)
            .withDictionaryEncoding("note", false)
            .withRowGroupRowCountLimit(400)
            .build()) {
      for (int i = 0; i < ROWS; i++) {
        Group row = groups.newGroup().append("order_id", (long) i);
        if ((i >= 100 || i % 13 != 0) && (i < 600 || i >= 700)) {
          row.append("buyer_id", (long) (i % 37));
        }
        row.append("status", "status-" + (i / 100));
        row.append("note", "a note of order " + i + " ".repeat(i % 17));
        row.append("quantity", i / 3);
        row.append("day", i / 10);
        row.append("ratio", i / 7.0);
        writer.write(row);
      }
    }
    file =
        DataFiles.builder(table.spec())
            .withPath(location)
            .withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(table.io().newInputFile(location).getLength())
            .withRecordCount(ROWS)
            .build();
    try (CloseableIterable<Record> rows =
        RecordFiles.read(table, file, table.io().newInputFile(file), SCHEMA, false)) {
      rows.forEach(all::add);
    }
  }

  @Test
  void theFileHasRowGroupsWhoseColumnsEndTheirPagesAtDifferentRows() throws IOException {
    try (ParquetFileReader reader =
        ParquetFileReader.open(
            ParquetStreams.input(table.io().newInputFile(file)),
            ParquetReadOptions.builder(new PlainParquetConfiguration()).build())) {
      assertThat(reader.getRowGroups()).hasSize(3);
      BlockMetaData first = reader.getRowGroups().get(0);
      Map<String, Set<Long>> starts = new HashMap<>();
      for (ColumnChunkMetaData chunk : first.getColumns()) {
        OffsetIndex pages = reader.readOffsetIndex(chunk);
        Set<Long> rows = new HashSet<>();
        for (int p = 0; p < pages.getPageCount(); p++) {
          rows.add(pages.getFirstRowIndex(p));
        }
        starts.put(chunk.getPath().toDotString(), rows);
      }
      assertThat(starts.get("note")).hasSizeGreaterThan(starts.get("order_id").size());
      assertThat(starts.get("note")).isNotEqualTo(starts.get("order_id"));
    }
  }

  @Test
  void readsThePagesOfWantedPositionsEachRowAsAFullReadDoes() throws IOException {
    long[] positions = {3, 399, 400, 517, 998};
    List<Record> read = read(SCHEMA, new ParquetPages.Wanted(positions, List.of()));
    assertThat(read.size()).isLessThan(ROWS / 3);
    assertThat(positionsOf(read)).contains(3L, 399L, 400L, 517L, 998L);
  }

  @Test
  void readsThePagesThatMayHoldWantedWholeNumbersAndNoOthers() throws IOException {
    List<Record> read = read(SCHEMA, byValue(1, 250L, 251L, 777L));
    assertThat(read.size()).isLessThan(ROWS / 4);
    assertThat(positionsOf(read)).contains(250L, 251L, 777L);
    // an int and a date column choose pages as well
    read = read(SCHEMA, byValue(5, 100, 101));
    assertThat(positionsOf(read)).contains(300L, 301L, 302L, 303L, 304L, 305L);
    assertThat(read.size()).isLessThan(ROWS / 4);
    read = read(SCHEMA, byValue(6, 55));
    assertThat(positionsOf(read)).contains(550L, 559L);
    assertThat(read.size()).isLessThan(ROWS / 4);
  }

  @Test
  void readsThePagesThatMayHoldWantedStrings() throws IOException {
    List<Record> read = read(SCHEMA, byValue(3, "status-4"));
    assertThat(positionsOf(read)).contains(400L, 450L, 499L);
    assertThat(read.size()).isLessThan(ROWS / 3);
    assertThat(read(SCHEMA, byValue(3, "no such status")).size()).isZero();
  }

  @Test
  void aWantedNullReadsThePagesWithNulls() throws IOException {
    List<Object> values = new ArrayList<>();
    values.add(null);
    List<Record> read =
        read(
            SCHEMA,
            new ParquetPages.Wanted(new long[0], List.of(new ParquetPages.ValuesOf(2, values))));
    Set<Long> nulls = new HashSet<>();
    for (int i = 0; i < ROWS; i++) {
      if (all.get(i).getField("buyer_id") == null) {
        nulls.add((long) i);
      }
    }
    assertThat(nulls).contains(0L, 13L, 600L, 699L);
    assertThat(positionsOf(read)).containsAll(nulls);
    assertThat(read.size()).isLessThan(ROWS / 3);
  }

  @Test
  void readsOnlyTheProjectedColumnsAndThePosition() throws IOException {
    List<Record> read = read(SCHEMA.select("note", "day"), byValue(1, 42L));
    assertThat(positionsOf(read)).contains(42L);
    assertThat(read.get(0).size()).isEqualTo(3);
  }

  @Test
  void noReadWhenEveryPageIsWantedOrAColumnCannotChoose() {
    long[] every = new long[ROWS];
    for (int i = 0; i < ROWS; i++) {
      every[i] = i;
    }
    Schema projection = withPosition(SCHEMA);
    assertThat(
            ParquetPages.read(table, file, projection, new ParquetPages.Wanted(every, List.of())))
        .isEmpty();
    // a double's bounds are not compared
    assertThat(ParquetPages.read(table, file, projection, byValue(7, 1.0))).isEmpty();
  }

  private static ParquetPages.Wanted byValue(int fieldId, Object... values) {
    return new ParquetPages.Wanted(
        new long[0], List.of(new ParquetPages.ValuesOf(fieldId, List.of(values))));
  }

  /**
   * The rows of a chosen read, each checked against the row at its position of the full read, on
   * every projected column.
   */
  private static List<Record> read(Schema columns, ParquetPages.Wanted wanted) throws IOException {
    Schema projection = withPosition(columns);
    List<Record> read = new ArrayList<>();
    try (CloseableIterable<Record> rows =
        ParquetPages.read(table, file, projection, wanted).orElseThrow()) {
      for (Record row : rows) {
        read.add(row.copy());
      }
    }
    int position = projection.columns().size() - 1;
    for (Record row : read) {
      Record whole = all.get(Math.toIntExact(row.get(position, Long.class)));
      for (Types.NestedField field : columns.columns()) {
        assertThat(row.getField(field.name()))
            .as("%s at %s", field.name(), row.get(position, Long.class))
            .isEqualTo(whole.getField(field.name()));
      }
    }
    assertThat(positionsOf(read)).doesNotHaveDuplicates().isSorted();
    return read;
  }

  private static Schema withPosition(Schema columns) {
    return TypeUtil.join(columns, new Schema(MetadataColumns.ROW_POSITION));
  }

  private static List<Long> positionsOf(List<Record> rows) {
    List<Long> positions = new ArrayList<>();
    rows.forEach(row -> positions.add((Long) row.getField(MetadataColumns.ROW_POSITION.name())));
    return positions;
  }
}
