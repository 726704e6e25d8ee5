package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalDouble;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Type;

/**
 * The bounds of a {@code min} or {@code max} check as written in the suite, for a column that is
 * not numeric: a date ({@code 2020-01-01}), a time, a timestamp ({@code 2020-01-01T08:00:00Z}; a
 * timestamp with a time zone reads one without an offset as UTC) or a string. They are read in the
 * column's type when the check is planned, since only the snapshot's schema says what that is.
 */
record ValueRange(Optional<String> min, Optional<String> max) {
  static final ValueRange NONE = new ValueRange(Optional.empty(), Optional.empty());

  ValueRange {
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
  }

  /**
   * These bounds as values of {@code type}, in Iceberg's internal representation (days for a date,
   * microseconds or nanoseconds for a time or a timestamp).
   *
   * @throws IllegalArgumentException naming the bound that does not read as a {@code type}, or when
   *     min is above max
   */
  Typed in(Type.PrimitiveType type) {
    switch (type.typeId()) {
      case DATE, TIME, TIMESTAMP, TIMESTAMP_NANO, STRING, UUID -> {}
      default ->
          throw new IllegalArgumentException(
              "min and max take numeric, date, time, timestamp, string or uuid columns, not "
                  + type);
    }
    Object low = min.map(text -> read(Suites.MIN, text, type)).orElse(null);
    Object high = max.map(text -> read(Suites.MAX, text, type)).orElse(null);
    Typed typed = new Typed(type, low, high);
    if (low != null && high != null && typed.order.compare(low, high) > 0) {
      throw new IllegalArgumentException(
          "min %s is above max %s".formatted(typed.show(low), typed.show(high)));
    }
    return typed;
  }

  private static Object read(String key, String text, Type.PrimitiveType type) {
    try {
      return SuiteValues.parse(text, type);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(key + " " + e.getMessage(), e);
    }
  }

  /** Bounds read in a column's type: what a value is held to, and how it is shown. */
  static final class Typed {
    private final Type.PrimitiveType type;
    private final Object min;
    private final Object max;
    private final Comparator<Object> order;

    @SuppressWarnings("unchecked")
    private Typed(Type.PrimitiveType type, Object min, Object max) {
      this.type = type;
      this.min = min;
      this.max = max;
      this.order = (Comparator<Object>) Comparators.forType(type);
    }

    boolean contains(Object value) {
      return (min == null || order.compare(value, min) >= 0)
          && (max == null || order.compare(value, max) <= 0);
    }

    /**
     * A value as the metric history holds it: days since 1970-01-01 for a date, microseconds (or
     * nanoseconds) since the epoch or midnight for a timestamp or a time; none for a string or
     * uuid.
     */
    OptionalDouble metric(Object value) {
      return value instanceof Number number
          ? OptionalDouble.of(number.doubleValue())
          : OptionalDouble.empty();
    }

    /** A value for people: {@code 2026-01-31}, {@code 2026-01-31T08:30:00Z}, {@code 'paid'}. */
    String show(Object value) {
      return SuiteValues.show(value, type);
    }

    /** E.g. {@code [2020-01-01, 2026-12-31]}, {@code <= 2026-12-31}, {@code >= 'a'}. */
    @Override
    public String toString() {
      if (min == null && max == null) {
        return "any";
      }
      if (min == null) {
        return "<= " + show(max);
      }
      if (max == null) {
        return ">= " + show(min);
      }
      return "[%s, %s]".formatted(show(min), show(max));
    }
  }
}
