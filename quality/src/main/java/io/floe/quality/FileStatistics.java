package io.floe.quality;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.MetricsModes;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Reads a data file's manifest statistics and says when they are exact. Bounds of strings and
 * binaries may be truncated (Iceberg's default keeps 16 characters), so a lower bound counts only
 * when shorter than the truncation length and an upper bound only when the column keeps full
 * bounds; numeric, date and timestamp bounds are exact whenever present, but for an infinite
 * floating-point bound of a file without a NaN count, which may stand for a NaN.
 */
final class FileStatistics {
  private final Schema schema;
  private final MetricsConfig metricsConfig;

  FileStatistics(Schema schema, MetricsConfig metricsConfig) {
    this.schema = schema;
    this.metricsConfig = metricsConfig;
  }

  Schema schema() {
    return schema;
  }

  /**
   * The column's null count, or empty when missing. A field of a struct is null where the struct
   * is, but ORC's statistics count only its own nulls (a child's count covers the rows under a null
   * struct only once the child itself holds a null): its count is taken only when its value count
   * (values and nulls) covers every row of the file.
   */
  Optional<Long> nullCount(DataFile file, String column) {
    Types.NestedField field = schema.findField(column);
    if (field == null) {
      return Optional.empty();
    }
    if (schema.asStruct().field(field.fieldId()) == null
        && !value(file.valueCounts(), field.fieldId())
            .map(values -> values == file.recordCount())
            .orElse(false)) {
      return Optional.empty();
    }
    return value(file.nullValueCounts(), field.fieldId());
  }

  /** Exact lower bound, or empty when missing or possibly truncated. */
  Optional<Object> exactLower(DataFile file, String column) {
    return bound(file, file.lowerBounds(), column, true);
  }

  /** Exact upper bound, or empty when missing or possibly truncated. */
  Optional<Object> exactUpper(DataFile file, String column) {
    return bound(file, file.upperBounds(), column, false);
  }

  /** A bound even if truncated: still a valid lower/upper limit, good for pruning only. */
  Optional<Object> anyBound(DataFile file, String column, boolean lower) {
    Types.NestedField field = schema.findField(column);
    if (field == null || !field.type().isPrimitiveType()) {
      return Optional.empty();
    }
    Map<Integer, ByteBuffer> bounds = lower ? file.lowerBounds() : file.upperBounds();
    if (bounds == null || bounds.get(field.fieldId()) == null) {
      return Optional.empty();
    }
    return Optional.of(Conversions.fromByteBuffer(field.type(), bounds.get(field.fieldId())));
  }

  private Optional<Object> bound(
      DataFile file, Map<Integer, ByteBuffer> bounds, String column, boolean lower) {
    Types.NestedField field = schema.findField(column);
    if (field == null || !field.type().isPrimitiveType() || bounds == null) {
      return Optional.empty();
    }
    ByteBuffer buffer = bounds.get(field.fieldId());
    if (buffer == null) {
      return Optional.empty();
    }
    Object value = Conversions.fromByteBuffer(field.type(), buffer);
    if (value instanceof Double || value instanceof Float) {
      // ORC statistics count NaN as a value and Iceberg turns it into an infinite bound, unless
      // Iceberg wrote the file and kept its own bounds and NaN count; without that count an
      // infinite bound may stand for a NaN, which is no value
      double number = ((Number) value).doubleValue();
      if (Double.isInfinite(number)
          && (file.nanValueCounts() == null
              || !file.nanValueCounts().containsKey(field.fieldId()))) {
        return Optional.empty();
      }
    }
    if (truncatable(field.type())) {
      MetricsModes.MetricsMode mode = metricsConfig.columnMode(column);
      if (mode instanceof MetricsModes.Truncate truncate) {
        if (!lower || length(value) >= truncate.length()) {
          return Optional.empty();
        }
      } else if (!(mode instanceof MetricsModes.Full)) {
        return Optional.empty();
      }
      if (value instanceof CharSequence text) {
        value = text.toString();
      }
    }
    return Optional.of(value);
  }

  private static boolean truncatable(Type type) {
    return switch (type.typeId()) {
      case STRING, BINARY, FIXED -> true;
      default -> false;
    };
  }

  private static int length(Object value) {
    if (value instanceof CharSequence text) {
      return text.toString().codePointCount(0, text.length());
    }
    return ((ByteBuffer) value).remaining();
  }

  private static Optional<Long> value(Map<Integer, Long> counts, int fieldId) {
    return counts == null ? Optional.empty() : Optional.ofNullable(counts.get(fieldId));
  }
}
