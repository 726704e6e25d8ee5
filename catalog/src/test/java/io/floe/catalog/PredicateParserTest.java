package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PredicateParserTest {
  @Test
  void parsesComparisonsRangesListsAndNulls() {
    assertThat(PredicateParser.parse("revenue >= 0").toString())
        .isEqualTo("ref(name=\"revenue\") >= 0");
    assertThat(PredicateParser.parse("quantity between 1 and 100").toString())
        .isEqualTo("(ref(name=\"quantity\") >= 1 and ref(name=\"quantity\") <= 100)");
    assertThat(PredicateParser.parse("status in ('paid', 'it''s') or status is null").toString())
        .contains("in", "is_null");
    assertThat(PredicateParser.parse("not (a = 1.5 and b != 'x')").toString()).contains("not");
  }

  @Test
  void errorsSayWhatIsWrong() {
    assertThatThrownBy(() -> PredicateParser.parse("revenue >= "))
        .hasMessage("invalid expression 'revenue >= ': expected a value at the end");
    assertThatThrownBy(() -> PredicateParser.parse("revenue >= 0 0"))
        .hasMessage("invalid expression 'revenue >= 0 0': unexpected '0'");
    assertThatThrownBy(() -> PredicateParser.parse("revenue ~ 0"))
        .hasMessageContaining("expected a comparison");
  }
}
