package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/** Counts rows and nulls of one column; a file's null-value count answers it exactly. */
record NullCountAnalyzer(String column) implements Analyzer {
  @Override
  public String key() {
    return "nulls(" + column + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State empty() {
    return CountState.EMPTY;
  }

  @Override
  public Optional<State> fromMetadata(DataFile file, FileStatistics statistics) {
    return statistics
        .nullCount(file, column)
        .map(nulls -> (State) new CountState(file.recordCount(), nulls));
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    Columns.Path path = Columns.path(projection, column);
    return new Accumulator() {
      long rows;
      long nulls;

      @Override
      public void add(StructLike row, StructLike raw) {
        rows++;
        if (path.get(raw, Object.class) == null) {
          nulls++;
        }
      }

      @Override
      public State result() {
        return new CountState(rows, nulls);
      }
    };
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    return new CountState(in.readLong(), in.readLong());
  }
}
