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

  /** Columns are named as Spark and Trino name them: nested by a dotted path, or quoted. */
  @Test
  void namesNestedAndQuotedColumns() {
    assertThat(PredicateParser.parse("address.zip between 1000 and 1099").toString())
        .isEqualTo("(ref(name=\"address.zip\") >= 1000 and ref(name=\"address.zip\") <= 1099)");
    assertThat(PredicateParser.parse("\"order-id\" > 0 and `unit price` >= 0.5").toString())
        .isEqualTo("(ref(name=\"order-id\") > 0 and ref(name=\"unit price\") >= 0.5)");
    assertThat(PredicateParser.parse("`it``s` = 'it''s'").toString())
        .isEqualTo("ref(name=\"it`s\") == \"it's\"");
    assertThat(PredicateParser.columns(PredicateParser.parse("a.b = 1 or \"c d\" is null")))
        .containsExactly("a.b", "c d");
    assertThatThrownBy(() -> PredicateParser.parse("a between `b` and 2"))
        .hasMessage(
            "invalid expression 'a between `b` and 2': expected a value, found the column name `b`");
    assertThatThrownBy(() -> PredicateParser.parse("a. = 1"))
        .hasMessage("invalid expression 'a. = 1': expected a column name, found 'a.'");
    assertThatThrownBy(() -> PredicateParser.parse("\"a = 1"))
        .hasMessage("invalid expression '\"a = 1': unterminated column name");
  }

  /** A row's rule may compare two of its columns; a filter on partitions takes values only. */
  @Test
  void aRowPredicateMayCompareTwoColumns() {
    RowPredicate predicate =
        PredicateParser.parseRow("shipped_at >= ordered_at and (\"unit price\" < total or x = 1)");
    assertThat(predicate.asExpression()).isEmpty();
    assertThat(predicate.columns())
        .containsExactly("shipped_at", "ordered_at", "unit price", "total", "x");
    assertThat(predicate.expressions()).hasSize(1);
    // Iceberg's expressions have no equality of their own: compared as they print
    assertThat(predicate)
        .hasToString(
            "And[left=shipped_at >= ordered_at, right=Or[left=unit price < total,"
                + " right=Values[expression=ref(name=\"x\") == 1]]]");
    // true and false are values, not columns; without a column comparison it is one expression
    assertThat(PredicateParser.parseRow("paid = true or a.b <> c.d").columns())
        .containsExactly("paid", "a.b", "c.d");
    assertThat(PredicateParser.parseRow("paid = TRUE and n > 1").asExpression()).isPresent();
    assertThatThrownBy(() -> PredicateParser.parse("a < 1 or not (b = `c d`)"))
        .hasMessage(
            "invalid expression 'a < 1 or not (b = `c d`)': b = c d compares two columns, which only"
                + " a row's values can answer; compare a column with a value");
  }

  @Test
  void errorsSayWhatIsWrong() {
    assertThatThrownBy(() -> PredicateParser.parse("revenue >= "))
        .hasMessage("invalid expression 'revenue >= ': expected a value at the end");
    assertThatThrownBy(() -> PredicateParser.parse("revenue >= 0 0"))
        .hasMessage("invalid expression 'revenue >= 0 0': unexpected '0'");
    assertThatThrownBy(() -> PredicateParser.parseRow("discount = null"))
        .hasMessage(
            "invalid expression 'discount = null': a comparison with null holds for no row;"
                + " write 'is null' or 'is not null'");
    assertThatThrownBy(() -> PredicateParser.parse("revenue ~ 0"))
        .hasMessageContaining("expected a comparison");
  }
}
