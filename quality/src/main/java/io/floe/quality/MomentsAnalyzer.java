package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/** Count, sum, mean and variance of a numeric column's non-null values (always read). */
record MomentsAnalyzer(String column) implements Analyzer {
  @Override
  public String key() {
    return "moments(" + column + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State empty() {
    return MomentsState.EMPTY;
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    Columns.Path path = Columns.path(projection, column);
    // a number's value as read is its internal one: read it without the internal wrapper's
    // per-value conversion lookup; dates, times and timestamps count in their internal units
    boolean asRead = Columns.isNumeric(projection.findType(column));
    return new Accumulator() {
      long count;
      double sum;
      double mean;
      double m2;

      @Override
      public void add(StructLike row, StructLike raw) {
        Object read = path.get(asRead ? raw : row, Object.class);
        if (read == null) {
          return;
        }
        double value = Columns.asDouble(read);
        if (Double.isNaN(value)) {
          return;
        }
        count++;
        sum += value;
        double delta = value - mean;
        mean += delta / count;
        m2 += delta * (value - mean);
      }

      @Override
      public State result() {
        return new MomentsState(count, sum, mean, m2);
      }
    };
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    return new MomentsState(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble());
  }
}
