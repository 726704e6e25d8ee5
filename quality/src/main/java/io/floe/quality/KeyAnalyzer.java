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

  static long hashRow(StructLike raw, int[] positions) {
    long h = 17;
    for (int position : positions) {
      h = Columns.combine(h, Columns.hash(Columns.normalize(raw.get(position, Object.class))));
    }
    return h;
  }

  static int[] positions(Schema projection, List<String> columns) {
    int[] positions = new int[columns.size()];
    for (int i = 0; i < positions.length; i++) {
      positions[i] = Columns.position(projection, columns.get(i));
    }
    return positions;
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    int[] positions = positions(projection, keyColumns);
    return new Accumulator() {
      long[] hashes = new long[1 << 12];
      int count;

      @Override
      public void add(StructLike row, StructLike raw) {
        if (count == hashes.length) {
          hashes = Arrays.copyOf(hashes, count * 2);
        }
        hashes[count++] = hashRow(row, positions);
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
