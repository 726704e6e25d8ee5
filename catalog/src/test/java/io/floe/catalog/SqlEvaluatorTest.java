package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Random;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.expressions.Evaluator;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class SqlEvaluatorTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.optional(1, "price", Types.LongType.get()),
          Types.NestedField.optional(2, "status", Types.StringType.get()),
          Types.NestedField.required(3, "id", Types.LongType.get()));

  private static boolean isTrue(String predicate, Long price, String status) {
    return new SqlEvaluator(SCHEMA.asStruct(), PredicateParser.parse(predicate), true)
        .isTrue(row(price, status));
  }

  /** Which way a comparison points decides nothing about a null: no comparison holds for it. */
  @Test
  void noComparisonWithANullIsTrue() {
    for (String predicate :
        List.of(
            "price < 10",
            "price <= 10",
            "price > 10",
            "price >= 10",
            "price = 10",
            "price != 10",
            "price between 1 and 100",
            "price not between 1 and 100",
            "price in (1, 2)",
            "price not in (1, 2)",
            "not (price >= 10)",
            "not (price < 10)")) {
      assertThat(isTrue(predicate, null, "paid")).as(predicate).isFalse();
    }
    // Iceberg's own evaluator orders a null first, which makes the first of these true
    GenericRecord row = GenericRecord.create(SCHEMA);
    assertThat(new Evaluator(SCHEMA.asStruct(), Expressions.lessThan("price", 10L)).eval(row))
        .isTrue();
  }

  @Test
  void nullsAreTestedByIsNullAndThreeValuedLogic() {
    assertThat(isTrue("price is null", null, "paid")).isTrue();
    assertThat(isTrue("price is not null", null, "paid")).isFalse();
    assertThat(isTrue("price < 10 or price is null", null, "paid")).isTrue();
    // unknown or false is unknown, unknown and false is false: neither is true
    assertThat(isTrue("price < 10 or status = 'x'", null, "paid")).isFalse();
    assertThat(isTrue("price < 10 and status = 'x'", null, "paid")).isFalse();
    // true or unknown is true; not of (unknown and false) is not of false, so true
    assertThat(isTrue("status = 'paid' or price < 10", null, "paid")).isTrue();
    assertThat(isTrue("not (price < 10 and status = 'x')", null, "paid")).isTrue();
    assertThat(isTrue("not (price < 10 and status = 'paid')", null, "paid")).isFalse();
  }

  @Test
  void aRequiredColumnIsNeverNull() {
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("id", 7L);
    assertThat(new SqlEvaluator(SCHEMA.asStruct(), Expressions.notNull("id"), true).isTrue(row))
        .isTrue();
    assertThat(new SqlEvaluator(SCHEMA.asStruct(), Expressions.isNull("id"), true).isTrue(row))
        .isFalse();
  }

  @Test
  void stringsCompareAndMatchPrefixes() {
    assertThat(isTrue("status in ('paid', 'shipped')", 1L, "paid")).isTrue();
    assertThat(isTrue("status not in ('paid', 'shipped')", 1L, "paid")).isFalse();
    assertThat(isTrue("status > 'a' and status < 'q'", 1L, "paid")).isTrue();
    assertThat(
            new SqlEvaluator(SCHEMA.asStruct(), Expressions.startsWith("status", "pa"), true)
                .isTrue(row(1L, "paid")))
        .isTrue();
    assertThat(
            new SqlEvaluator(SCHEMA.asStruct(), Expressions.notStartsWith("status", "pa"), true)
                .isTrue(row(1L, "paid")))
        .isFalse();
    assertThat(
            new SqlEvaluator(SCHEMA.asStruct(), Expressions.notStartsWith("status", "pa"), true)
                .isTrue(row(1L, null)))
        .isFalse();
  }

  private static final Schema PAIRS =
      new Schema(
          Types.NestedField.optional(1, "n", Types.IntegerType.get()),
          Types.NestedField.optional(2, "l", Types.LongType.get()),
          Types.NestedField.optional(3, "amount", Types.DecimalType.of(9, 2)),
          Types.NestedField.optional(4, "ratio", Types.DoubleType.get()),
          Types.NestedField.optional(5, "ordered", Types.TimestampType.withZone()),
          Types.NestedField.optional(6, "shipped", Types.TimestampNanoType.withZone()),
          Types.NestedField.optional(7, "local", Types.TimestampType.withoutZone()),
          Types.NestedField.optional(8, "day", Types.DateType.get()),
          Types.NestedField.optional(9, "name", Types.StringType.get()),
          Types.NestedField.optional(10, "other", Types.StringType.get()));

  /** Values in Iceberg's internal representation, as the rows evaluated hold them. */
  private static boolean pair(String predicate, Object... values) {
    GenericRecord row = GenericRecord.create(PAIRS);
    for (int i = 0; i < values.length; i += 2) {
      row.setField((String) values[i], values[i + 1]);
    }
    return new SqlEvaluator(PAIRS.asStruct(), PredicateParser.parseRow(predicate), true)
        .isTrue(row);
  }

  @Test
  void twoColumnsCompareByValueAsSqlComparesThem() {
    assertThat(pair("n < l", "n", 3, "l", 4L)).isTrue();
    assertThat(pair("n >= l", "n", 3, "l", 4L)).isFalse();
    assertThat(pair("amount = l", "amount", new java.math.BigDecimal("4.00"), "l", 4L)).isTrue();
    assertThat(pair("amount > n", "amount", new java.math.BigDecimal("3.01"), "n", 3)).isTrue();
    assertThat(pair("ratio < amount", "ratio", 0.5, "amount", new java.math.BigDecimal("0.51")))
        .isTrue();
    assertThat(pair("name < other", "name", "apple", "other", "banana")).isTrue();
    assertThat(pair("name != other", "name", "apple", "other", "apple")).isFalse();
    // one microsecond apart, in micro- and in nanoseconds; and a nanosecond past the microsecond
    assertThat(pair("ordered < shipped", "ordered", 1_000_000L, "shipped", 1_000_001_000L))
        .isTrue();
    assertThat(pair("ordered = shipped", "ordered", 1_000_000L, "shipped", 1_000_000_000L))
        .isTrue();
    assertThat(pair("shipped > ordered", "ordered", 1_000_000L, "shipped", 1_000_000_001L))
        .isTrue();
    assertThat(pair("ordered >= shipped", "ordered", 1_000_000L, "shipped", 1_000_000_001L))
        .isFalse();
    assertThat(pair("ordered < shipped", "ordered", -1L, "shipped", -999L)).isTrue();
    // a null on either side is unknown: only "is null" lets the row through
    assertThat(pair("n < l", "n", 3)).isFalse();
    assertThat(pair("not (n < l)", "n", 3)).isFalse();
    assertThat(pair("n < l or l is null", "n", 3)).isTrue();
  }

  @Test
  void columnsOfTypesThatDoNotCompareAreRefused() {
    for (String predicate :
        List.of("name < n", "day < ordered", "local < ordered", "local = shipped", "n = name")) {
      assertThatThrownBy(
              () -> new SqlEvaluator(PAIRS.asStruct(), PredicateParser.parseRow(predicate), true))
          .as(predicate)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("cannot be compared with");
    }
    assertThatThrownBy(
            () ->
                new SqlEvaluator(PAIRS.asStruct(), PredicateParser.parseRow("day < ordered"), true))
        .hasMessage("day (date) cannot be compared with ordered (timestamptz)");
  }

  /** Wherever no null is involved, the answer is Iceberg's own. */
  @Test
  void withoutNullsItAgreesWithIcebergsEvaluator() {
    Random random = new Random(42);
    for (int i = 0; i < 2_000; i++) {
      Expression expression = randomExpression(random, 3);
      GenericRecord row =
          row((long) random.nextInt(5), List.of("a", "b", "c").get(random.nextInt(3)));
      assertThat(new SqlEvaluator(SCHEMA.asStruct(), expression, true).isTrue(row))
          .as("%s on %s", expression, row)
          .isEqualTo(new Evaluator(SCHEMA.asStruct(), expression, true).eval(row));
    }
  }

  private static GenericRecord row(Long price, String status) {
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("price", price);
    row.setField("status", status);
    row.setField("id", 1L);
    return row;
  }

  private static Expression randomExpression(Random random, int depth) {
    int choice = random.nextInt(depth == 0 ? 9 : 12);
    long value = random.nextInt(5);
    String text = List.of("a", "b", "c").get(random.nextInt(3));
    return switch (choice) {
      case 0 -> Expressions.lessThan("price", value);
      case 1 -> Expressions.lessThanOrEqual("price", value);
      case 2 -> Expressions.greaterThan("price", value);
      case 3 -> Expressions.greaterThanOrEqual("price", value);
      case 4 -> Expressions.equal("status", text);
      case 5 -> Expressions.notEqual("status", text);
      case 6 -> Expressions.in("price", value, (value + 2) % 5);
      case 7 -> Expressions.notIn("status", text);
      case 8 -> Expressions.isNull("price");
      case 9 -> Expressions.not(randomExpression(random, depth - 1));
      case 10 ->
          Expressions.and(randomExpression(random, depth - 1), randomExpression(random, depth - 1));
      default ->
          Expressions.or(randomExpression(random, depth - 1), randomExpression(random, depth - 1));
    };
  }
}
