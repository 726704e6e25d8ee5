package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** How bounds and the values held to them read in messages. */
class BoundsTest {
  @Test
  void valuesReadAsWholeNumbersOrToTenSignificantDigits() {
    assertThat(Bounds.format(100_000)).isEqualTo("100000");
    assertThat(Bounds.format(-3)).isEqualTo("-3");
    assertThat(Bounds.format(728.3710929653761)).isEqualTo("728.371093");
    assertThat(Bounds.format(0.1 + 0.2)).isEqualTo("0.3");
    assertThat(Bounds.format(561.99)).isEqualTo("561.99");
    assertThat(Bounds.format(0.000012345678901234)).isEqualTo("0.0000123456789");
    assertThat(Bounds.format(Double.NaN)).isEqualTo("NaN");
    assertThat(Bounds.format(Double.POSITIVE_INFINITY)).isEqualTo("Infinity");
    assertThat(Bounds.between(0.05, 2.5).toString()).isEqualTo("[0.05, 2.5]");
  }

  @Test
  void aValueRoundingWouldMoveAcrossABoundKeepsEveryDigit() {
    Bounds atMost = Bounds.atMost(100_000);
    assertThat(atMost.describe(100_000.00000001)).isEqualTo("100000.00000001");
    // on the same side either way, the rounded value tells no lie
    assertThat(atMost.describe(99_999.99999999)).isEqualTo("100000");
    Bounds atLeast = new Bounds(OptionalDouble.of(100_000), OptionalDouble.empty());
    assertThat(atLeast.describe(99_999.99999999)).isEqualTo("99999.99999999");
    assertThat(atMost.describe(100_000.5)).isEqualTo("100000.5");
    assertThat(atMost.describe(728.3710929653761)).isEqualTo("728.371093");
    assertThat(Bounds.atMost(0.3).describe(0.1 + 0.2)).isEqualTo("0.30000000000000004");
  }

  @Test
  void aMinAboveTheMaxIsRefusedInTheBoundsOwnWords() {
    assertThatThrownBy(() -> Bounds.between(10, 1.5))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("min 10 is above max 1.5");
  }
}
