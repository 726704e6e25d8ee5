package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SuiteValuesTest {
  @Test
  void numbersAreReadInTheColumnsTypeAndScale() {
    assertThat(SuiteValues.parse("1.5", Types.DecimalType.of(10, 2)))
        .isEqualTo(new BigDecimal("1.50"));
    assertThat(SuiteValues.parse("2", Types.DecimalType.of(10, 2)))
        .isEqualTo(new BigDecimal("2.00"));
    assertThat(SuiteValues.parse("1.500", Types.DecimalType.of(10, 2)))
        .isEqualTo(new BigDecimal("1.50"));
    assertThatThrownBy(() -> SuiteValues.parse("1.505", Types.DecimalType.of(10, 2)))
        .hasMessage("'1.505' is not a number with at most 2 decimal places");
    assertThat(SuiteValues.parse(" 7 ", Types.IntegerType.get())).isEqualTo(7);
    assertThatThrownBy(() -> SuiteValues.parse("3000000000", Types.IntegerType.get()))
        .hasMessage("'3000000000' is not a whole number");
    assertThat(SuiteValues.parse("0.1", Types.FloatType.get())).isEqualTo(0.1f);
  }

  @Test
  void booleansAreTrueOrFalseAndNothingElse() {
    assertThat(SuiteValues.parse("TRUE", Types.BooleanType.get())).isEqualTo(true);
    assertThatThrownBy(() -> SuiteValues.parse("yes", Types.BooleanType.get()))
        .hasMessage("'yes' is not true or false");
  }

  @Test
  void temporalValuesAreShownAsTheyAreWritten() {
    Types.TimestampType zoned = Types.TimestampType.withZone();
    Object micros = SuiteValues.parse("2026-01-31 09:30:00+01:00", zoned);
    assertThat(SuiteValues.show(micros, zoned)).isEqualTo("2026-01-31T08:30:00Z");
    assertThat(SuiteValues.parse("2026-01-31t08:30:00z", zoned)).isEqualTo(micros);
    Object time = SuiteValues.parse("08:30", Types.TimeType.get());
    assertThat(SuiteValues.show(time, Types.TimeType.get())).isEqualTo("08:30");
    assertThatThrownBy(() -> SuiteValues.parse("x", Types.BinaryType.get()))
        .hasMessage("a suite cannot write values of binary columns");
  }
}
