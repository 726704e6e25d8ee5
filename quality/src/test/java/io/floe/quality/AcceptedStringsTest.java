package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class AcceptedStringsTest {
  @Test
  void acceptsExactlyTheListedValues() {
    RuleFactory.AcceptedStrings accepted =
        new RuleFactory.AcceptedStrings(List.of("paid", "placed", "shipped", "delivered", "", "ü"));
    assertThat(accepted.contains("paid")).isTrue();
    assertThat(accepted.contains("delivered")).isTrue();
    assertThat(accepted.contains("")).isTrue();
    assertThat(accepted.contains("ü")).isTrue();
    // same length as an accepted value, other content
    assertThat(accepted.contains("pain")).isFalse();
    assertThat(accepted.contains("u")).isFalse();
    // longer than every accepted value, and a prefix of one
    assertThat(accepted.contains("delivered!")).isFalse();
    assertThat(accepted.contains("ship")).isFalse();
    assertThat(accepted.contains(new String("shipped".toCharArray()))).isTrue();
  }

  @Test
  void valuesLongerThanTheIndexAreLookedUpInTheSet() {
    String long1 = "x".repeat(100);
    RuleFactory.AcceptedStrings accepted = new RuleFactory.AcceptedStrings(List.of(long1, "a"));
    assertThat(accepted.contains("x".repeat(100))).isTrue();
    assertThat(accepted.contains("a")).isTrue();
    assertThat(accepted.contains("x".repeat(99))).isFalse();
  }

  @Test
  void manyValuesOfOneLengthAreLookedUpInTheSet() {
    List<String> codes = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      codes.add("C%04d".formatted(i));
    }
    RuleFactory.AcceptedStrings accepted = new RuleFactory.AcceptedStrings(codes);
    assertThat(accepted.contains("C0999")).isTrue();
    assertThat(accepted.contains("C0000")).isTrue();
    assertThat(accepted.contains("C1000")).isFalse();
    assertThat(accepted.contains("C099")).isFalse();
  }

  @RepeatedTest(10)
  void agreesWithASetOnRandomStrings() {
    Random random = new Random();
    List<String> values = new ArrayList<>();
    for (int i = 0; i < random.nextInt(40); i++) {
      values.add(word(random));
    }
    RuleFactory.AcceptedStrings accepted = new RuleFactory.AcceptedStrings(values);
    Set<String> expected = Set.copyOf(values);
    for (int i = 0; i < 2_000; i++) {
      String probe =
          random.nextInt(4) == 0 && !values.isEmpty()
              ? values.get(random.nextInt(values.size()))
              : word(random);
      assertThat(accepted.contains(probe)).as(probe).isEqualTo(expected.contains(probe));
    }
  }

  private static String word(Random random) {
    StringBuilder word = new StringBuilder();
    int length = random.nextInt(6);
    for (int i = 0; i < length; i++) {
      word.append((char) ('a' + random.nextInt(3)));
    }
    return word.toString();
  }
}
