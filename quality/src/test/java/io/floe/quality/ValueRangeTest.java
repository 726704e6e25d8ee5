package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class ValueRangeTest {
  static ValueRange range(String min, String max) {
    return new ValueRange(Optional.ofNullable(min), Optional.ofNullable(max));
  }

  static long micros(String instant) {
    return ChronoUnit.MICROS.between(Instant.EPOCH, Instant.parse(instant));
  }

  @Test
  void datesAreHeldToInclusiveBoundsAndShownAsDates() {
    ValueRange.Typed days = range("2026-01-01", "2026-01-31").in(Types.DateType.get());
    int first = (int) LocalDate.parse("2026-01-01").toEpochDay();
    assertThat(days.contains(first)).isTrue();
    assertThat(days.contains(first + 30)).isTrue();
    assertThat(days.contains(first - 1)).isFalse();
    assertThat(days.contains(first + 31)).isFalse();
    assertThat(days.metric(first)).hasValue(first);
    assertThat(days.show(first)).isEqualTo("2026-01-01");
    assertThat(days).hasToString("[2026-01-01, 2026-01-31]");
  }

  @Test
  void aTimestampWithZoneReadsOffsetsAndTakesUtcWithoutOne() {
    Types.TimestampType type = Types.TimestampType.withZone();
    assertThat(range("2026-01-01T09:00:00+01:00", null).in(type))
        .hasToString(">= 2026-01-01T08:00:00Z");
    assertThat(range(null, "2026-01-01 08:00:00").in(type)).hasToString("<= 2026-01-01T08:00:00Z");
    ValueRange.Typed day = range("2026-01-01", "2026-01-01T23:59:59.999999Z").in(type);
    assertThat(day.contains(micros("2026-01-01T00:00:00Z"))).isTrue();
    assertThat(day.contains(micros("2026-01-01T23:59:59.999999Z"))).isTrue();
    assertThat(day.contains(micros("2026-01-02T00:00:00Z"))).isFalse();
    assertThat(day.contains(micros("2025-12-31T23:59:59.999999Z"))).isFalse();
  }

  @Test
  void nanosecondTimestampsKeepTheirNanoseconds() {
    ValueRange.Typed nanos =
        range(null, "2026-01-01T00:00:00.000000001").in(Types.TimestampNanoType.withoutZone());
    long bound = ChronoUnit.NANOS.between(Instant.EPOCH, Instant.parse("2026-01-01T00:00:00Z")) + 1;
    assertThat(nanos.contains(bound)).isTrue();
    assertThat(nanos.contains(bound + 1)).isFalse();
    assertThat(nanos).hasToString("<= 2026-01-01T00:00:00.000000001");
  }

  @Test
  void stringsCompareAsWrittenAndHaveNoNumericMetric() {
    ValueRange.Typed codes = range(" a", "b").in(Types.StringType.get());
    assertThat(codes.contains(" a")).isTrue();
    assertThat(codes.contains("a")).isTrue();
    assertThat(codes.contains("ba")).isFalse();
    assertThat(codes.metric("a")).isEmpty();
    assertThat(codes).hasToString("[' a', 'b']");
    UUID id = UUID.fromString("00000000-0000-0000-0000-000000000002");
    assertThat(
            range("00000000-0000-0000-0000-000000000001", null)
                .in(Types.UUIDType.get())
                .contains(id))
        .isTrue();
  }

  @Test
  void boundsThatAreNotValuesOfTheTypeSayWhichAndWhy() {
    assertThatThrownBy(() -> range("2026-02-30", null).in(Types.DateType.get()))
        .hasMessage("min '2026-02-30' is not a date such as 2026-01-31");
    assertThatThrownBy(() -> range(null, "noon").in(Types.TimeType.get()))
        .hasMessage("max 'noon' is not a time such as 08:30:00");
    assertThatThrownBy(
            () -> range("2026-01-01T00:00:00+02:00", null).in(Types.TimestampType.withoutZone()))
        .hasMessageStartingWith("min '2026-01-01T00:00:00+02:00' is not a timestamp such as");
    assertThatThrownBy(() -> range("2026-02-01", "2026-01-01").in(Types.DateType.get()))
        .hasMessage("min 2026-02-01 is above max 2026-01-01");
    assertThatThrownBy(() -> range("true", null).in(Types.BooleanType.get()))
        .hasMessage(
            "min and max take numeric, date, time, timestamp, string or uuid columns, not boolean");
  }
}
