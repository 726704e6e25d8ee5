package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * Counts rows; a data file's record count answers it exactly, less the rows its deletion vector
 * deletes.
 */
final class RowCountAnalyzer implements Analyzer {
  @Override
  public String key() {
    return "row_count";
  }

  @Override
  public List<String> columns() {
    return List.of();
  }

  @Override
  public State empty() {
    return CountState.EMPTY;
  }

  @Override
  public Optional<State> fromMetadata(DataFile file, FileStatistics statistics) {
    return liveFromMetadata(file, 0);
  }

  @Override
  public Optional<State> liveFromMetadata(DataFile file, long deletedRows) {
    return Optional.of(new CountState(file.recordCount() - deletedRows, 0));
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    return new Accumulator() {
      long rows;

      @Override
      public void add(StructLike row, StructLike raw) {
        rows++;
      }

      @Override
      public State result() {
        return new CountState(rows, 0);
      }
    };
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    return new CountState(in.readLong(), in.readLong());
  }
}
