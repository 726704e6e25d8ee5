package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.UUID;
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
    String example = example(type);
    Object low = min.map(text -> read(Suites.MIN, text, type, example)).orElse(null);
    Object high = max.map(text -> read(Suites.MAX, text, type, example)).orElse(null);
    Typed typed = new Typed(type, low, high);
    if (low != null && high != null && typed.order.compare(low, high) > 0) {
      throw new IllegalArgumentException(
          "min %s is above max %s".formatted(typed.show(low), typed.show(high)));
    }
    return typed;
  }

  private static String example(Type.PrimitiveType type) {
    return switch (type.typeId()) {
      case DATE -> "a date such as 2026-01-31";
      case TIME -> "a time such as 08:30:00";
      case TIMESTAMP, TIMESTAMP_NANO ->
          isAdjusted(type)
              ? "a timestamp such as 2026-01-31T08:30:00Z (UTC without an offset) or a date"
              : "a timestamp such as 2026-01-31T08:30:00 (no offset) or a date";
      case STRING -> "a string";
      case UUID -> "a uuid";
      default ->
          throw new IllegalArgumentException(
              "min and max take numeric, date, time, timestamp, string or uuid columns, not %s"
                  .formatted(type));
    };
  }

  private static Object read(String key, String text, Type.PrimitiveType type, String example) {
    try {
      return switch (type.typeId()) {
        case DATE -> (int) LocalDate.parse(text.trim()).toEpochDay();
        case TIME -> LocalTime.parse(text.trim()).toNanoOfDay() / 1_000;
        case TIMESTAMP, TIMESTAMP_NANO -> timestamp(text.trim(), type);
        case UUID -> UUID.fromString(text.trim());
        default -> text;
      };
    } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("%s '%s' is not %s".formatted(key, text, example), e);
    }
  }

  private static long timestamp(String text, Type.PrimitiveType type) {
    String iso = text.length() > 10 && text.charAt(10) == ' ' ? text.replaceFirst(" ", "T") : text;
    Instant instant;
    if (iso.length() == 10) {
      instant = LocalDate.parse(iso).atStartOfDay(ZoneOffset.UTC).toInstant();
    } else if (hasOffset(iso)) {
      if (!isAdjusted(type)) {
        throw new IllegalArgumentException("a timestamp without time zone has no offset");
      }
      instant = OffsetDateTime.parse(iso).toInstant();
    } else {
      instant = LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC);
    }
    ChronoUnit unit =
        type.typeId() == Type.TypeID.TIMESTAMP_NANO ? ChronoUnit.NANOS : ChronoUnit.MICROS;
    return unit.between(Instant.EPOCH, instant);
  }

  private static boolean hasOffset(String iso) {
    int time = iso.indexOf('T');
    return time > 0
        && (iso.endsWith("Z") || iso.indexOf('+', time) > 0 || iso.indexOf('-', time) > 0);
  }

  private static boolean isAdjusted(Type.PrimitiveType type) {
    return switch (type.typeId()) {
      case TIMESTAMP -> ((org.apache.iceberg.types.Types.TimestampType) type).shouldAdjustToUTC();
      case TIMESTAMP_NANO ->
          ((org.apache.iceberg.types.Types.TimestampNanoType) type).shouldAdjustToUTC();
      default -> false;
    };
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
      boolean nanos = type.typeId() == Type.TypeID.TIMESTAMP_NANO;
      return switch (type.typeId()) {
        case DATE -> LocalDate.ofEpochDay((Integer) value).toString();
        case TIME -> LocalTime.ofNanoOfDay((Long) value * 1_000).toString();
        case TIMESTAMP, TIMESTAMP_NANO -> {
          Instant instant =
              nanos
                  ? Instant.EPOCH.plusNanos((Long) value)
                  : Instant.EPOCH.plus((Long) value, ChronoUnit.MICROS);
          yield isAdjusted(type)
              ? instant.toString()
              : LocalDateTime.ofInstant(instant, ZoneOffset.UTC).toString();
        }
        case STRING -> "'" + value + "'";
        default -> value.toString();
      };
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
