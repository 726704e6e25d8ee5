package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * A quantile sketch of a numeric column, or an HLL distinct-count sketch of any column. The
 * quantile key is {@code quantiles(...)}: states stored under the earlier {@code kll(...)}, another
 * library's format, are not read, and the sketch is built from every file once instead.
 */
record SketchAnalyzer(String column, boolean quantiles) implements Analyzer {
  @Override
  public String key() {
    return (quantiles ? "quantiles(" : "hll(") + column + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State empty() {
    return quantiles ? SketchState.quantiles() : SketchState.distinct();
  }

  /**
   * A distinct-count sketch of a string column from its dictionaries: the sketch of a set of values
   * does not depend on how often each occurs, so the dictionaries' values give the same sketch as
   * every row (nulls are not counted either way).
   */
  @Override
  public Optional<State> fromDictionaries(DataFile file, ColumnDictionaries dictionaries)
      throws IOException {
    if (quantiles) {
      return Optional.empty();
    }
    Optional<ColumnDictionaries.Values> values = dictionaries.strings(column);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    SketchState state = SketchState.distinct();
    for (String value : values.get().distinct()) {
      state.addDistinct(Columns.hash(Columns.normalize(value)));
    }
    return Optional.of(state);
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    Columns.Path path = Columns.path(projection, column);
    SketchState state = (SketchState) empty();
    return new Accumulator() {
      @Override
      public void add(StructLike row, StructLike raw) {
        Object value = path.get(row, Object.class);
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
