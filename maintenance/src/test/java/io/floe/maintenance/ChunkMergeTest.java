package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.ParquetStreams;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.MessageType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The chunk merger (flat schemas) against the row-by-row copy it replaces, on inputs written three
 * ways (V1 pages with dictionaries, V1 pages mostly plain, V2 pages with delta encodings): the same
 * rows in the same order, the same file metrics, and page statistics that match the values of each
 * page; the output's dictionaries behave like Parquet's writer (kept, dropped after the first page,
 * or given up mid-chunk).
 */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ChunkMergeTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "small", Types.IntegerType.get()),
          Types.NestedField.optional(3, "name", Types.StringType.get()),
          Types.NestedField.optional(4, "uid", Types.StringType.get()),
          Types.NestedField.optional(5, "price", Types.DecimalType.of(12, 2)),
          Types.NestedField.optional(6, "big", Types.DecimalType.of(30, 4)),
          Types.NestedField.optional(7, "score", Types.DoubleType.get()),
          Types.NestedField.optional(8, "ratio", Types.FloatType.get()),
          Types.NestedField.optional(9, "flag", Types.BooleanType.get()),
          Types.NestedField.optional(10, "day", Types.DateType.get()),
          Types.NestedField.required(11, "ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(12, "uuid", Types.UUIDType.get()),
          Types.NestedField.optional(13, "blob", Types.BinaryType.get()),
          Types.NestedField.optional(14, "code", Types.FixedType.ofLength(3)),
          Types.NestedField.optional(15, "seq", Types.IntegerType.get()));
  private static final int FILES = 24;
  private static final int ROWS = 250;

  private RESTCatalog catalog;
  private Table table;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    catalog = lakehouse.endpoints().catalogConnection().open("chunk-merge-test");
    if (!catalog.namespaceExists(Namespace.of(lakehouse.namespace()))) {
      catalog.createNamespace(Namespace.of(lakehouse.namespace()));
    }
    table =
        catalog
            .buildTable(TableIdentifier.of(lakehouse.namespace(), "flat"), SCHEMA)
            .withPartitionSpec(PartitionSpec.unpartitioned())
            .withProperty("format-version", "2")
            // small pages, dictionaries and row groups, so each of them fills and rolls over
            .withProperty("write.parquet.page-row-limit", "400")
            .withProperty("write.parquet.dict-size-bytes", "2048")
            .withProperty("write.parquet.row-group-size-bytes", "" + (48 << 10))
            .create();
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void mergedChunksHoldTheSameRowsMetricsAndPageStatisticsAsRowByRowCopies() throws IOException {
    List<DataFile> inputs = new ArrayList<>();
    List<Record> expected = new ArrayList<>();
    for (int file = 0; file < FILES; file++) {
      List<Record> rows = new ArrayList<>();
      for (long id = (long) file * ROWS; id < (long) (file + 1) * ROWS; id++) {
        rows.add(row(id));
      }
      expected.addAll(rows);
      inputs.add(write(file, rows));
    }

    List<DataFile> merged = transcode(inputs, false);
    List<DataFile> copied = transcode(inputs, true);

    assertThat(rows(merged)).isEqualTo(rows(copied)).isEqualTo(strings(expected));
    assertThat(merged).hasSameSizeAs(copied);
    for (int i = 0; i < merged.size(); i++) {
      Metrics fromMerge = metrics(merged.get(i));
      Metrics fromCopy = metrics(copied.get(i));
      assertThat(fromMerge.recordCount()).isEqualTo(fromCopy.recordCount());
      assertThat(fromMerge.valueCounts()).isEqualTo(fromCopy.valueCounts());
      assertThat(fromMerge.nullValueCounts()).isEqualTo(fromCopy.nullValueCounts());
      assertThat(fromMerge.lowerBounds()).isEqualTo(fromCopy.lowerBounds());
      assertThat(fromMerge.upperBounds()).isEqualTo(fromCopy.upperBounds());
    }

    Set<String> encodings = new HashSet<>();
    int rowGroups = 0;
    for (DataFile file : merged) {
      try (ParquetFileReader reader = open(file)) {
        rowGroups += reader.getFooter().getBlocks().size();
        assertPageStatisticsMatchValues(reader);
        for (BlockMetaData block : reader.getFooter().getBlocks()) {
          for (ColumnChunkMetaData chunk : block.getColumns()) {
            encodings.add(chunk.getPath().toDotString() + ":" + dictionaryUse(chunk));
          }
        }
      }
    }
    assertThat(rowGroups).isGreaterThan(1);
    // 13 names fit the dictionary; unique ids never pay for one; wide decimals outgrow it
    assertThat(encodings)
        .contains("name:dictionary", "uid:plain", "big:both", "seq:plain")
        .doesNotContain("name:plain", "name:both", "uid:dictionary", "uid:both");
  }

  private static Record row(long id) {
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("id", id);
    row.setField("small", id % 11 == 0 ? null : (int) (id % 7) - 3);
    row.setField("name", id % 5 == 0 ? null : "n-" + (id % 13));
    row.setField("uid", id % 9 == 0 ? null : "u-" + Long.toHexString(id * 2654435761L));
    row.setField("price", id % 6 == 0 ? null : BigDecimal.valueOf(id * 37 - 5000, 2));
    row.setField("big", id % 8 == 0 ? null : BigDecimal.valueOf(id / 4 * 1_000_003L, 4));
    row.setField(
        "score",
        id % 23 == 0
            ? null
            : id % 17 == 0 ? Double.NaN : id % 19 == 0 ? -0.0 : (id % 500) / 3.0 - 40);
    row.setField("ratio", id % 4 == 0 ? null : (float) ((id % 100) * 0.5));
    row.setField("flag", id % 3 == 0 ? null : id % 2 == 0);
    row.setField("day", id % 10 == 0 ? null : LocalDate.of(2026, 1, 1).plusDays(id / 20));
    row.setField(
        "ts", Instant.parse("2026-01-01T00:00:00Z").plusSeconds(id * 7).atOffset(ZoneOffset.UTC));
    row.setField("uuid", id % 12 == 0 ? null : new UUID(id * 31, id ^ 0x5DEECE66DL));
    row.setField("blob", id % 7 == 0 ? null : ByteBuffer.wrap(("b" + (id % 50)).getBytes()));
    row.setField(
        "code", id % 13 == 0 ? null : new byte[] {(byte) (id % 3), (byte) (id % 5), (byte) id});
    // unique ints: plain output, so plain inputs are copied in runs
    row.setField("seq", id % 14 == 0 ? null : (int) (id * 7 - 20_000));
    return row;
  }

  /** Input {@code index}: V1 with dictionaries, V1 mostly plain, or V2 pages, in turn. */
  private DataFile write(int index, List<Record> rows) throws IOException {
    OutputFile out =
        table
            .io()
            .newOutputFile(table.locationProvider().newDataLocation("in-" + index + ".parquet"));
    Parquet.WriteBuilder builder =
        Parquet.write(out)
            .schema(SCHEMA)
            .createWriterFunc(GenericParquetWriter::create)
            .set("write.parquet.page-row-limit", "100")
            .overwrite();
    switch (index % 3) {
      case 1 -> builder.set("write.parquet.dict-size-bytes", "64");
      case 2 -> builder.writerVersion(ParquetProperties.WriterVersion.PARQUET_2_0);
      default -> {}
    }
    FileAppender<Record> appender = builder.build();
    try (appender) {
      rows.forEach(appender::add);
    }
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath(out.location())
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(appender.length())
        .withMetrics(appender.metrics())
        .build();
  }

  private List<DataFile> transcode(List<DataFile> inputs, boolean rowByRow) {
    ColumnTranscoder transcoder =
        new ColumnTranscoder(
            table,
            128L << 20,
            PartitionSpec.unpartitioned(),
            null,
            () ->
                table
                    .io()
                    .newOutputFile(
                        table.locationProvider().newDataLocation("out-" + UUID.randomUUID())));
    if (rowByRow) {
      transcoder.copyRowByRow();
    }
    List<Supplier<InputFile>> files = new ArrayList<>();
    for (DataFile input : inputs) {
      files.add(() -> table.io().newInputFile(input.location()));
    }
    return transcoder.transcode(files, MetricsConfig.forTable(table));
  }

  private List<String> rows(List<DataFile> files) throws IOException {
    List<String> rows = new ArrayList<>();
    for (DataFile file : files) {
      try (CloseableIterable<Record> records =
          Parquet.read(table.io().newInputFile(file.location()))
              .project(SCHEMA)
              .createReaderFunc(type -> GenericParquetReaders.buildReader(SCHEMA, type))
              .build()) {
        records.forEach(record -> rows.add(text(record)));
      }
    }
    return rows;
  }

  private static List<String> strings(List<Record> records) {
    return records.stream().map(ChunkMergeTest::text).toList();
  }

  /** A record as text, with byte arrays and buffers spelled out so equal contents compare equal. */
  private static String text(Record record) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < record.size(); i++) {
      Object value = record.get(i);
      if (value instanceof ByteBuffer buffer) {
        value = java.util.HexFormat.of().formatHex(toBytes(buffer));
      } else if (value instanceof byte[] bytes) {
        value = java.util.HexFormat.of().formatHex(bytes);
      } else if (value instanceof Double d) {
        value = Double.doubleToRawLongBits(d);
      }
      text.append(value).append('|');
    }
    return text.toString();
  }

  private static byte[] toBytes(ByteBuffer buffer) {
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    return bytes;
  }

  private Metrics metrics(DataFile file) throws IOException {
    try (ParquetFileReader reader = open(file)) {
      return ParquetUtil.footerMetrics(
          reader.getFooter(), Stream.empty(), MetricsConfig.forTable(table));
    }
  }

  private ParquetFileReader open(DataFile file) throws IOException {
    return ParquetFileReader.open(ParquetStreams.input(table.io().newInputFile(file.location())));
  }

  private static String dictionaryUse(ColumnChunkMetaData chunk) {
    Set<Encoding> used = chunk.getEncodings();
    boolean dictionary = used.contains(Encoding.PLAIN_DICTIONARY);
    boolean plain = chunk.getEncodingStats().hasNonDictionaryEncodedPages();
    return dictionary && plain ? "both" : dictionary ? "dictionary" : "plain";
  }

  /** Every page's min, max and null count in the column index equal those of its values. */
  private static void assertPageStatisticsMatchValues(ParquetFileReader reader) throws IOException {
    MessageType schema = reader.getFooter().getFileMetaData().getSchema();
    String createdBy = reader.getFooter().getFileMetaData().getCreatedBy();
    int checkedPages = 0;
    for (BlockMetaData block : reader.getFooter().getBlocks()) {
      List<ColumnIndex> indexes = new ArrayList<>();
      List<OffsetIndex> offsets = new ArrayList<>();
      for (ColumnChunkMetaData chunk : block.getColumns()) {
        indexes.add(reader.readColumnIndex(chunk));
        offsets.add(reader.readOffsetIndex(chunk));
      }
      PageReadStore rowGroup = reader.readNextRowGroup();
      ColumnReadStoreImpl store =
          new ColumnReadStoreImpl(rowGroup, new Ignoring(schema), schema, createdBy);
      List<ColumnDescriptor> columns = schema.getColumns();
      for (int c = 0; c < columns.size(); c++) {
        ColumnIndex index = indexes.get(c);
        OffsetIndex offset = offsets.get(c);
        ColumnDescriptor column = columns.get(c);
        ColumnReader values = store.getColumnReader(column);
        int pages = offset.getPageCount();
        for (int page = 0; page < pages; page++) {
          long last = offset.getLastRowIndex(page, block.getRowCount());
          Statistics<?> actual = Statistics.createStats(column.getPrimitiveType());
          for (long row = offset.getFirstRowIndex(page); row <= last; row++) {
            read(values, column, actual);
          }
          if (index == null) {
            continue; // Parquet drops a chunk's column index when a page holds NaN
          }
          assertThat(index.getNullCounts().get(page))
              .as("nulls of %s page %d", column, page)
              .isEqualTo(actual.getNumNulls());
          if (!index.getNullPages().get(page)) {
            assertThat(index.getMinValues().get(page))
                .as("min of %s page %d", column, page)
                .isEqualTo(ByteBuffer.wrap(actual.getMinBytes()));
            assertThat(index.getMaxValues().get(page))
                .as("max of %s page %d", column, page)
                .isEqualTo(ByteBuffer.wrap(actual.getMaxBytes()));
          }
          checkedPages++;
        }
      }
    }
    assertThat(checkedPages).isGreaterThan(0);
  }

  private static void read(ColumnReader values, ColumnDescriptor column, Statistics<?> stats) {
    if (values.getCurrentDefinitionLevel() < column.getMaxDefinitionLevel()) {
      stats.incrementNumNulls();
    } else {
      switch (column.getPrimitiveType().getPrimitiveTypeName()) {
        case INT32 -> stats.updateStats(values.getInteger());
        case INT64 -> stats.updateStats(values.getLong());
        case FLOAT -> stats.updateStats(values.getFloat());
        case DOUBLE -> stats.updateStats(values.getDouble());
        case BOOLEAN -> stats.updateStats(values.getBoolean());
        default -> stats.updateStats(values.getBinary());
      }
    }
    values.consume();
  }

  /** Converters that accept nothing: values are read through the column readers' getters. */
  private static final class Ignoring extends GroupConverter {
    private final MessageType schema;

    Ignoring(MessageType schema) {
      this.schema = schema;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      if (!schema.getType(fieldIndex).isPrimitive()) {
        throw new UncheckedIOException(new IOException("flat schemas only"));
      }
      return new PrimitiveConverter() {};
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
