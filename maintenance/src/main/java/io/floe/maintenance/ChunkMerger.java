package io.floe.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.apache.parquet.CorruptDeltaByteArrays;
import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.page.PageWriter;
import org.apache.parquet.column.statistics.SizeStatistics;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.column.statistics.geospatial.GeospatialStatistics;
import org.apache.parquet.column.values.RequiresPreviousReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.plain.BooleanPlainValuesWriter;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridDecoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridEncoder;
import org.apache.parquet.column.values.rle.RunLengthBitPackingHybridValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveComparator;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * Writes one output column chunk of a flat column (not inside a list or map, at most one level of
 * optionality) from the pages of many small input chunks. An input page that is dictionary-encoded
 * is carried over by mapping its dictionary ids to the output dictionary once per input entry, so
 * the per-value work is an array lookup instead of decoding, hashing and comparing each value; page
 * statistics are folded from the input entries a page actually references. Other input pages are
 * decoded value by value. The output follows what Parquet's own V1 writer does with the same
 * settings: a dictionary that stays within the dictionary page size, plain encoding from the first
 * page when the dictionary does not pay off, and plain encoding for the rest of the chunk once the
 * dictionary outgrows its page.
 */
final class ChunkMerger {
  private static final int INITIAL_SLAB = 64 << 10;
  // the orders of plain signed numbers and IEEE floats, taken from types without annotations
  private static final java.util.Map<PrimitiveTypeName, Object> NATURAL =
      java.util.Map.of(
          PrimitiveTypeName.INT64,
          org.apache.parquet.schema.Types.required(PrimitiveTypeName.INT64).named("v").comparator(),
          PrimitiveTypeName.INT32,
          org.apache.parquet.schema.Types.required(PrimitiveTypeName.INT32).named("v").comparator(),
          PrimitiveTypeName.DOUBLE,
          org.apache.parquet.schema.Types.required(PrimitiveTypeName.DOUBLE)
              .named("v")
              .comparator(),
          PrimitiveTypeName.FLOAT,
          org.apache.parquet.schema.Types.required(PrimitiveTypeName.FLOAT)
              .named("v")
              .comparator());

  private final ColumnDescriptor column;
  private final PrimitiveType type;
  private final PrimitiveTypeName kind;
  private final PageWriter pages;
  private final ByteBufferAllocator allocator;
  private final int pageSize;
  private final int pageRowLimit;
  private final int maxDictionaryBytes;
  private final boolean optional;
  private final boolean binary;
  // plain input pages can be copied as they are once the output is plain too
  private final boolean bulk;

  // the output dictionary: entries in id order, found by value (dropped once plain, see toPlain)
  private LongIntTable longIds = new LongIntTable();
  private java.util.HashMap<Binary, Integer> binaryIds = new java.util.HashMap<>();
  private long[] longEntries = new long[0];
  private Binary[] binaryEntries = new Binary[0];
  private int dictionarySize;
  private long dictionaryBytes;
  private int lastUsedDictionarySize;
  private boolean plain;
  private boolean firstPage = true;

  // the page being built
  private final RunLengthBitPackingHybridValuesWriter definitions;
  private final ValuesWriter plainValues;
  private int[] ids = new int[1024];
  private int idCount;
  private int valueCount;
  private long rawBytes;
  private long byteArrayBytes;
  private Statistics<?> statistics;

  // the input chunk being appended, when it has a dictionary
  private InputDictionary input;

  ChunkMerger(ColumnDescriptor column, PageWriter pages, ParquetProperties properties) {
    if (!supports(column)) {
      throw new IllegalArgumentException("not a flat column: " + column);
    }
    this.column = column;
    this.type = column.getPrimitiveType();
    this.kind = type.getPrimitiveTypeName();
    this.pages = pages;
    this.allocator = properties.getAllocator();
    this.pageSize = properties.getPageSizeThreshold();
    this.pageRowLimit = properties.getPageRowCountLimit();
    this.maxDictionaryBytes = properties.getDictionaryPageSizeThreshold();
    this.optional = column.getMaxDefinitionLevel() == 1;
    this.binary =
        kind == PrimitiveTypeName.BINARY
            || kind == PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
            || kind == PrimitiveTypeName.INT96;
    // Parquet's V1 writer never dictionary-encodes booleans
    this.plain = kind == PrimitiveTypeName.BOOLEAN;
    this.definitions =
        new RunLengthBitPackingHybridValuesWriter(1, slab(pageSize), pageSize, allocator);
    this.plainValues =
        kind == PrimitiveTypeName.BOOLEAN
            ? new BooleanPlainValuesWriter()
            : new PlainBuffer(kind == PrimitiveTypeName.BINARY);
    this.bulk = bulkComparable(type);
    this.statistics = Statistics.createStats(type);
  }

  /** Whether a column is flat enough for this merger: no repetition, at most one optional level. */
  static boolean supports(ColumnDescriptor column) {
    return column.getMaxRepetitionLevel() == 0 && column.getMaxDefinitionLevel() <= 1;
  }

  /** Appends every value of one input column chunk. */
  void append(PageReader chunk, String createdBy) {
    DictionaryPage dictionaryPage = chunk.readDictionaryPage();
    input = dictionaryPage == null ? null : new InputDictionary(dictionaryPage);
    ValuesReader previous = null;
    try {
      for (DataPage page = chunk.readPage(); page != null; page = chunk.readPage()) {
        previous = appendPage(page, createdBy, previous);
      }
      foldReferenced();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a page of " + column, e);
    } finally {
      input = null;
    }
  }

  /** Bytes held for this chunk: pages written so far, the page being built and the dictionary. */
  long bufferedSize() {
    return pages.getMemSize() + pageBytes() + (plain ? 0 : dictionaryBytes);
  }

  /** Writes the last page and the dictionary page; the merger is done with its chunk. */
  void flush() {
    if (valueCount > 0) {
      writePage();
    }
    try {
      if (lastUsedDictionarySize > 0) {
        pages.writeDictionaryPage(
            new DictionaryPage(
                plainEntries(lastUsedDictionarySize),
                lastUsedDictionarySize,
                Encoding.PLAIN_DICTIONARY));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the dictionary of " + column, e);
    }
    definitions.close();
    plainValues.close();
  }

  private ValuesReader appendPage(DataPage page, String createdBy, ValuesReader previous)
      throws IOException {
    int count = page.getValueCount();
    Encoding encoding;
    ByteBufferInputStream data;
    IntReader levels;
    if (page instanceof DataPageV1 v1) {
      ByteBufferInputStream in = v1.getBytes().toInputStream();
      v1.getRlEncoding()
          .getValuesReader(column, ValuesType.REPETITION_LEVEL)
          .initFromPage(count, in);
      ValuesReader dl = v1.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
      dl.initFromPage(count, in);
      levels = dl::readInteger;
      encoding = v1.getValueEncoding();
      data = in;
    } else {
      DataPageV2 v2 = (DataPageV2) page;
      if (optional) {
        RunLengthBitPackingHybridDecoder decoder =
            new RunLengthBitPackingHybridDecoder(1, v2.getDefinitionLevels().toInputStream());
        levels = decoder::readInt;
      } else {
        levels = () -> 0;
      }
      encoding = v2.getDataEncoding();
      data = v2.getData().toInputStream();
    }
    if (plain && bulk && encoding == Encoding.PLAIN) {
      appendPlainPage(count, levels, data);
      return null;
    }
    ValuesReader values;
    if (encoding.usesDictionary()) {
      if (input == null) {
        throw new ColumnTranscoder.CannotTranscode(
            "a page of " + column + " is dictionary-encoded but its chunk has no dictionary");
      }
      values = encoding.getDictionaryBasedValuesReader(column, ValuesType.VALUES, input.dictionary);
    } else {
      values = encoding.getValuesReader(column, ValuesType.VALUES);
    }
    values.initFromPage(count, data);
    if (previous != null
        && values instanceof RequiresPreviousReader sequential
        && CorruptDeltaByteArrays.requiresSequentialReads(createdBy, encoding)) {
      sequential.setPreviousReader(previous);
    }
    boolean mapped = encoding.usesDictionary();
    for (int i = 0; i < count; i++) {
      if (optional && levels.next() == 0) {
        appendNull();
      } else if (mapped) {
        appendEntry(values.readValueDictionaryId());
      } else {
        appendValue(values);
      }
      if (valueCount >= pageRowLimit || pageBytes() > pageSize) {
        writePage();
      }
    }
    return values;
  }

  /**
   * Appends a plain-encoded input page to plain output without decoding its values one by one: the
   * encoded bytes are copied in runs, and the statistics come from a primitive scan.
   */
  private void appendPlainPage(int count, IntReader levels, ByteBufferInputStream data)
      throws IOException {
    ByteBuffer encoded = heap(data.slice(data.available()));
    int position = encoded.position();
    int done = 0;
    while (done < count) {
      int take = Math.min(count - done, Math.max(1, pageRowLimit - valueCount));
      int present = take;
      if (optional) {
        present = 0;
        for (int i = 0; i < take; i++) {
          if (levels.next() == 0) {
            definitions.writeInteger(0);
            statistics.incrementNumNulls();
          } else {
            definitions.writeInteger(1);
            present++;
          }
        }
      }
      int end = scan(encoded, position, present);
      ((PlainBuffer) plainValues).append(encoded, position, end - position);
      position = end;
      valueCount += take;
      done += take;
      if (valueCount >= pageRowLimit || pageBytes() > pageSize) {
        writePage();
      }
    }
  }

  /**
   * Folds {@code count} plain values starting at {@code from} into the page statistics; returns
   * where they end.
   */
  private int scan(ByteBuffer encoded, int from, int count) {
    if (count == 0) {
      return from;
    }
    switch (kind) {
      case INT64, INT32 -> {
        int width = kind == PrimitiveTypeName.INT64 ? 8 : 4;
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < count; i++) {
          int at = from + width * i;
          long value = width == 8 ? encoded.getLong(at) : encoded.getInt(at);
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
        if (width == 8) {
          statistics.updateStats(min);
          statistics.updateStats(max);
        } else {
          statistics.updateStats((int) min);
          statistics.updateStats((int) max);
        }
        return from + width * count;
      }
      case DOUBLE, FLOAT -> {
        // the order Parquet's floating-point statistics use: Double.compare's, NaN above all; a
        // float widened to a double keeps its place in that order and narrows back exactly
        int width = kind == PrimitiveTypeName.DOUBLE ? 8 : 4;
        double min = width == 8 ? encoded.getDouble(from) : encoded.getFloat(from);
        double max = min;
        for (int i = 1; i < count; i++) {
          int at = from + width * i;
          double value = width == 8 ? encoded.getDouble(at) : encoded.getFloat(at);
          if (Double.compare(min, value) > 0) {
            min = value;
          }
          if (Double.compare(max, value) < 0) {
            max = value;
          }
        }
        if (width == 8) {
          statistics.updateStats(min);
          statistics.updateStats(max);
        } else {
          statistics.updateStats((float) min);
          statistics.updateStats((float) max);
        }
        return from + width * count;
      }
      default -> {
        // BINARY under unsigned lexicographic order: each value is a length and its bytes
        byte[] array = encoded.array();
        int base = encoded.arrayOffset();
        int position = from;
        int minAt = -1;
        int minLength = 0;
        int maxAt = -1;
        int maxLength = 0;
        for (int i = 0; i < count; i++) {
          int length = encoded.getInt(position);
          int at = base + position + 4;
          if (minAt < 0
              || Arrays.compareUnsigned(array, at, at + length, array, minAt, minAt + minLength)
                  < 0) {
            minAt = at;
            minLength = length;
          }
          if (maxAt < 0
              || Arrays.compareUnsigned(array, at, at + length, array, maxAt, maxAt + maxLength)
                  > 0) {
            maxAt = at;
            maxLength = length;
          }
          byteArrayBytes += length;
          position += 4 + length;
        }
        statistics.updateStats(
            Binary.fromConstantByteArray(Arrays.copyOfRange(array, minAt, minAt + minLength)));
        statistics.updateStats(
            Binary.fromConstantByteArray(Arrays.copyOfRange(array, maxAt, maxAt + maxLength)));
        return position;
      }
    }
  }

  /** Columns whose statistics order the bulk scan reproduces with primitive comparisons. */
  private static boolean bulkComparable(PrimitiveType type) {
    Object order = type.comparator();
    return order == NATURAL.get(type.getPrimitiveTypeName())
        || (type.getPrimitiveTypeName() == PrimitiveTypeName.BINARY
            && order == PrimitiveComparator.UNSIGNED_LEXICOGRAPHICAL_BINARY_COMPARATOR);
  }

  /** A little-endian view on an array: the bulk scan compares bytes in place. */
  private static ByteBuffer heap(ByteBuffer buffer) {
    ByteBuffer heap = buffer;
    if (!buffer.hasArray()) {
      heap = ByteBuffer.allocate(buffer.remaining());
      heap.put(buffer.duplicate());
      heap.flip();
    }
    return heap.order(ByteOrder.LITTLE_ENDIAN);
  }

  private void appendNull() {
    definitions.writeInteger(0);
    statistics.incrementNumNulls();
    valueCount++;
  }

  /** Appends entry {@code id} of the input dictionary. */
  private void appendEntry(int id) {
    InputDictionary in = input;
    if (optional) {
      definitions.writeInteger(1);
    }
    valueCount++;
    if (in.stamps[id] != in.epoch) {
      in.stamps[id] = in.epoch;
      in.referenced[in.referencedCount++] = id;
    }
    if (binary) {
      byteArrayBytes += in.lengths[id];
    }
    if (plain) {
      in.writePlain(id, plainValues);
      return;
    }
    int out = in.outIds[id];
    if (out < 0) {
      out = in.outIds[id] = in.intern(id);
    }
    rawBytes += in.plainSizes[id];
    addId(out);
  }

  /** Appends the next value of a page that is not dictionary-encoded. */
  private void appendValue(ValuesReader values) {
    if (optional) {
      definitions.writeInteger(1);
    }
    valueCount++;
    switch (kind) {
      case BOOLEAN -> {
        boolean value = values.readBoolean();
        statistics.updateStats(value);
        plainValues.writeBoolean(value);
      }
      case INT32 -> {
        int value = values.readInteger();
        statistics.updateStats(value);
        appendLong(value, 4);
      }
      case INT64 -> {
        long value = values.readLong();
        statistics.updateStats(value);
        appendLong(value, 8);
      }
      case FLOAT -> {
        float value = values.readFloat();
        statistics.updateStats(value);
        appendLong(Float.floatToRawIntBits(value), 4);
      }
      case DOUBLE -> {
        double value = values.readDouble();
        statistics.updateStats(value);
        appendLong(Double.doubleToRawLongBits(value), 8);
      }
      default -> {
        Binary value = values.readBytes();
        statistics.updateStats(value);
        byteArrayBytes += value.length();
        if (plain) {
          plainValues.writeBytes(value);
        } else {
          Integer id = binaryIds.get(value);
          // owned bytes: a slice would keep the whole input page alive
          addId(id != null ? id : internBinary(Binary.fromConstantByteArray(value.getBytes())));
          rawBytes += plainSize(value.length());
        }
      }
    }
  }

  private void appendLong(long bits, int width) {
    if (plain) {
      writePlainLong(bits, plainValues);
      return;
    }
    int id = longIds.get(bits);
    addId(id >= 0 ? id : internLong(bits));
    rawBytes += width;
  }

  private void addId(int id) {
    if (idCount == ids.length) {
      ids = Arrays.copyOf(ids, ids.length * 2);
    }
    ids[idCount++] = id;
    if (dictionaryBytes > maxDictionaryBytes) {
      // like Parquet's writer: the page being built goes plain, earlier pages keep the dictionary
      toPlain();
    }
  }

  private int internLong(long bits) {
    if (dictionarySize == longEntries.length) {
      longEntries = Arrays.copyOf(longEntries, Math.max(1024, dictionarySize * 2));
    }
    longEntries[dictionarySize] = bits;
    longIds.put(bits, dictionarySize);
    dictionaryBytes += width();
    return dictionarySize++;
  }

  private int internBinary(Binary owned) {
    if (dictionarySize == binaryEntries.length) {
      binaryEntries = Arrays.copyOf(binaryEntries, Math.max(1024, dictionarySize * 2));
    }
    binaryEntries[dictionarySize] = owned;
    binaryIds.put(owned, dictionarySize);
    dictionaryBytes += plainSize(owned.length());
    return dictionarySize++;
  }

  private int width() {
    return kind == PrimitiveTypeName.INT32 || kind == PrimitiveTypeName.FLOAT ? 4 : 8;
  }

  private int plainSize(int length) {
    return kind == PrimitiveTypeName.BINARY ? 4 + length : length;
  }

  private long pageBytes() {
    long levels = optional ? definitions.getBufferedSize() : 0;
    return levels + (plain ? plainValues.getBufferedSize() : 4L * idCount);
  }

  /** Folds the input entries referenced since the last fold into the page statistics. */
  private void foldReferenced() {
    InputDictionary in = input;
    if (in == null || in.referencedCount == 0) {
      return;
    }
    for (int i = 0; i < in.referencedCount; i++) {
      in.updateStatistics(in.referenced[i], statistics);
    }
    in.referencedCount = 0;
    in.epoch++;
  }

  private void writePage() {
    foldReferenced();
    try {
      BytesInput levels = optional ? definitions.getBytes() : BytesInput.empty();
      BytesInput data;
      Encoding encoding;
      if (plain) {
        data = plainValues.getBytes();
        encoding = Encoding.PLAIN;
      } else {
        data = dictionaryIds();
        encoding = Encoding.PLAIN_DICTIONARY;
        if (firstPage && data.size() + dictionaryBytes >= rawBytes) {
          // the dictionary does not pay off: the whole chunk goes plain, as Parquet's writer does
          lastUsedDictionarySize = 0;
          toPlain();
          data = plainValues.getBytes();
          encoding = Encoding.PLAIN;
        } else {
          lastUsedDictionarySize = dictionarySize;
        }
      }
      SizeStatistics sizes =
          new SizeStatistics(
              type,
              kind == PrimitiveTypeName.BINARY ? byteArrayBytes : 0L,
              new java.util.ArrayList<>(),
              new java.util.ArrayList<>());
      pages.writePage(
          BytesInput.concat(levels, data),
          valueCount,
          valueCount,
          statistics,
          sizes,
          GeospatialStatistics.newBuilder(type).build(),
          Encoding.BIT_PACKED,
          optional ? Encoding.RLE : Encoding.BIT_PACKED,
          encoding);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write a page of " + column, e);
    }
    firstPage = false;
    definitions.reset();
    plainValues.reset();
    idCount = 0;
    valueCount = 0;
    rawBytes = 0;
    byteArrayBytes = 0;
    statistics = Statistics.createStats(type);
  }

  private BytesInput dictionaryIds() throws IOException {
    int bitWidth = BytesUtils.getWidthFromMaxInt(Math.max(0, dictionarySize - 1));
    RunLengthBitPackingHybridEncoder encoder =
        new RunLengthBitPackingHybridEncoder(bitWidth, slab(pageSize), pageSize, allocator);
    for (int i = 0; i < idCount; i++) {
      encoder.writeInt(ids[i]);
    }
    // the encoder's buffers are reused by nothing else: its bytes stay valid until compressed
    return BytesInput.concat(BytesInput.from(new byte[] {(byte) bitWidth}), encoder.toBytes());
  }

  /**
   * Writes the ids of the page being built as plain values; later values are written plain. No
   * value is looked up again, so the lookups go, and the entries too unless earlier pages use them.
   * Kept, they would stay until the row group is written, copied by every young collection while
   * they survive there: for a column of short strings, a page's worth of values as objects of their
   * own takes a few megabytes (a cold compaction of the benchmark's 1,000 files spent about half as
   * long in collections without them).
   */
  private void toPlain() {
    for (int i = 0; i < idCount; i++) {
      writeOutputEntry(ids[i], plainValues);
    }
    idCount = 0;
    plain = true;
    longIds = null;
    binaryIds = null;
    if (lastUsedDictionarySize == 0) {
      longEntries = null;
      binaryEntries = null;
    }
  }

  private void writeOutputEntry(int id, ValuesWriter out) {
    if (binary) {
      out.writeBytes(binaryEntries[id]);
    } else {
      writePlainLong(longEntries[id], out);
    }
  }

  /** Plain encoding is the value's little-endian bits, so the bits are written as they are. */
  private void writePlainLong(long bits, ValuesWriter out) {
    switch (kind) {
      case INT32, FLOAT -> out.writeInteger((int) bits);
      case INT64, DOUBLE -> out.writeLong(bits);
      default -> throw new IllegalStateException("not a numeric column: " + column);
    }
  }

  private BytesInput plainEntries(int count) throws IOException {
    PlainBuffer out = new PlainBuffer(kind == PrimitiveTypeName.BINARY);
    for (int id = 0; id < count; id++) {
      writeOutputEntry(id, out);
    }
    return out.getBytes();
  }

  /** A first buffer slab no larger than the buffer's capacity hint, as Parquet requires. */
  private static int slab(int capacity) {
    return Math.max(1, Math.min(INITIAL_SLAB, capacity));
  }

  /** Reads the next definition level. */
  private interface IntReader {
    int next() throws IOException;
  }

  /** The dictionary of the input chunk being appended, and where its entries went. */
  private final class InputDictionary {
    final Dictionary dictionary;
    final long[] longs;
    final Binary[] binaries;
    final int[] lengths;
    final int[] plainSizes;
    final int[] outIds;
    final int[] stamps;
    final int[] referenced;
    int referencedCount;
    int epoch = 1;

    InputDictionary(DictionaryPage page) {
      try {
        this.dictionary = page.getEncoding().initDictionary(column, page);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the dictionary of " + column, e);
      }
      int size = dictionary.getMaxId() + 1;
      this.outIds = new int[size];
      Arrays.fill(outIds, -1);
      this.stamps = new int[size];
      this.referenced = new int[size];
      this.plainSizes = new int[size];
      if (binary) {
        this.binaries = new Binary[size];
        this.lengths = new int[size];
        this.longs = null;
        for (int id = 0; id < size; id++) {
          binaries[id] = dictionary.decodeToBinary(id);
          lengths[id] = binaries[id].length();
          plainSizes[id] = plainSize(lengths[id]);
        }
      } else {
        this.longs = new long[size];
        this.binaries = null;
        this.lengths = null;
        for (int id = 0; id < size; id++) {
          longs[id] =
              switch (kind) {
                case INT32 -> dictionary.decodeToInt(id);
                case INT64 -> dictionary.decodeToLong(id);
                case FLOAT -> Float.floatToRawIntBits(dictionary.decodeToFloat(id));
                case DOUBLE -> Double.doubleToRawLongBits(dictionary.decodeToDouble(id));
                default -> throw new ColumnTranscoder.CannotTranscode("a dictionary for " + column);
              };
          plainSizes[id] = width();
        }
      }
    }

    /** The output id of entry {@code id}, adding it to the output dictionary when new. */
    int intern(int id) {
      if (binary) {
        Integer known = binaryIds.get(binaries[id]);
        return known != null
            ? known
            : internBinary(Binary.fromConstantByteArray(binaries[id].getBytes()));
      }
      int known = longIds.get(longs[id]);
      return known >= 0 ? known : internLong(longs[id]);
    }

    void writePlain(int id, ValuesWriter out) {
      if (binary) {
        out.writeBytes(binaries[id]);
      } else {
        writePlainLong(longs[id], out);
      }
    }

    void updateStatistics(int id, Statistics<?> stats) {
      switch (kind) {
        case INT32 -> stats.updateStats((int) longs[id]);
        case INT64 -> stats.updateStats(longs[id]);
        case FLOAT -> stats.updateStats(Float.intBitsToFloat((int) longs[id]));
        case DOUBLE -> stats.updateStats(Double.longBitsToDouble(longs[id]));
        default -> stats.updateStats(binaries[id]);
      }
    }
  }

  /**
   * Plain-encoded values in one growable array: numbers as their little-endian bits, byte arrays
   * with their length first when the column is BINARY, and runs of already encoded values as they
   * are.
   */
  private static final class PlainBuffer extends ValuesWriter {
    private static final VarHandle LONGS =
        MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INTS =
        MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private final boolean lengthPrefixed;
    private byte[] bytes = new byte[4096];
    private int size;

    PlainBuffer(boolean lengthPrefixed) {
      this.lengthPrefixed = lengthPrefixed;
    }

    private void ensure(int more) {
      if (size + more > bytes.length) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }

    @Override
    public void writeLong(long value) {
      ensure(8);
      LONGS.set(bytes, size, value);
      size += 8;
    }

    @Override
    public void writeInteger(int value) {
      ensure(4);
      INTS.set(bytes, size, value);
      size += 4;
    }

    @Override
    public void writeDouble(double value) {
      writeLong(Double.doubleToRawLongBits(value));
    }

    @Override
    public void writeFloat(float value) {
      writeInteger(Float.floatToRawIntBits(value));
    }

    @Override
    public void writeBytes(Binary value) {
      int length = value.length();
      if (lengthPrefixed) {
        writeInteger(length);
      }
      ensure(length);
      value.toByteBuffer().get(bytes, size, length);
      size += length;
    }

    /** Appends {@code length} encoded bytes of {@code source} from {@code from}. */
    void append(ByteBuffer source, int from, int length) {
      ensure(length);
      source.get(from, bytes, size, length);
      size += length;
    }

    @Override
    public long getBufferedSize() {
      return size;
    }

    @Override
    public BytesInput getBytes() {
      // valid until the next reset: the page writer compresses it before that
      return BytesInput.from(bytes, 0, size);
    }

    @Override
    public Encoding getEncoding() {
      return Encoding.PLAIN;
    }

    @Override
    public void reset() {
      size = 0;
    }

    @Override
    public long getAllocatedSize() {
      return bytes.length;
    }

    @Override
    public String memUsageString(String prefix) {
      return prefix + " plain " + size + " bytes";
    }
  }

  /** Open addressing from a value's bits to its dictionary id; -1 when absent. */
  private static final class LongIntTable {
    private long[] keys = new long[1024];
    private int[] values = new int[1024];
    private boolean[] used = new boolean[1024];
    private int size;

    int get(long key) {
      int mask = keys.length - 1;
      for (int slot = mix(key) & mask; used[slot]; slot = (slot + 1) & mask) {
        if (keys[slot] == key) {
          return values[slot];
        }
      }
      return -1;
    }

    void put(long key, int value) {
      if ((size + 1) * 2 > keys.length) {
        grow();
      }
      int mask = keys.length - 1;
      int slot = mix(key) & mask;
      while (used[slot]) {
        slot = (slot + 1) & mask;
      }
      used[slot] = true;
      keys[slot] = key;
      values[slot] = value;
      size++;
    }

    private void grow() {
      long[] oldKeys = keys;
      int[] oldValues = values;
      boolean[] oldUsed = used;
      keys = new long[oldKeys.length * 2];
      values = new int[oldKeys.length * 2];
      used = new boolean[oldKeys.length * 2];
      size = 0;
      for (int i = 0; i < oldKeys.length; i++) {
        if (oldUsed[i]) {
          put(oldKeys[i], oldValues[i]);
        }
      }
    }

    /**
     * Spreads every key bit over the low bits the table indexes by: the bits of doubles such as
     * 0.25 steps end in dozens of zeros, which a plain multiply would leave clustered in one run.
     */
    private static int mix(long key) {
      long h = key ^ (key >>> 33);
      h *= 0xFF51AFD7ED558CCDL;
      h ^= h >>> 33;
      h *= 0xC4CEB9FE1A85EC53L;
      return (int) (h ^ (h >>> 33));
    }
  }
}
