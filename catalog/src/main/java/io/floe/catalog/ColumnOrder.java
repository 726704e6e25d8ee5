package io.floe.catalog;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.Optional;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * How the values of two columns compare, in Iceberg's internal representation (a date as days, a
 * timestamp as micro- or nanoseconds, a decimal as a {@link BigDecimal}), as SQL engines compare
 * them without a cast: columns of one type in that type's order; numbers by value whatever their
 * types; timestamps by instant whatever their precision, both with or both without a time zone.
 * Anything else (a date with a timestamp, a string with a number) does not compare.
 */
final class ColumnOrder {
  private ColumnOrder() {}

  /** The order of a value of {@code left} against one of {@code right}, if they compare. */
  @SuppressWarnings("unchecked")
  static Optional<Comparator<Object>> of(Type left, Type right) {
    if (!left.isPrimitiveType() || !right.isPrimitiveType()) {
      return Optional.empty();
    }
    if (left.equals(right)) {
      return Optional.of((Comparator<Object>) Comparators.forType(left.asPrimitiveType()));
    }
    if (isNumber(left) && isNumber(right)) {
      if (isFloating(left) || isFloating(right)) {
        // as Iceberg and Spark order doubles: NaN above every number
        return Optional.of(
            (a, b) -> Double.compare(((Number) a).doubleValue(), ((Number) b).doubleValue()));
      }
      return Optional.of((a, b) -> exact(a).compareTo(exact(b)));
    }
    boolean leftNanos = left.typeId() == Type.TypeID.TIMESTAMP_NANO;
    if (isTimestamp(left) && isTimestamp(right) && zoned(left) == zoned(right)) {
      // one is in micro-, the other in nanoseconds
      return Optional.of(
          leftNanos
              ? (a, b) -> -microsAgainstNanos((Long) b, (Long) a)
              : (a, b) -> microsAgainstNanos((Long) a, (Long) b));
    }
    return Optional.empty();
  }

  /** Compares a time in microseconds with one in nanoseconds, without overflowing either. */
  private static int microsAgainstNanos(long micros, long nanos) {
    int byMicros = Long.compare(micros, Math.floorDiv(nanos, 1000L));
    if (byMicros != 0) {
      return byMicros;
    }
    return Math.floorMod(nanos, 1000L) == 0 ? 0 : -1;
  }

  private static BigDecimal exact(Object number) {
    return number instanceof BigDecimal decimal
        ? decimal
        : BigDecimal.valueOf(((Number) number).longValue());
  }

  private static boolean isNumber(Type type) {
    return switch (type.typeId()) {
      case INTEGER, LONG, FLOAT, DOUBLE, DECIMAL -> true;
      default -> false;
    };
  }

  private static boolean isFloating(Type type) {
    return type.typeId() == Type.TypeID.FLOAT || type.typeId() == Type.TypeID.DOUBLE;
  }

  private static boolean isTimestamp(Type type) {
    return type.typeId() == Type.TypeID.TIMESTAMP || type.typeId() == Type.TypeID.TIMESTAMP_NANO;
  }

  private static boolean zoned(Type type) {
    return type instanceof Types.TimestampType micros
        ? micros.shouldAdjustToUTC()
        : ((Types.TimestampNanoType) type).shouldAdjustToUTC();
  }
}
