package io.floe.quality;

import io.floe.catalog.ParquetStreams;
import java.io.Closeable;
import java.io.IOException;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Schema;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.EncodingStats;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.DictionaryPageReadStore;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The distinct values of a data file's string columns, from the file's dictionary pages alone: a
 * low-cardinality column (a status, a country, a category) is dictionary-encoded by every common
 * Parquet writer, so the few values in its dictionaries are every value it holds: a row rule over
 * that one column can be decided once per distinct value instead of once per row, and a
 * distinct-count sketch built from those values alone.
 *
 * <p>A column answers only when every page of every row group is dictionary-encoded (a writer falls
 * back to plain pages once a dictionary grows too large, and those values are in no dictionary),
 * the column is found by its Iceberg field id, and its Parquet type is a plain binary. Anything
 * else answers empty, and the caller reads the rows. The file is opened on the first question only.
 */
final class ColumnDictionaries implements Closeable {
  private static final Logger LOG = LoggerFactory.getLogger(ColumnDictionaries.class);

  /**
   * Files below this many rows are read rather than asked: opening a file's footer once more costs
   * a request to the object store, more than decoding a column of a small file.
   */
  static final long MIN_ROWS = 10_000;

  /** Every distinct non-null value of a column, and whether the column may also hold nulls. */
  record Values(Set<String> distinct, boolean mayHoldNulls) {}

  private final InputFile file;
  private final Schema schema;
  // several rules over one column (accepted values, a pattern, a distinct count) ask once
  private final Map<String, Optional<Values>> answered = new HashMap<>();
  private ParquetFileReader reader;

  ColumnDictionaries(InputFile file, Schema schema) {
    this.file = file;
    this.schema = schema;
  }

  /** The table schema the columns are named in. */
  Schema schema() {
    return schema;
  }

  /** The values of the string column {@code name}, when its dictionaries hold all of them. */
  Optional<Values> strings(String name) throws IOException {
    Optional<Values> values = answered.get(name);
    if (values == null) {
      values = read(name);
      answered.put(name, values);
    }
    return values;
  }

  private Optional<Values> read(String name) throws IOException {
    Types.NestedField field = schema.findField(name);
    if (field == null || field.type().typeId() != Type.TypeID.STRING) {
      return Optional.empty();
    }
    if (reader == null) {
      reader = open(file);
    }
    MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
    org.apache.parquet.schema.Type column = topLevel(fileSchema, field.fieldId());
    if (column == null
        || !column.isPrimitive()
        || column.isRepetition(org.apache.parquet.schema.Type.Repetition.REPEATED)
        || column.asPrimitiveType().getPrimitiveTypeName()
            != PrimitiveType.PrimitiveTypeName.BINARY) {
      return Optional.empty();
    }
    ColumnDescriptor descriptor = fileSchema.getColumnDescription(new String[] {column.getName()});
    boolean required = column.isRepetition(org.apache.parquet.schema.Type.Repetition.REQUIRED);
    Set<String> distinct = new LinkedHashSet<>();
    boolean mayHoldNulls = false;
    try {
      for (BlockMetaData rowGroup : reader.getRowGroups()) {
        ColumnChunkMetaData chunk = chunk(rowGroup, column.getName());
        if (chunk == null || !onlyDictionaryPages(chunk)) {
          return Optional.empty();
        }
        mayHoldNulls |= !required && mayHoldNulls(chunk.getStatistics());
        DictionaryPageReadStore dictionaries = reader.getDictionaryReader(rowGroup);
        DictionaryPage page = dictionaries.readDictionaryPage(descriptor);
        if (page == null) {
          return Optional.empty();
        }
        Dictionary dictionary = page.getEncoding().initDictionary(descriptor, page);
        for (int id = 0; id <= dictionary.getMaxId(); id++) {
          distinct.add(dictionary.decodeToBinary(id).toStringUsingUTF8());
        }
      }
    } catch (UnsupportedOperationException | IllegalArgumentException unusual) {
      // an encoding or layout this reader does not decode as a dictionary: the rows still tell
      LOG.debug("dictionaries of {} in {} not used: {}", name, file.location(), unusual.toString());
      return Optional.empty();
    }
    return Optional.of(new Values(distinct, mayHoldNulls));
  }

  /**
   * A Parquet reader of {@code file} with options without a Hadoop configuration, as Iceberg's own
   * reader opens object-store files; built per reader, since they carry the codec factory the
   * reader releases as it closes.
   */
  static ParquetFileReader open(InputFile file) throws IOException {
    return ParquetFileReader.open(
        ParquetStreams.input(file),
        ParquetReadOptions.builder(new PlainParquetConfiguration()).build());
  }

  /** The top-level column of {@code fileSchema} with field id {@code fieldId}; null if none. */
  static org.apache.parquet.schema.Type topLevel(MessageType fileSchema, int fieldId) {
    for (org.apache.parquet.schema.Type type : fileSchema.getFields()) {
      if (type.getId() != null && type.getId().intValue() == fieldId) {
        return type;
      }
    }
    return null;
  }

  private static ColumnChunkMetaData chunk(BlockMetaData rowGroup, String name) {
    for (ColumnChunkMetaData chunk : rowGroup.getColumns()) {
      String[] path = chunk.getPath().toArray();
      if (path.length == 1 && path[0].equals(name)) {
        return chunk;
      }
    }
    return null;
  }

  /**
   * Whether the chunk's data pages are all dictionary-encoded: from the page encoding statistics
   * where the writer kept them, else from the chunk's encodings when they leave no doubt (only
   * dictionary and level encodings; a plain encoding may be a dictionary page's or a fallback
   * page's, so it answers no).
   */
  private static boolean onlyDictionaryPages(ColumnChunkMetaData chunk) {
    EncodingStats stats = chunk.getEncodingStats();
    if (stats != null) {
      return stats.hasDictionaryPages() && !stats.hasNonDictionaryEncodedPages();
    }
    Set<Encoding> encodings = chunk.getEncodings();
    boolean dictionary =
        encodings.contains(Encoding.PLAIN_DICTIONARY)
            || encodings.contains(Encoding.RLE_DICTIONARY);
    return dictionary
        && encodings.stream()
            .allMatch(
                e ->
                    e == Encoding.PLAIN_DICTIONARY
                        || e == Encoding.RLE_DICTIONARY
                        || e == Encoding.RLE
                        || e == Encoding.BIT_PACKED);
  }

  private static boolean mayHoldNulls(Statistics<?> statistics) {
    return statistics == null || !statistics.isNumNullsSet() || statistics.getNumNulls() > 0;
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
  }
}
