package io.floe.quality;

import java.io.DataInputStream;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/** Hashes the key columns of every row (always read); see {@link KeyState}. */
record KeyAnalyzer(List<String> keyColumns) implements Analyzer {
  @Override
  public String key() {
    return "keys(" + String.join(",", keyColumns) + ")";
  }

  @Override
  public List<String> columns() {
    return keyColumns;
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

  @Override
  public Accumulator accumulator(Schema projection) {
    return accumulator(projection, 0);
  }

  @Override
  public Accumulator accumulator(Schema projection, long expectedRows) {
    // a data file's record count is exact (fewer rows only under deletes), so a small file's buffer
    // is not zeroed at several times its size and then copied down to its keys; without an
    // estimate the buffer starts small and grows
    int initial = expectedRows > 0 ? (int) Math.min(expectedRows, 1 << 28) : 1 << 12;
    ColumnHash[] columns = new ColumnHash[keyColumns.size()];
    for (int i = 0; i < columns.length; i++) {
      columns[i] = columnHash(projection, keyColumns.get(i));
    }
    return new Accumulator() {
      long[] hashes = new long[initial];
      int count;

      @Override
      public void add(StructLike row, StructLike raw) {
        if (count == hashes.length) {
          hashes = Arrays.copyOf(hashes, count * 2);
        }
        long h = 17;
        for (ColumnHash column : columns) {
          h = Columns.combine(h, column.hash(row, raw));
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
