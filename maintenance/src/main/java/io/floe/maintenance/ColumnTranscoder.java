package io.floe.maintenance;

import io.floe.catalog.ParquetStreams;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Rewrites small Parquet files into files of full-size row groups by copying each column's
 * repetition levels, definition levels and values, without assembling rows: far cheaper than
 * decoding into records, and unlike stitching it does not carry the inputs' tiny row groups into
 * the output. Valid when the inputs share one Parquet schema and nothing but merging is asked (no
 * deletes to apply, no sort order); the table's page, dictionary, row-group and codec settings
 * apply to the output.
 */
final class ColumnTranscoder {
  /**
   * Table write settings this transcoder honours; any other Parquet write setting means re-encode.
   */
  private static final Set<String> HONOURED =
      Set.of(
          TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
          TableProperties.PARQUET_PAGE_SIZE_BYTES,
          TableProperties.PARQUET_PAGE_ROW_LIMIT,
          TableProperties.PARQUET_DICT_SIZE_BYTES,
          TableProperties.PARQUET_COMPRESSION,
          TableProperties.PARQUET_COMPRESSION_LEVEL);

  /**
   * Thrown when the inputs cannot be merged without decoding rows: an input's Parquet schema
   * differs from the first input's, or a page is encoded in a way the merge does not carry over.
   */
  static final class CannotTranscode extends RuntimeException {
    CannotTranscode(String message) {
      super(message, null, false, false);
    }
  }

  private final Table table;
  private final long targetFileSize;
  // each file it supplies has a new name, opened in overwrite mode (see GroupRewriter)
  private final Supplier<OutputFile> newOutput;
  private final PartitionSpec spec;
  private final StructLike partition;
  private final ParquetProperties properties;
  private final long rowGroupSize;
  private final CompressionCodecName codec;
  private final Configuration conf = new Configuration(false);
  private boolean mergeChunks = true;

  ColumnTranscoder(
      Table table,
      long targetFileSize,
      PartitionSpec spec,
      StructLike partition,
      Supplier<OutputFile> newOutput) {
    this.table = table;
    this.targetFileSize = targetFileSize;
    this.spec = spec;
    this.partition = partition;
    this.newOutput = newOutput;
    Map<String, String> props = table.properties();
    this.rowGroupSize =
        Long.parseLong(
            props.getOrDefault(
                TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES,
                "" + TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES_DEFAULT));
    this.properties =
        ParquetProperties.builder()
            .withWriterVersion(ParquetProperties.WriterVersion.PARQUET_1_0)
            .withPageSize(
                intProperty(
                    props,
                    TableProperties.PARQUET_PAGE_SIZE_BYTES,
                    TableProperties.PARQUET_PAGE_SIZE_BYTES_DEFAULT))
            .withPageRowCountLimit(
                intProperty(
                    props,
                    TableProperties.PARQUET_PAGE_ROW_LIMIT,
                    TableProperties.PARQUET_PAGE_ROW_LIMIT_DEFAULT))
            .withDictionaryPageSize(
                intProperty(
                    props,
                    TableProperties.PARQUET_DICT_SIZE_BYTES,
                    TableProperties.PARQUET_DICT_SIZE_BYTES_DEFAULT))
            .build();
    this.codec =
        CompressionCodecName.fromConf(
            props
                .getOrDefault(
                    TableProperties.PARQUET_COMPRESSION,
                    TableProperties.PARQUET_COMPRESSION_DEFAULT)
                .toUpperCase(java.util.Locale.ROOT));
    String level = props.get(TableProperties.PARQUET_COMPRESSION_LEVEL);
    if (level != null) {
      conf.set("parquet.compression.codec.zstd.level", level);
      conf.set("zlib.compress.level", level);
    }
  }

  /**
   * Copies values row by row even for flat schemas, instead of merging whole column chunks: the
   * reference the chunk merger is tested against.
   */
  ColumnTranscoder copyRowByRow() {
    this.mergeChunks = false;
    return this;
  }

  /** Whether the table asks for nothing this transcoder would leave out of its files. */
  static boolean supports(Table table) {
    String codec =
        table
            .properties()
            .getOrDefault(
                TableProperties.PARQUET_COMPRESSION, TableProperties.PARQUET_COMPRESSION_DEFAULT);
    if (table.properties().containsKey(TableProperties.PARQUET_COMPRESSION_LEVEL)
        && !codec.equalsIgnoreCase("zstd")) {
      return false;
    }
    return table.properties().keySet().stream()
        .filter(key -> key.startsWith("write.parquet."))
        .allMatch(HONOURED::contains);
  }

  /**
   * Copies the rows of {@code inputs}, in order, into new files of about the target size.
   *
   * @throws CannotTranscode when an input's Parquet schema differs from the first one's or a page
   *     cannot be carried over (nothing written stays behind)
   */
  List<DataFile> transcode(List<Supplier<InputFile>> inputs, MetricsConfig metricsConfig) {
    List<DataFile> written = new ArrayList<>();
    CodecFactory codecs = new CodecFactory(conf, properties.getPageSizeThreshold());
    CompressionCodecFactory reading = ParquetAdapters.withDirectPages(codecs);
    Output output = null;
    MessageType schema = null;
    try {
      for (Supplier<InputFile> next : inputs) {
        InputFile input = next.get();
        try (ParquetFileReader reader = ParquetAdapters.open(input, reading)) {
          ParquetMetadata footer = reader.getFooter();
          MessageType fileSchema = footer.getFileMetaData().getSchema();
          if (!ParquetSchemaUtil.hasIds(fileSchema)) {
            // the merged file keeps its inputs' columns, which only ids tie to the table's fields
            throw new CannotTranscode(input.location() + " has no field ids");
          }
          if (schema == null) {
            schema = fileSchema;
          } else if (!schema.equals(fileSchema)) {
            throw new CannotTranscode(input.location() + " has another Parquet schema");
          }
          if (output == null) {
            output =
                new Output(
                    newOutput.get(),
                    schema,
                    footer.getFileMetaData().getKeyValueMetaData(),
                    codecs.getCompressor(codec));
          }
          String createdBy = footer.getFileMetaData().getCreatedBy();
          PageReadStore rowGroup;
          while ((rowGroup = reader.readNextRowGroup()) != null) {
            if (rowGroup.getRowCount() > 0) {
              output.copy(rowGroup, createdBy);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot transcode " + input.location(), e);
        }
        if (output.length() >= targetFileSize) {
          written.add(output.finish(metricsConfig));
          output = null;
        }
      }
      if (output != null) {
        written.add(output.finish(metricsConfig));
        output = null;
      }
      return written;
    } catch (RuntimeException e) {
      if (output != null) {
        output.abort();
      }
      written.forEach(file -> table.io().deleteFile(file.location()));
      throw e;
    } finally {
      reading.release();
    }
  }

  private static int intProperty(Map<String, String> props, String key, int defaultValue) {
    String value = props.get(key);
    return value == null ? defaultValue : Integer.parseInt(value);
  }

  /** One output file being written: row groups are flushed when they reach the row-group size. */
  private final class Output {
    private final OutputFile file;
    private final MessageType schema;
    private final Map<String, String> keyValues;
    private final CodecFactory.BytesCompressor compressor;
    private final ParquetFileWriter writer;
    private final List<ColumnDescriptor> columns;
    // per column, looked up once instead of once per value in the copy loop
    private final int[] maxDefinitions;
    private final boolean[] repeated;
    private final PrimitiveTypeName[] types;
    // flat schemas merge whole column chunks; others copy values row by row
    private final boolean flat;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private ColumnWriter[] writers;
    private ChunkMerger[] mergers;
    private long rowsInGroup;

    Output(
        OutputFile file,
        MessageType schema,
        Map<String, String> keyValues,
        CodecFactory.BytesCompressor compressor)
        throws IOException {
      this.file = file;
      this.schema = schema;
      this.keyValues = Map.copyOf(keyValues);
      this.compressor = compressor;
      this.columns = schema.getColumns();
      this.maxDefinitions = new int[columns.size()];
      this.repeated = new boolean[columns.size()];
      this.types = new PrimitiveTypeName[columns.size()];
      for (int i = 0; i < columns.size(); i++) {
        ColumnDescriptor column = columns.get(i);
        maxDefinitions[i] = column.getMaxDefinitionLevel();
        repeated[i] = column.getMaxRepetitionLevel() > 0;
        types[i] = column.getPrimitiveType().getPrimitiveTypeName();
      }
      this.flat = mergeChunks && columns.stream().allMatch(ChunkMerger::supports);
      this.writer =
          new ParquetFileWriter(
              ParquetStreams.output(file),
              schema,
              ParquetFileWriter.Mode.OVERWRITE,
              rowGroupSize,
              0,
              properties.getColumnIndexTruncateLength(),
              properties.getStatisticsTruncateLength(),
              properties.getPageWriteChecksumEnabled());
      writer.start();
      newRowGroup();
    }

    private void newRowGroup() {
      pages =
          new ColumnChunkPageWriteStore(
              compressor,
              schema,
              properties.getAllocator(),
              properties.getColumnIndexTruncateLength(),
              properties.getPageWriteChecksumEnabled());
      rowsInGroup = 0;
      if (flat) {
        mergers = new ChunkMerger[columns.size()];
        for (int i = 0; i < mergers.length; i++) {
          mergers[i] =
              new ChunkMerger(columns.get(i), pages.getPageWriter(columns.get(i)), properties);
        }
        return;
      }
      store = properties.newColumnWriteStore(schema, pages, pages);
      writers = new ColumnWriter[columns.size()];
      for (int i = 0; i < writers.length; i++) {
        writers[i] = store.getColumnWriter(columns.get(i));
      }
    }

    /** Appends every row of one input row group, column by column within each row. */
    void copy(PageReadStore rowGroup, String createdBy) throws IOException {
      if (flat) {
        for (int i = 0; i < mergers.length; i++) {
          mergers[i].append(rowGroup.getPageReader(columns.get(i)), createdBy);
        }
        rowsInGroup += rowGroup.getRowCount();
        if (bufferedSize() >= rowGroupSize) {
          flushRowGroup();
        }
        return;
      }
      ColumnReadStoreImpl read =
          new ColumnReadStoreImpl(rowGroup, new NoConverter(schema), schema, createdBy);
      int width = columns.size();
      ColumnReader[] readers = new ColumnReader[width];
      long[] left = new long[width];
      for (int i = 0; i < width; i++) {
        readers[i] = read.getColumnReader(columns.get(i));
        left[i] = readers[i].getTotalValueCount();
      }
      long rows = rowGroup.getRowCount();
      for (long row = 0; row < rows; row++) {
        for (int i = 0; i < width; i++) {
          ColumnReader reader = readers[i];
          ColumnWriter out = writers[i];
          if (!repeated[i]) {
            // a column outside any list or map holds exactly one value per row
            copyValue(reader, out, maxDefinitions[i], types[i]);
            reader.consume();
            continue;
          }
          // a row's values of one column: the first, then every following one that repeats
          do {
            copyValue(reader, out, maxDefinitions[i], types[i]);
            reader.consume();
            left[i]--;
          } while (left[i] > 0 && reader.getCurrentRepetitionLevel() != 0);
        }
        store.endRecord();
        rowsInGroup++;
        if (rowsInGroup % 1000 == 0 && store.getBufferedSize() >= rowGroupSize) {
          flushRowGroup();
        }
      }
    }

    private static void copyValue(
        ColumnReader reader, ColumnWriter out, int maxDefinition, PrimitiveTypeName type) {
      int repetition = reader.getCurrentRepetitionLevel();
      int definition = reader.getCurrentDefinitionLevel();
      if (definition < maxDefinition) {
        out.writeNull(repetition, definition);
        return;
      }
      switch (type) {
        case INT32 -> out.write(reader.getInteger(), repetition, definition);
        case INT64 -> out.write(reader.getLong(), repetition, definition);
        case BOOLEAN -> out.write(reader.getBoolean(), repetition, definition);
        case FLOAT -> out.write(reader.getFloat(), repetition, definition);
        case DOUBLE -> out.write(reader.getDouble(), repetition, definition);
        case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 ->
            out.write(reader.getBinary(), repetition, definition);
      }
    }

    private void flushRowGroup() throws IOException {
      if (rowsInGroup == 0) {
        return;
      }
      if (flat) {
        for (ChunkMerger merger : mergers) {
          merger.flush();
        }
      } else {
        store.flush();
      }
      writer.startBlock(rowsInGroup);
      pages.flushToFileWriter(writer);
      writer.endBlock();
      if (!flat) {
        store.close();
      }
      pages.close();
      newRowGroup();
    }

    /** Bytes of the row group still in memory. */
    private long bufferedSize() {
      if (!flat) {
        return store.getBufferedSize();
      }
      long bytes = 0;
      for (ChunkMerger merger : mergers) {
        bytes += merger.bufferedSize();
      }
      return bytes;
    }

    /** Bytes written so far plus the row group still in memory. */
    long length() {
      try {
        return writer.getPos() + bufferedSize();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    DataFile finish(MetricsConfig metricsConfig) {
      try {
        flushRowGroup();
        if (!flat) {
          store.close();
        }
        pages.close();
        writer.end(keyValues);
        ParquetMetadata footer = writer.getFooter();
        Metrics metrics = ParquetUtil.footerMetrics(footer, Stream.empty(), metricsConfig);
        return DataFiles.builder(spec)
            .withPath(file.location())
            .withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(writer.getPos())
            .withPartition(spec.isUnpartitioned() ? null : partition)
            .withMetrics(metrics)
            .withSplitOffsets(
                footer.getBlocks().stream().map(block -> block.getStartingPos()).toList())
            .build();
      } catch (IOException e) {
        abort();
        throw new UncheckedIOException("cannot finish " + file.location(), e);
      }
    }

    void abort() {
      try {
        writer.close();
      } catch (IOException | RuntimeException ignored) {
        // the partial file is deleted next; a failed close leaves nothing else behind
      }
      table.io().deleteFile(file.location());
    }
  }

  /**
   * Converters that accept nothing: values are read through the column readers' typed getters, but
   * the read store needs a converter per column to exist.
   */
  private static final class NoConverter extends GroupConverter {
    private final Converter[] children;

    NoConverter(GroupType type) {
      children = new Converter[type.getFieldCount()];
      for (int i = 0; i < children.length; i++) {
        Type field = type.getType(i);
        children[i] =
            field.isPrimitive()
                ? new PrimitiveConverter() {}
                : new NoConverter(field.asGroupType());
      }
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return children[fieldIndex];
    }

    @Override
    public void start() {}

    @Override
    public void end() {}
  }
}
