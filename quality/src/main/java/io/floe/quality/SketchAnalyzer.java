package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/** A KLL quantile sketch of a numeric column, or an HLL distinct-count sketch of any column. */
record SketchAnalyzer(String column, boolean quantiles) implements Analyzer {
  @Override
  public String key() {
    return (quantiles ? "kll(" : "hll(") + column + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State empty() {
    return quantiles ? SketchState.quantiles() : SketchState.distinct();
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    int position = Columns.position(projection, column);
    SketchState state = (SketchState) empty();
    return new Accumulator() {
      @Override
      public void add(StructLike row, StructLike raw) {
        Object value = row.get(position, Object.class);
        if (value == null) {
          return;
        }
        if (quantiles) {
          double number = Columns.toDouble(value);
          if (!Double.isNaN(number)) {
            state.add(number);
          }
        } else {
          state.addDistinct(Columns.hash(Columns.normalize(value)));
        }
      }

      @Override
      public State result() {
        return state;
      }
    };
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    boolean isQuantiles = in.readBoolean();
    byte[] bytes = in.readNBytes(in.readInt());
    return SketchState.read(isQuantiles, bytes);
  }
}
