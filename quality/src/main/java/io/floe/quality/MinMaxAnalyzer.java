package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

/**
 * Smallest and largest non-null value of a column. Exact file bounds answer it; a file whose values
 * are all null has none; otherwise (bounds missing or possibly truncated) the file is read.
 */
record MinMaxAnalyzer(String column, Type.PrimitiveType type) implements Analyzer {
  @Override
  public String key() {
    return "minmax(" + column + ")";
  }

  @Override
  public List<String> columns() {
    return List.of(column);
  }

  @Override
  public State empty() {
    return MinMaxState.empty(type);
  }

  @Override
  public Optional<State> fromMetadata(DataFile file, FileStatistics statistics) {
    Optional<Long> nulls = statistics.nullCount(file, column);
    if (nulls.isPresent() && nulls.get() == file.recordCount()) {
      return Optional.of(MinMaxState.empty(type));
    }
    Optional<Object> lower = statistics.exactLower(file, column);
    Optional<Object> upper = statistics.exactUpper(file, column);
    if (lower.isEmpty() || upper.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new MinMaxState(type, lower.get(), upper.get()));
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    Columns.Path path = Columns.path(projection, column);
    MinMaxState empty = MinMaxState.empty(type);
    Comparator<Object> order = empty.comparator();
    boolean floating = type.typeId() == Type.TypeID.FLOAT || type.typeId() == Type.TypeID.DOUBLE;
    return new Accumulator() {
      Object min;
      Object max;

      @Override
      public void add(StructLike row, StructLike raw) {
        Object value = path.get(row, Object.class);
        if (value == null || (floating && Double.isNaN(((Number) value).doubleValue()))) {
          return;
        }
        if (value instanceof CharSequence text) {
          value = text.toString();
        }
        if (min == null || order.compare(value, min) < 0) {
          min = value;
        }
        if (max == null || order.compare(value, max) > 0) {
          max = value;
        }
      }

      @Override
      public State result() {
        return new MinMaxState(type, min, max);
      }
    };
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    return new MinMaxState(type, readValue(in), readValue(in));
  }

  private Object readValue(DataInputStream in) throws IOException {
    int length = in.readInt();
    if (length < 0) {
      return null;
    }
    byte[] bytes = in.readNBytes(length);
    Object value = Conversions.fromByteBuffer(type, ByteBuffer.wrap(bytes));
    return value instanceof CharSequence text ? text.toString() : value;
  }
}
