package io.floe.quality;

import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.CloseableIterator;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.parquet.ParquetValueReader;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ColumnPath;
import org.apache.parquet.internal.column.columnindex.ColumnIndex;
import org.apache.parquet.internal.column.columnindex.OffsetIndex;
import org.apache.parquet.internal.filter2.columnindex.RowRanges;
import org.apache.parquet.schema.ColumnOrder;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;

/**
 * Reads of a Parquet data file that skip the pages no wanted row is on. Parquet's page indexes tell
 * where each page starts (the offset index: its first row) and what it holds (the column index: its
 * bounds and nulls), so a read of the rows at some positions, or of those whose column may hold
 * some values, need read only their pages. Iceberg's readers read every page of a row group; these
 * reads hand the chosen pages to Iceberg's own value readers, so a value reads as {@link
 * RecordFiles#read} reads it.
 *
 * <p>The pages of different columns end at different rows, so each column is read on its own: its
 * reader decodes the column's pages that hold a chosen row, passes over the values of rows not
 * chosen, and the chosen rows are put together from each column's value at their position.
 */
final class ParquetPages {
  private ParquetPages() {}

  /**
   * The rows a read must include: those at {@code positions} (sorted), and those whose column may
   * hold one of the values of each of {@code values}.
   */
  public record Wanted(long[] positions, List<ValuesOf> values) {
    public Wanted {
      positions = positions.clone();
      Arrays.sort(positions);
      values = List.copyOf(values);
    }
  }

  /**
   * Values of a column, by its field id, in Iceberg's internal representation (a date's day, a
   * string's characters); a null among them wants the rows where the column is null.
   */
  public record ValuesOf(int fieldId, Collection<?> values) {}

  /**
   * Whether a column of {@code type} can choose pages by its values: whole numbers (of a file's 32-
   * or 64-bit integers, signed), dates and strings.
   */
  public static boolean choosesByValue(Type type) {
    return type.typeId() == Type.TypeID.INTEGER
        || type.typeId() == Type.TypeID.LONG
        || type.typeId() == Type.TypeID.DATE
        || type.typeId() == Type.TypeID.STRING;
  }

  /**
   * The rows of {@code file} on the pages that hold the rows {@code wanted} names, of {@code
   * projection} (the table's columns and, where wanted, the row position), with the rows of those
   * pages that are not wanted among them; empty, for a read of every row, when the file is not
   * Parquet, its page indexes or field ids are missing, a column cannot choose pages by its values
   * (see {@link #choosesByValue}), or every page of every column read holds a wanted row.
   */
  public static Optional<CloseableIterable<Record>> read(
      Table table, DataFile file, Schema projection, Wanted wanted) {
    if (file.format() != FileFormat.PARQUET || hasOtherMetadataColumns(projection)) {
      return Optional.empty();
    }
    ParquetFileReader reader = null;
    try {
      reader = ColumnDictionaries.open(table.io().newInputFile(file));
      MessageType fileSchema = reader.getFileMetaData().getSchema();
      if (!ParquetSchemaUtil.hasIds(fileSchema)) {
        return closing(reader);
      }
      MessageType requested = ParquetSchemaUtil.pruneColumns(fileSchema, projection);
      Map<Integer, ColumnDescriptor> leaves = leaves(requested);
      if (leaves == null) {
        return closing(reader);
      }
      Sorted[] sorted = new Sorted[wanted.values().size()];
      for (int v = 0; v < sorted.length; v++) {
        Optional<Sorted> values = sorted(table.schema(), fileSchema, wanted.values().get(v));
        if (values.isEmpty()) {
          return closing(reader);
        }
        sorted[v] = values.get();
      }
      List<Chosen> chosen = new ArrayList<>();
      boolean everyPage = true;
      List<BlockMetaData> blocks = reader.getRowGroups();
      for (int b = 0; b < blocks.size(); b++) {
        BlockMetaData block = blocks.get(b);
        Optional<Chosen> rowsOf = chosen(reader, b, block, leaves, wanted.positions(), sorted);
        if (rowsOf.isEmpty()) {
          return closing(reader);
        }
        long count = block.getRowCount();
        everyPage &=
            rowsOf.get().decoded().values().stream().allMatch(rows -> rows.rowCount() == count);
        if (rowsOf.get().rows().rowCount() > 0) {
          chosen.add(rowsOf.get());
        }
      }
      if (everyPage) {
        return closing(reader);
      }
      reader.setRequestedSchema(requested);
      Map<Integer, ?> constants = RecordFiles.constants(table, file);
      List<Lane> lanes = new ArrayList<>();
      List<Types.NestedField> fields = projection.columns();
      int position = -1;
      for (int f = 0; f < fields.size(); f++) {
        Types.NestedField field = fields.get(f);
        if (field.fieldId() == MetadataColumns.ROW_POSITION.fieldId()) {
          position = f;
        } else {
          @SuppressWarnings("unchecked")
          ParquetValueReader<Record> column =
              (ParquetValueReader<Record>)
                  GenericParquetReaders.buildReader(new Schema(field), fileSchema, constants);
          lanes.add(new Lane(f, field.fieldId(), column, leaves.containsKey(field.fieldId())));
        }
      }
      ParquetFileReader open = reader;
      reader = null;
      Types.StructType struct = projection.asStruct();
      int at = position;
      return Optional.of(
          CloseableIterable.combine(
              () -> new PageRows(open, struct, lanes, chosen, at, file.location()), open));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      if (reader != null) {
        try {
          reader.close();
        } catch (IOException e) {
          // nothing read from it is used
        }
      }
    }
  }

  private static Optional<CloseableIterable<Record>> closing(ParquetFileReader reader)
      throws IOException {
    reader.close();
    return Optional.empty();
  }

  private static boolean hasOtherMetadataColumns(Schema projection) {
    return projection.columns().stream()
        .anyMatch(
            field ->
                MetadataColumns.isMetadataColumn(field.fieldId())
                    && field.fieldId() != MetadataColumns.ROW_POSITION.fieldId());
  }

  /**
   * The rows of a row group to read, relative to its first, and for each column read (by field id)
   * the rows of its pages that hold them, which its reader decodes.
   */
  private record Chosen(
      int index, BlockMetaData block, RowRanges rows, Map<Integer, RowRanges> decoded) {}

  /**
   * Each top-level column of {@code requested} by its field id; null when one is not a primitive (a
   * struct's, list's or map's columns may end their pages at different rows from each other).
   */
  private static Map<Integer, ColumnDescriptor> leaves(MessageType requested) {
    Map<Integer, ColumnDescriptor> leaves = new HashMap<>();
    for (org.apache.parquet.schema.Type field : requested.getFields()) {
      if (!field.isPrimitive() || field.getId() == null) {
        return null;
      }
      leaves.put(
          field.getId().intValue(), requested.getColumnDescription(new String[] {field.getName()}));
    }
    return leaves;
  }

  /**
   * The rows of {@code block} to read: the wanted positions' own rows, and those on the pages that
   * may hold the wanted values; with each column's pages that hold them. Empty when a page index is
   * missing.
   */
  private static Optional<Chosen> chosen(
      ParquetFileReader reader,
      int index,
      BlockMetaData block,
      Map<Integer, ColumnDescriptor> leaves,
      long[] positions,
      Sorted[] values)
      throws IOException {
    long count = block.getRowCount();
    Map<ColumnPath, ColumnChunkMetaData> chunks = new HashMap<>();
    block.getColumns().forEach(chunk -> chunks.put(chunk.getPath(), chunk));
    Map<Integer, OffsetIndex> pages = new HashMap<>();
    for (Map.Entry<Integer, ColumnDescriptor> leaf : leaves.entrySet()) {
      ColumnChunkMetaData chunk = chunks.get(ColumnPath.get(leaf.getValue().getPath()));
      OffsetIndex offsets = chunk == null ? null : reader.readOffsetIndex(chunk);
      if (offsets == null) {
        return Optional.empty();
      }
      pages.put(leaf.getKey(), offsets);
    }
    if (count == 0) {
      return Optional.of(new Chosen(index, block, RowRanges.EMPTY, Map.of()));
    }
    RowRanges rows = RowRanges.EMPTY;
    long first = block.getRowIndexOffset();
    int from = lowerBound(positions, first);
    int to = lowerBound(positions, first + count);
    if (from < to) {
      // a position's own row, as one page of a single-row page index
      rows = RowRanges.union(rows, single(count, positions, from, to, first));
    }
    for (Sorted wanted : values) {
      ColumnChunkMetaData chunk = chunks.get(wanted.path());
      if (chunk == null) {
        return Optional.empty();
      }
      ColumnIndex bounds = reader.readColumnIndex(chunk);
      // a column read has its offset index read already
      OffsetIndex offsets = pages.get(wanted.fieldId());
      if (offsets == null) {
        offsets = reader.readOffsetIndex(chunk);
      }
      if (bounds == null || offsets == null) {
        return Optional.empty();
      }
      rows =
          RowRanges.union(
              rows,
              RowRanges.create(count, pagesWhere(bounds, wanted::mayBeOn).iterator(), offsets));
    }
    Map<Integer, RowRanges> decoded = new HashMap<>();
    RowRanges chosenRows = rows;
    pages.forEach(
        (id, offsets) ->
            decoded.put(
                id,
                RowRanges.create(
                    count,
                    IntStream.range(0, offsets.getPageCount())
                        .filter(
                            p ->
                                chosenRows.isOverlapping(
                                    offsets.getFirstRowIndex(p), offsets.getLastRowIndex(p, count)))
                        .iterator(),
                    offsets)));
    return Optional.of(new Chosen(index, block, rows, decoded));
  }

  /** The rows at {@code positions[from..to)}, of a row group starting at {@code first}. */
  private static RowRanges single(long count, long[] positions, int from, int to, long first) {
    long[] rows = new long[to - from];
    for (int p = from; p < to; p++) {
      rows[p - from] = positions[p] - first;
    }
    long[] distinct = Arrays.stream(rows).distinct().toArray();
    return RowRanges.create(
        count, IntStream.range(0, distinct.length).iterator(), new RowsAsPages(distinct));
  }

  /** Rows as the pages of an offset index, one row each. */
  private record RowsAsPages(long[] rows) implements OffsetIndex {
    @Override
    public int getPageCount() {
      return rows.length;
    }

    @Override
    public long getOffset(int page) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int getCompressedPageSize(int page) {
      throw new UnsupportedOperationException();
    }

    @Override
    public long getFirstRowIndex(int page) {
      return rows[page];
    }

    @Override
    public long getLastRowIndex(int page, long rowGroupRowCount) {
      return rows[page];
    }
  }

  private static IntStream pagesWhere(ColumnIndex bounds, PageTest test) {
    List<Boolean> nullPages = bounds.getNullPages();
    List<Long> nullCounts = bounds.getNullCounts();
    List<ByteBuffer> mins = bounds.getMinValues();
    List<ByteBuffer> maxes = bounds.getMaxValues();
    IntPredicate holds =
        p ->
            test.mayBeOn(
                nullPages.get(p),
                nullCounts == null || nullCounts.get(p) > 0,
                mins.get(p),
                maxes.get(p));
    return IntStream.range(0, nullPages.size()).filter(holds);
  }

  @FunctionalInterface
  private interface PageTest {
    boolean mayBeOn(boolean allNull, boolean mayHaveNulls, ByteBuffer min, ByteBuffer max);
  }

  private static int lowerBound(long[] sorted, long value) {
    int at = Arrays.binarySearch(sorted, value);
    if (at < 0) {
      return -at - 1;
    }
    while (at > 0 && sorted[at - 1] == value) {
      at--;
    }
    return at;
  }

  /**
   * A column's wanted values, sorted in the order of its pages' bounds: signed whole numbers, or
   * strings as their UTF-8 bytes compared unsigned.
   */
  private record Sorted(
      int fieldId, ColumnPath path, long[] numbers, byte[][] strings, boolean nulls) {
    boolean mayBeOn(boolean allNull, boolean mayHaveNulls, ByteBuffer min, ByteBuffer max) {
      if (nulls && mayHaveNulls) {
        return true;
      }
      if (allNull) {
        return false;
      }
      if (numbers != null) {
        long low = number(min);
        long high = number(max);
        int at = lowerBound(numbers, low);
        return at < numbers.length && numbers[at] <= high;
      }
      byte[] low = bytes(min);
      byte[] high = bytes(max);
      int at = Arrays.binarySearch(strings, low, Arrays::compareUnsigned);
      if (at >= 0) {
        return true;
      }
      at = -at - 1;
      return at < strings.length && Arrays.compareUnsigned(strings[at], high) <= 0;
    }

    private static long number(ByteBuffer bound) {
      ByteBuffer little = bound.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      return little.remaining() == Integer.BYTES
          ? little.getInt(little.position())
          : little.getLong(little.position());
    }

    private static byte[] bytes(ByteBuffer bound) {
      ByteBuffer copy = bound.duplicate();
      byte[] bytes = new byte[copy.remaining()];
      copy.get(bytes);
      return bytes;
    }
  }

  /**
   * {@code wanted}'s values sorted for comparing with the bounds of its column's pages in a file of
   * {@code fileSchema}; empty when the column is not a top-level one of the file, or its type
   * cannot choose pages.
   */
  private static Optional<Sorted> sorted(Schema schema, MessageType fileSchema, ValuesOf wanted) {
    Types.NestedField field = schema.findField(wanted.fieldId());
    if (field == null || !choosesByValue(field.type())) {
      return Optional.empty();
    }
    org.apache.parquet.schema.Type column =
        ColumnDictionaries.topLevel(fileSchema, wanted.fieldId());
    if (column == null || !column.isPrimitive()) {
      return Optional.empty();
    }
    PrimitiveType stored = column.asPrimitiveType();
    if (stored.columnOrder().getColumnOrderName()
        != ColumnOrder.ColumnOrderName.TYPE_DEFINED_ORDER) {
      return Optional.empty();
    }
    ColumnPath path = ColumnPath.get(stored.getName());
    LogicalTypeAnnotation logical = stored.getLogicalTypeAnnotation();
    boolean nulls = false;
    List<Object> present = new ArrayList<>();
    for (Object value : wanted.values()) {
      if (value == null) {
        nulls = true;
      } else {
        present.add(value);
      }
    }
    switch (stored.getPrimitiveTypeName()) {
      case INT32:
      case INT64:
        boolean signed =
            logical == null
                || logical instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation
                || (logical instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation integer
                    && integer.isSigned());
        if (!signed || field.type().typeId() == Type.TypeID.STRING) {
          return Optional.empty();
        }
        long[] numbers = new long[present.size()];
        for (int i = 0; i < numbers.length; i++) {
          numbers[i] = ((Number) present.get(i)).longValue();
        }
        Arrays.sort(numbers);
        return Optional.of(new Sorted(wanted.fieldId(), path, numbers, null, nulls));
      case BINARY:
        if (!(logical instanceof LogicalTypeAnnotation.StringLogicalTypeAnnotation)
            || field.type().typeId() != Type.TypeID.STRING) {
          return Optional.empty();
        }
        byte[][] strings = new byte[present.size()][];
        for (int i = 0; i < strings.length; i++) {
          strings[i] = present.get(i).toString().getBytes(StandardCharsets.UTF_8);
        }
        Arrays.sort(strings, (Comparator<byte[]>) Arrays::compareUnsigned);
        return Optional.of(new Sorted(wanted.fieldId(), path, null, strings, nulls));
      default:
        return Optional.empty();
    }
  }

  /**
   * One projected column's reader: of a column of the file, which decodes the rows of its pages
   * that hold a chosen row; else of a value the reader supplies (a constant, or null for a column
   * the file lacks), read once for each chosen row.
   */
  private static final class Lane {
    private final int field;
    private final int id;
    private final ParquetValueReader<Record> reader;
    private final boolean stored;
    private PrimitiveIterator.OfLong rows;
    private long next;
    private Record last;

    Lane(int field, int id, ParquetValueReader<Record> reader, boolean stored) {
      this.field = field;
      this.id = id;
      this.reader = reader;
      this.stored = stored;
    }

    void start(PageReadStore pages, Chosen chosen) {
      reader.setPageSource(pages);
      if (stored) {
        rows = chosen.decoded().get(id).iterator();
        next = rows.hasNext() ? rows.nextLong() : Long.MAX_VALUE;
      }
    }

    /** The value at row {@code row} of the row group, passing over the rows before it. */
    Object valueAt(long row) {
      if (stored) {
        while (next < row) {
          last = reader.read(last);
          next = rows.hasNext() ? rows.nextLong() : Long.MAX_VALUE;
        }
        next = rows.hasNext() ? rows.nextLong() : Long.MAX_VALUE;
      }
      last = reader.read(last);
      return last.get(0);
    }
  }

  /** The chosen rows, each given its position in the file. */
  private static final class PageRows implements CloseableIterator<Record> {
    private final ParquetFileReader reader;
    private final Types.StructType struct;
    private final List<Lane> lanes;
    private final List<Chosen> chosen;
    private final int position;
    private final String location;
    private int next = 0;
    private long first;
    private PrimitiveIterator.OfLong rows;
    private Record row;

    PageRows(
        ParquetFileReader reader,
        Types.StructType struct,
        List<Lane> lanes,
        List<Chosen> chosen,
        int position,
        String location) {
      this.reader = reader;
      this.struct = struct;
      this.lanes = lanes;
      this.chosen = chosen;
      this.position = position;
      this.location = location;
    }

    @Override
    public boolean hasNext() {
      return (rows != null && rows.hasNext()) || next < chosen.size();
    }

    @Override
    public Record next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      if (rows == null || !rows.hasNext()) {
        Chosen group = chosen.get(next++);
        PageReadStore pages;
        try {
          pages = reader.readFilteredRowGroup(group.index(), group.rows());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the pages of " + location, e);
        }
        for (Lane lane : lanes) {
          lane.start(pages, group);
        }
        first = group.block().getRowIndexOffset();
        rows = group.rows().iterator();
      }
      long at = rows.nextLong();
      if (row == null) {
        row = GenericRecord.create(struct);
      }
      for (Lane lane : lanes) {
        row.set(lane.field, lane.valueAt(at));
      }
      if (position >= 0) {
        row.set(position, first + at);
      }
      return row;
    }

    @Override
    public void close() throws IOException {
      reader.close();
    }
  }
}
