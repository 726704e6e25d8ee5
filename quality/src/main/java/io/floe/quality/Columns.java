package io.floe.quality;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;

/**
 * Where columns are in a projected row (top-level columns and fields of structs), and value
 * conversions the analyzers share.
 */
final class Columns {
  private Columns() {}

  /**
   * Where {@code column} is in rows of {@code projection}: a top-level column, or a field of a
   * struct named by its dotted path ({@code address.city}).
   *
   * @throws IllegalArgumentException when the projection has no such column, or it is inside a list
   *     or a map, where a row holds any number of values of it
   */
  static Path path(Schema projection, String column) {
    Types.NestedField field = projection.findField(column);
    if (field == null) {
      throw new IllegalArgumentException("column " + column + " is not in the projection");
    }
    Map<Integer, Integer> parents = TypeUtil.indexParents(projection.asStruct());
    List<Integer> ids = new ArrayList<>();
    for (Integer id = field.fieldId(); id != null; id = parents.get(id)) {
      ids.add(0, id);
    }
    int[] positions = new int[ids.size()];
    Types.StructType struct = projection.asStruct();
    for (int i = 0; i < positions.length; i++) {
      if (struct == null) {
        throw new IllegalArgumentException(insideCollection(column));
      }
      positions[i] = struct.fields().indexOf(struct.field(ids.get(i)));
      Type type = struct.fields().get(positions[i]).type();
      struct = type.isStructType() ? type.asStructType() : null;
    }
    return new Path(positions, field.type());
  }

  private static String insideCollection(String column) {
    return "column '%s' is inside a list or a map; checks take top-level columns and fields of structs"
        .formatted(column);
  }

  /**
   * A column's place in a projected row: its position, and for a field of a struct the positions of
   * the structs above it. A field under a null struct reads as null.
   */
  static final class Path {
    private final int[] positions;
    private final int last;
    private final int position;
    private final Type type;

    private Path(int[] positions, Type type) {
      this.positions = positions;
      this.last = positions.length - 1;
      this.position = positions[last];
      this.type = type;
    }

    Type type() {
      return type;
    }

    /**
     * Kept small, so the compiler inlines it into every per-row loop: most columns are top-level.
     */
    <T> T get(StructLike row, Class<T> javaClass) {
      return last == 0 ? row.get(position, javaClass) : nested(row, javaClass);
    }

    private <T> T nested(StructLike row, Class<T> javaClass) {
      StructLike struct = row;
      for (int i = 0; i < last; i++) {
        struct = struct.get(positions[i], StructLike.class);
        if (struct == null) {
          return null;
        }
      }
      return struct.get(position, javaClass);
    }
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
   * float 1.5 and a double 1.5, a decimal 1.50 and 1.5).
   */
  static Object normalize(Object value) {
    if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return ((Number) value).longValue();
    }
    if (value instanceof Float || value instanceof Double) {
      // a float column promoted to double reads its older files' values as the same doubles;
      // -0.0 equals 0.0 as SQL compares them
      double number = ((Number) value).doubleValue();
      return number == 0.0 ? 0.0 : number;
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

  /**
   * A well-mixed 64-bit hash of a normalized value, the same in every JVM: the distinct-count
   * sketches built from it are stored and merged by later evaluations in other processes.
   */
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
    if (value instanceof Double d) {
      return mix(Double.doubleToLongBits(d) ^ 0x3c6ef372fe94f82bL);
    }
    // decimals, booleans, UUIDs: value hashes Java specifies, tagged by type name, as a class's
    // own hash code differs from one JVM to the next
    return mix(value.hashCode() * 0x9E3779B97F4A7C15L + value.getClass().getName().hashCode());
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
