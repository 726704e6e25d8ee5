package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * Hashes the key columns of every row (always read); see {@link KeyState}. A table whose hashes
 * would not fit in memory at once is checked in {@code slices} passes, each keeping only the hashes
 * of its {@code slice} of the hash space: equal keys hash alike, so each pass finds exactly the
 * duplicates of its slice. With {@code where}, only the keys of the rows that meet it are hashed:
 * every read of keys, to hash or to confirm them, tests the rows against it.
 */
record KeyAnalyzer(List<String> keyColumns, int slice, int slices, Optional<RowFilter> where)
    implements Analyzer {
  KeyAnalyzer {
    if (Integer.bitCount(slices) != 1 || slice < 0 || slice >= slices) {
      throw new IllegalArgumentException("slice %d of %d".formatted(slice, slices));
    }
  }

  KeyAnalyzer(List<String> keyColumns) {
    this(keyColumns, Optional.empty());
  }

  KeyAnalyzer(List<String> keyColumns, Optional<RowFilter> where) {
    this(keyColumns, 0, 1, where);
  }

  /** The same keys, keeping only the hashes of {@code slice} of {@code slices}. */
  KeyAnalyzer slice(int slice, int slices) {
    return new KeyAnalyzer(keyColumns, slice, slices, where);
  }

  /** The count of duplicate rows this analyzer's check finds, kept with a snapshot's states. */
  Analyzer duplicateRows() {
    return new DuplicateRows(keyColumns, where);
  }

  /** Which rows read with {@code projection} (holding {@link #columns}) have their keys checked. */
  Predicate<StructLike> rows(Schema projection) {
    return where.map(w -> w.on(projection)).orElse(row -> true);
  }

  /** The key columns, then those of the condition. */
  private static List<String> readColumns(List<String> keyColumns, Optional<RowFilter> where) {
    if (where.isEmpty()) {
      return keyColumns;
    }
    List<String> read = new ArrayList<>(keyColumns);
    where.get().columns().stream().filter(c -> !read.contains(c)).forEach(read::add);
    return List.copyOf(read);
  }

  private static String keyed(String key, Optional<RowFilter> where) {
    return where.map(w -> FilteredAnalyzer.key(key, w)).orElse(key);
  }

  /**
   * The duplicate rows a uniqueness check found in a snapshot, stored with its states and never
   * scanned: a later incremental check merges from that snapshot only where it found none.
   */
  record DuplicateRows(List<String> keyColumns, Optional<RowFilter> where) implements Analyzer {
    @Override
    public String key() {
      return keyed("duplicate_rows(" + String.join(",", keyColumns) + ")", where);
    }

    @Override
    public List<String> columns() {
      return readColumns(keyColumns, where);
    }

    @Override
    public State empty() {
      return CountState.EMPTY;
    }

    @Override
    public Accumulator accumulator(Schema projection) {
      throw new UnsupportedOperationException("duplicate rows are counted by confirming keys");
    }

    @Override
    public State read(DataInputStream in) throws IOException {
      return new CountState(in.readLong(), in.readLong());
    }
  }

  /** Whether {@code hash} lies in this analyzer's slice. */
  boolean holds(long hash) {
    return sliceOf(hash, slices) == slice;
  }

  /**
   * The slice of {@code hash} among {@code slices} (a power of two), from bits that neither the
   * fold's buckets (the top bits) nor a confirmation's groups ({@link #groupOf}) use.
   */
  static int sliceOf(long hash, int slices) {
    return (int) (hash >>> 20) & (slices - 1);
  }

  /** The group of {@code hash} among {@code groups} (a power of two) when confirming candidates. */
  static int groupOf(long hash, int groups) {
    return (int) (hash >>> 36) & (groups - 1);
  }

  @Override
  public String key() {
    return keyed("keys(" + String.join(",", keyColumns) + ")", where);
  }

  @Override
  public List<String> columns() {
    return readColumns(keyColumns, where);
  }

  @Override
  public State empty() {
    return KeyState.empty();
  }

  @Override
  public boolean storable() {
    return false;
  }

  static Columns.Path[] paths(Schema projection, List<String> columns) {
    Columns.Path[] paths = new Columns.Path[columns.size()];
    for (int i = 0; i < paths.length; i++) {
      paths[i] = Columns.path(projection, columns.get(i));
    }
    return paths;
  }

  /**
   * Hashes one key column of a row, its internal representation normalized ({@link
   * Columns#normalize}); {@code raw} is the same row as read.
   */
  interface ColumnHash {
    long hash(StructLike row, StructLike raw);
  }

  /**
   * A hash of one column specialised to its type where that is cheap, so the common long and int
   * keys skip the generic normalize-and-dispatch; equal to the generic hash for every value. Those
   * two are read from the row as read, which holds them as they are held internally, without the
   * internal wrapper's per-value conversion lookup.
   */
  static ColumnHash columnHash(Schema projection, String column) {
    Columns.Path path = Columns.path(projection, column);
    return switch (path.type().typeId()) {
      case LONG ->
          (row, raw) -> {
            Long value = path.get(raw, Long.class);
            return value == null ? Columns.NULL_HASH : Columns.hashLong(value);
          };
      case INTEGER ->
          (row, raw) -> {
            Integer value = path.get(raw, Integer.class);
            return value == null ? Columns.NULL_HASH : Columns.hashLong(value.longValue());
          };
      default -> (row, raw) -> Columns.hash(Columns.normalize(path.get(row, Object.class)));
    };
  }

  /** The hash of each of {@code columns} of {@code projection}, for {@link #hash}. */
  static ColumnHash[] columnHashes(Schema projection, List<String> columns) {
    ColumnHash[] hashes = new ColumnHash[columns.size()];
    for (int i = 0; i < hashes.length; i++) {
      hashes[i] = columnHash(projection, columns.get(i));
    }
    return hashes;
  }

  /** The hash of a row's key: its columns' hashes combined in order. */
  static long hash(ColumnHash[] columns, StructLike row, StructLike raw) {
    long h = 17;
    for (ColumnHash column : columns) {
      h = Columns.combine(h, column.hash(row, raw));
    }
    return h;
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    return accumulator(projection, 0);
  }

  @Override
  public Accumulator accumulator(Schema projection, long expectedRows) {
    // a data file's record count is exact (fewer rows only under deletes), so a small file's buffer
    // is not zeroed at several times its size and then copied down to its keys; without an
    // estimate the buffer starts small and grows
    // (a slice's share of them, and a little more: the hashes spread evenly over the slices)
    long expected =
        slices == 1 ? expectedRows : expectedRows / slices + expectedRows / slices / 16 + 16;
    int initial = expectedRows > 0 ? (int) Math.min(expected, 1 << 28) : 1 << 12;
    ColumnHash[] columns = columnHashes(projection, keyColumns);
    Predicate<StructLike> checked = where.isEmpty() ? null : rows(projection);
    return new Accumulator() {
      long[] hashes = new long[initial];
      int count;

      @Override
      public void add(StructLike row, StructLike raw) {
        if (checked != null && !checked.test(row)) {
          return;
        }
        long h = hash(columns, row, raw);
        if (slices > 1 && !holds(h)) {
          return;
        }
        if (count == hashes.length) {
          hashes = Arrays.copyOf(hashes, count * 2);
        }
        hashes[count++] = h;
      }

      @Override
      public State result() {
        return KeyState.of(hashes, count);
      }
    };
  }

  @Override
  public State read(DataInputStream in) {
    throw new UnsupportedOperationException("key sets are not stored");
  }
}
