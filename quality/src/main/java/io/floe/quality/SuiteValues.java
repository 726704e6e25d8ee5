package io.floe.quality;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.UUID;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * Values written in a suite ({@code 2026-01-31}, {@code 12.50}, {@code paid}) read as values of a
 * column's type, in Iceberg's internal representation (days for a date, micro- or nanoseconds for a
 * time or a timestamp, a scaled {@link BigDecimal} for a decimal), and shown back the same way.
 */
final class SuiteValues {
  private SuiteValues() {}

  /**
   * {@code text} as a value of {@code type}. A timestamp may be a date (its midnight) and takes a
   * space for the {@code T}; one with a time zone reads a value without an offset as UTC.
   *
   * @throws IllegalArgumentException saying what {@code text} is not, e.g. {@code '2026-13-01' is
   *     not a date such as 2026-01-31}
   */
  static Object parse(String text, Type.PrimitiveType type) {
    String example = example(type);
    String trimmed = text.trim();
    try {
      return switch (type.typeId()) {
        case BOOLEAN -> {
          if (!trimmed.equalsIgnoreCase("true") && !trimmed.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException();
          }
          yield Boolean.parseBoolean(trimmed);
        }
        case INTEGER -> Integer.parseInt(trimmed);
        case LONG -> Long.parseLong(trimmed);
        case FLOAT -> Float.parseFloat(trimmed);
        case DOUBLE -> Double.parseDouble(trimmed);
        case DECIMAL -> decimal(trimmed, (Types.DecimalType) type);
        case DATE -> (int) LocalDate.parse(trimmed).toEpochDay();
        case TIME -> LocalTime.parse(trimmed).toNanoOfDay() / 1_000;
        case TIMESTAMP, TIMESTAMP_NANO -> timestamp(trimmed, type);
        case UUID -> UUID.fromString(trimmed);
        default -> text;
      };
    } catch (DateTimeParseException | IllegalArgumentException | ArithmeticException e) {
      throw new IllegalArgumentException("'%s' is not %s".formatted(text, example), e);
    }
  }

  /** What a value of {@code type} is written like, for messages. */
  static String example(Type.PrimitiveType type) {
    return switch (type.typeId()) {
      case BOOLEAN -> "true or false";
      case INTEGER, LONG -> "a whole number";
      case FLOAT, DOUBLE -> "a number";
      case DECIMAL ->
          "a number with at most %d decimal places".formatted(((Types.DecimalType) type).scale());
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
              "a suite cannot write values of %s columns".formatted(type));
    };
  }

  /** A value for people: {@code 2026-01-31}, {@code 2026-01-31T08:30:00Z}, {@code 'paid'}. */
  static String show(Object value, Type.PrimitiveType type) {
    return switch (type.typeId()) {
      case DATE -> LocalDate.ofEpochDay((Integer) value).toString();
      case TIME -> LocalTime.ofNanoOfDay((Long) value * 1_000).toString();
      case TIMESTAMP, TIMESTAMP_NANO -> {
        Instant instant =
            type.typeId() == Type.TypeID.TIMESTAMP_NANO
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

  private static BigDecimal decimal(String text, Types.DecimalType type) {
    BigDecimal value = new BigDecimal(text.replace("_", "")).stripTrailingZeros();
    if (value.scale() > type.scale()) {
      throw new IllegalArgumentException("too many decimal places");
    }
    return value.setScale(type.scale());
  }

  private static long timestamp(String text, Type.PrimitiveType type) {
    String upper = text.toUpperCase(Locale.ROOT);
    String iso =
        upper.length() > 10 && upper.charAt(10) == ' ' ? upper.replaceFirst(" ", "T") : upper;
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
      case TIMESTAMP -> ((Types.TimestampType) type).shouldAdjustToUTC();
      case TIMESTAMP_NANO -> ((Types.TimestampNanoType) type).shouldAdjustToUTC();
      default -> false;
    };
  }
}
