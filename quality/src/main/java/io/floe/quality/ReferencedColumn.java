package io.floe.quality;

import io.floe.catalog.ManifestScan;
import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The published values of the column a {@code references} check looks values up in, read once the
 * evaluation knows which rows it checks.
 *
 * <p>When those rows are few against the referenced table, as the 1% an incremental check reads
 * usually are, only the values they hold are looked for ({@link #readFor}): the referenced files
 * whose bounds cannot hold any of them are skipped, and only the values found are kept, so the set
 * is the size of the checked rows' values, not of a whole dimension. Otherwise every value is read
 * ({@link #readAll}). Either way the referenced files are read in parallel.
 *
 * <p>Values that would not fit in memory at once are read in slices of the value space ({@link
 * #slice}), one pass each: a pass keeps, and {@link #allows} tests, only the values of its slice,
 * and lets every other value through, which another pass tests. Equal values lie in one slice.
 */
final class ReferencedColumn {
  private static final Logger LOG = LoggerFactory.getLogger(ReferencedColumn.class);

  /**
   * Only the checked rows' own values are looked for when the referenced table holds at least this
   * many times as many rows: collecting them costs one more read of the checked column.
   */
  static final int LOOKUP_RATIO = 2;

  /** About the bytes a checked row's value takes in the set of values looked up. */
  static final int BYTES_PER_WANTED = 96;

  /** Values handed to the shared set at a time, so readers rarely wait for each other. */
  private static final int BATCH = 4096;

  private final Table table;
  private final long snapshotId;
  private final String column;
  private final ExecutorService pool;
  private List<FileScanTask> tasks;
  private Schema projection;
  private volatile ReferencedValues values;
  private int slice;
  private int slices = 1;

  ReferencedColumn(Table table, long snapshotId, String column, ExecutorService pool) {
    this.table = table;
    this.snapshotId = snapshotId;
    this.column = column;
    this.pool = pool;
  }

  /** The rows of the referenced snapshot's files, deleted ones included: what a full read costs. */
  long rows() {
    return tasks().stream().mapToLong(task -> task.file().recordCount()).sum();
  }

  /** Whether the checked rows' own values are worth collecting before reading. */
  boolean worthLookingUp(long checkedRows) {
    return checkedRows * LOOKUP_RATIO <= rows();
  }

  boolean isRead() {
    return values != null;
  }

  /**
   * About the bytes each value kept takes: an unboxed 64-bit slot of a half-full set (and its copy
   * while the set grows) for integer-valued columns, an object in a hash set for others.
   */
  long bytesPerValue() {
    tasks();
    return normalizesToLong(projection.findField(column).type()) ? 32 : 128;
  }

  /** Whether {@link Columns#normalize} makes every value of {@code type} a 64-bit integer. */
  private static boolean normalizesToLong(Type type) {
    return switch (type.typeId()) {
      case INTEGER, LONG, DATE, TIME, TIMESTAMP, TIMESTAMP_NANO -> true;
      default -> false;
    };
  }

  /**
   * Keeps, from the next read on, only the values of {@code slice} of {@code slices} (a power of
   * two) of the value space; drops the values read so far.
   */
  void slice(int slice, int slices) {
    if (Integer.bitCount(slices) != 1 || slice < 0 || slice >= slices) {
      throw new IllegalArgumentException("slice %d of %d".formatted(slice, slices));
    }
    this.slice = slice;
    this.slices = slices;
    this.values = null;
  }

  /** Into how many slices the values are read: 1 when they fit at once. */
  int slices() {
    return slices;
  }

  /** Whether the normalized {@code value} lies in the slice read now. */
  boolean inSlice(Object value) {
    return slices == 1 || sliceOf(value, slices) == slice;
  }

  /**
   * The slice of a normalized value among {@code slices}, as uniqueness slices its keys: from the
   * value's {@link Columns#hash}, which shares no bits with the slots of {@link LongHashSet}, so
   * one slice's values still spread over all of a set's slots.
   */
  static int sliceOf(Object value, int slices) {
    return KeyAnalyzer.sliceOf(Columns.hash(value), slices);
  }

  /** Reads every value of the column in the slice read now. */
  void readAll() {
    values = read(tasks(), null);
  }

  /**
   * Reads those of {@code wanted} (normalized values of the slice read now) that the column holds,
   * from the files whose bounds could hold one of them. {@link #allows} is then false for any value
   * of the slice not wanted.
   */
  void readFor(Set<Object> wanted) {
    List<FileScanTask> all = tasks();
    Predicate<DataFile> mayHold = mayHoldAnyOf(wanted);
    List<FileScanTask> reading = all.stream().filter(task -> mayHold.test(task.file())).toList();
    LOG.debug(
        "looking up {} values of {} in {} of its {} files",
        wanted.size(),
        column,
        reading.size(),
        all.size());
    values = read(reading, wanted);
  }

  /**
   * Whether the normalized {@code value} passes: the column holds it, or it lies outside the slice
   * read now (a pass over its own slice tests it).
   */
  boolean allows(Object value) {
    ReferencedValues read = values;
    if (read == null) {
      throw new IllegalStateException("the values of " + column + " were not read");
    }
    return !inSlice(value) || read.contains(value);
  }

  private List<FileScanTask> tasks() {
    if (tasks == null) {
      tasks =
          ManifestScan.tasks(
              table, table.snapshot(snapshotId), Expressions.alwaysTrue(), List.of(column), pool);
      projection = SnapshotUtil.schemaFor(table, snapshotId).select(column);
    }
    return tasks;
  }

  private ReferencedValues read(List<FileScanTask> reading, Set<Object> wanted) {
    ReferencedValues read = new ReferencedValues();
    List<Future<?>> futures = new ArrayList<>();
    for (FileScanTask task : reading) {
      futures.add(pool.submit(() -> readFile(task, wanted, read)));
    }
    futures.forEach(EvaluationThreads::await);
    return read;
  }

  private void readFile(FileScanTask task, Set<Object> wanted, ReferencedValues into) {
    List<Object> batch = new ArrayList<>(BATCH);
    try (CloseableIterable<Record> rows = RecordFiles.taskRows(table, task, projection)) {
      InternalRecordWrapper wrapper = null;
      Columns.Path path = null;
      for (Record row : rows) {
        if (wrapper == null) {
          // rows with deletes applied may hold more columns than the projection
          wrapper = new InternalRecordWrapper(row.struct());
          path = Columns.path(new Schema(row.struct().fields()), column);
        }
        Object value = path.get(wrapper.wrap(row), Object.class);
        if (value == null) {
          continue;
        }
        Object normalized = Columns.normalize(value);
        if (wanted == null ? inSlice(normalized) : wanted.contains(normalized)) {
          batch.add(normalized);
          if (batch.size() == BATCH) {
            addAll(into, batch);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    addAll(into, batch);
  }

  private static void addAll(ReferencedValues into, List<Object> batch) {
    synchronized (into) {
      batch.forEach(into::add);
    }
    batch.clear();
  }

  /**
   * Whether a file's bounds on the column could hold one of {@code wanted}. Bounds are compared for
   * integer-valued columns (ints, longs, dates, times, timestamps, all normalized to longs) and
   * strings, as Iceberg orders them; truncated string bounds still bound. A file without bounds, or
   * of another type, could hold any.
   */
  private Predicate<DataFile> mayHoldAnyOf(Set<Object> wanted) {
    Types.NestedField field = projection.findField(column);
    Type type = field.type();
    Comparator<Object> order =
        normalizesToLong(type)
            ? Comparator.comparingLong(Long.class::cast)
            : type.typeId() == Type.TypeID.STRING
                ? (a, b) -> Comparators.charSequences().compare((String) a, (String) b)
                : null;
    if (order == null) {
      return file -> true;
    }
    // the normalized class of the column's values: any other wanted value it cannot hold
    Class<?> normalized = type.typeId() == Type.TypeID.STRING ? String.class : Long.class;
    List<Object> sorted = wanted.stream().filter(normalized::isInstance).sorted(order).toList();
    return file -> {
      ByteBuffer lower =
          file.lowerBounds() == null ? null : file.lowerBounds().get(field.fieldId());
      ByteBuffer upper =
          file.upperBounds() == null ? null : file.upperBounds().get(field.fieldId());
      if (lower == null || upper == null) {
        return true;
      }
      Object low = Columns.normalize(Conversions.fromByteBuffer(type, lower));
      Object high = Columns.normalize(Conversions.fromByteBuffer(type, upper));
      // the least wanted value at or above the lower bound, if any, must not pass the upper one
      int at = Collections.binarySearch(sorted, low, order);
      int first = at >= 0 ? at : -at - 1;
      return first < sorted.size() && order.compare(sorted.get(first), high) <= 0;
    };
  }
}
