package io.floe.quality;

import java.io.DataInputStream;
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
      final LongHashSet keys = new LongHashSet(1 << 16);
      final LongHashSet repeated = new LongHashSet(16);

      @Override
      public void add(StructLike row, StructLike raw) {
        long h = hashRow(row, positions);
        if (!keys.add(h)) {
          repeated.add(h);
        }
      }

      @Override
      public State result() {
        return new KeyState(keys, repeated);
      }
    };
  }

  @Override
  public State read(DataInputStream in) {
    throw new UnsupportedOperationException("key sets are not stored");
  }
}
