package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ReferencedValuesTest {
  /** Whatever it holds, it answers as a hash set of the same normalized values would. */
  @Test
  void answersAsAHashSetOfTheSameValues() {
    Random random = new Random(7);
    ReferencedValues longs = new ReferencedValues();
    Set<Object> expected = new HashSet<>();
    for (int i = 0; i < 50_000; i++) {
      long value = random.nextInt(200_000) - 100_000L;
      longs.add(value);
      expected.add(value);
    }
    for (long probe = -100_000; probe <= 100_000; probe += 7) {
      assertThat(longs.contains(probe)).as("%d", probe).isEqualTo(expected.contains(probe));
    }
    assertThat(longs.contains(0L)).isEqualTo(expected.contains(0L));
    // a decimal or a string never equals a long, as in a set of objects
    assertThat(longs.contains(new BigDecimal("5"))).isFalse();
    assertThat(longs.contains("5")).isFalse();
  }

  @Test
  void aValueOfAnotherTypeKeepsTheIntegersAddedBefore() {
    ReferencedValues mixed = new ReferencedValues();
    mixed.add(0L);
    mixed.add(42L);
    mixed.add("b-17");
    mixed.add(-3L);
    for (Object value : List.of(0L, 42L, "b-17", -3L)) {
      assertThat(mixed.contains(value)).as("%s", value).isTrue();
    }
    assertThat(mixed.contains(43L)).isFalse();
    assertThat(mixed.contains("b-18")).isFalse();
  }
}
