package io.floe.quality;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/** Positions of top-level columns in a projection, and value conversions the analyzers share. */
final class Columns {
  private Columns() {}

  static int position(Schema projection, String column) {
    List<Types.NestedField> fields = projection.columns();
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).name().equals(column)) {
        return i;
      }
    }
    throw new IllegalArgumentException("column " + column + " is not in the projection");
  }

  /** Why a check naming {@code column} cannot be evaluated on a snapshot of {@code schema}. */
  static String notInSchema(Schema schema, String column) {
    return notInSchema(schema, column, "the snapshot's schema");
  }

  /** {@link #notInSchema(Schema, String)} of a schema named otherwise, e.g. another table's. */
  static String notInSchema(Schema schema, String column, String schemaName) {
    return "column '%s' is not in %s (columns: %s)"
        .formatted(
            column,
            schemaName,
            String.join(", ", schema.columns().stream().map(Types.NestedField::name).toList()));
  }

  /** A numeric value (internal representation) as a double; null stays null. */
  static Double toDouble(Object value) {
    return value == null ? null : asDouble(value);
  }

  /** A non-null numeric value (internal representation) as a double, unboxed. */
  static double asDouble(Object value) {
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    throw new IllegalArgumentException(
        "a %s value is not numeric".formatted(value.getClass().getSimpleName()));
  }

  /** Whether values of {@code type} are numbers, read and internal alike. */
  static boolean isNumeric(Type type) {
    return switch (type.typeId()) {
      case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL -> true;
      default -> false;
    };
  }

  /**
   * A value normalised so equal keys compare equal across column types (an int 7 and a long 7, a
   * decimal 1.50 and 1.5).
   */
  static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof BigDecimal decimal) {
      return decimal.stripTrailingZeros();
    }
    if (value instanceof CharSequence text) {
      return text.toString();
    }
    if (value instanceof ByteBuffer buffer) {
      return StandardCharsets.ISO_8859_1.decode(buffer.duplicate()).toString();
    }
    return value;
  }

  /** The hash of a null value. */
  static final long NULL_HASH = 0x5bd1e995L;

  /** A well-mixed 64-bit hash of a normalized value. */
  static long hash(Object value) {
    if (value == null) {
      return NULL_HASH;
    }
    if (value instanceof Long l) {
      return mix(l);
    }
    if (value instanceof String s) {
      long h = 0xcbf29ce484222325L;
      for (int i = 0; i < s.length(); i++) {
        h = (h ^ s.charAt(i)) * 0x100000001b3L;
      }
      return mix(h);
    }
    return mix(value.hashCode() * 0x9E3779B97F4A7C15L + value.getClass().hashCode());
  }

  /** {@link #hash} of a long, or of an int normalized to one. */
  static long hashLong(long value) {
    return mix(value);
  }

  static long combine(long h, long next) {
    return mix(h * 31 + next);
  }

  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
