package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The YAML a suggestion writes reads back as the names and values it was written from. */
class SuiteSuggestionTest {
  @Test
  void scalarsAreQuotedWhenPlainYamlWouldReadThemOtherwise() {
    assertThat(SuiteSuggestion.yaml("order_id")).isEqualTo("order_id");
    assertThat(SuiteSuggestion.yaml("address.city")).isEqualTo("address.city");
    assertThat(SuiteSuggestion.yaml("yes")).isEqualTo("'yes'");
    assertThat(SuiteSuggestion.yaml("decimal(12,2)")).isEqualTo("'decimal(12,2)'");
    assertThat(SuiteSuggestion.yaml("it's")).isEqualTo("'it''s'");

    List<String> values = List.of("yes", "it's", "a: b", "#1", "decimal(12,2)", "", " x");
    String yaml =
        "checks: [accepted-values: {column: %s, values: [%s]}]"
            .formatted(
                SuiteSuggestion.yaml("no"),
                String.join(", ", values.stream().map(SuiteSuggestion::yaml).toList()));
    Check check =
        Suites.parse(TableRef.parse("s.t"), ConfigNode.parse("test", yaml, name -> null))
            .checks()
            .get(0);
    assertThat(check.column()).isEqualTo("no");
    assertThat(check.options().values()).isEqualTo(values);
  }
}
