package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** What a file's statistics decide about a condition for all of its rows, and what the rows do. */
class RowFilterTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "status", Types.StringType.get()),
          Types.NestedField.optional(3, "score", Types.DoubleType.get()));

  /** 100 rows: ids 1..100, statuses 'a'..'m' with 3 nulls, scores 1.0..2.0 without NaN. */
  static final DataFile FILE = file("f", true);

  /** FILE's ids and statuses, and no score at all. */
  static final DataFile NO_SCORES = file("g", false);

  static DataFile file(String name, boolean scores) {
    Map<Integer, ByteBuffer> lower =
        new HashMap<>(
            Map.of(1, bound(Types.LongType.get(), 1L), 2, bound(Types.StringType.get(), "a")));
    Map<Integer, ByteBuffer> upper =
        new HashMap<>(
            Map.of(1, bound(Types.LongType.get(), 100L), 2, bound(Types.StringType.get(), "m")));
    if (scores) {
      lower.put(3, bound(Types.DoubleType.get(), 1.0));
      upper.put(3, bound(Types.DoubleType.get(), 2.0));
    }
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("/t/data/" + name + ".parquet")
        .withFormat(FileFormat.PARQUET)
        .withFileSizeInBytes(1000)
        .withRecordCount(100)
        .withMetrics(
            new Metrics(
                100L,
                null,
                Map.of(1, 100L, 2, 100L, 3, 100L),
                Map.of(1, 0L, 2, 3L, 3, scores ? 0L : 100L),
                Map.of(3, 0L),
                lower,
                upper))
        .build();
  }

  static ByteBuffer bound(Type type, Object value) {
    return Conversions.toByteBuffer(type, value);
  }

  @Test
  void boundsDecideAConditionForEveryRowOnlyWhenTheyProveIt() {
    assertThat(RowFilter.bind(SCHEMA, "id > 100").matchesNone(FILE)).isTrue();
    assertThat(RowFilter.bind(SCHEMA, "id > 100").matchesAll(FILE)).isFalse();
    assertThat(RowFilter.bind(SCHEMA, "id between 1 and 100").matchesAll(FILE)).isTrue();
    RowFilter some = RowFilter.bind(SCHEMA, "id > 50");
    assertThat(some.matchesNone(FILE)).isFalse();
    assertThat(some.matchesAll(FILE)).isFalse();
    assertThat(RowFilter.bind(SCHEMA, "status = 'z'").matchesNone(FILE)).isTrue();
    // every non-null status is >= 'a', but a null status does not meet the condition
    assertThat(RowFilter.bind(SCHEMA, "status >= 'a'").matchesAll(FILE)).isFalse();
    // one side of an "and" that no row meets decides it
    assertThat(RowFilter.bind(SCHEMA, "status = 'b' and id < 1").matchesNone(FILE)).isTrue();
  }

  /**
   * Iceberg's evaluators order NaN otherwise than a row's test does (NaN above every number, as
   * Spark orders it), so bounds decide nothing for a condition on a floating-point column.
   */
  @Test
  void floatingPointConditionsAndColumnComparisonsAreLeftToTheRows() {
    RowFilter score = RowFilter.bind(SCHEMA, "score > 5");
    assertThat(score.matchesNone(FILE)).isFalse();
    assertThat(RowFilter.bind(SCHEMA, "score >= 1").matchesAll(FILE)).isFalse();
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("id", 7L);
    row.setField("score", Double.NaN);
    assertThat(score.on(SCHEMA).test(new InternalRecordWrapper(SCHEMA.asStruct()).wrap(row)))
        .isTrue();
    RowFilter compared = RowFilter.bind(SCHEMA, "id > score and score < 0");
    assertThat(compared.matchesNone(FILE)).isFalse();
    assertThat(compared.columns()).containsExactly("id", "score");
  }

  /**
   * In a condition that also compares two columns, the comparisons with values still decide a file:
   * a comparison of two columns may be true of any row where both hold a value, and proves nothing.
   */
  @Test
  void theValuePartsOfAConditionThatComparesColumnsStillDecideAFile() {
    // no id is below 0, whatever the comparison: a float column compared with a column is no bar
    assertThat(RowFilter.bind(SCHEMA, "id < 0 and id > score").matchesNone(FILE)).isTrue();
    assertThat(RowFilter.bind(SCHEMA, "id > score and not (id >= 1)").matchesNone(FILE)).isTrue();
    assertThat(RowFilter.bind(SCHEMA, "not (id >= 1 or id > score)").matchesNone(FILE)).isTrue();
    assertThat(RowFilter.bind(SCHEMA, "id < 0 or id > score").matchesNone(FILE)).isFalse();
    assertThat(RowFilter.bind(SCHEMA, "not (id >= 1 and id > score)").matchesNone(FILE)).isFalse();
    // a comparison is unknown where either column is null, so it selects no row of this file
    assertThat(RowFilter.bind(SCHEMA, "id > score").matchesNone(NO_SCORES)).isTrue();
    assertThat(RowFilter.bind(SCHEMA, "not (id > score)").matchesNone(NO_SCORES)).isTrue();
    assertThat(RowFilter.bind(SCHEMA, "id > score").matchesNone(FILE)).isFalse();

    // every id is at least 1: that proves "or", never "and"
    RowFilter either = RowFilter.bind(SCHEMA, "id >= 1 or id > score");
    assertThat(either.matchesAll(FILE)).isTrue();
    assertThat(either.provable()).isPresent();
    assertThat(RowFilter.bind(SCHEMA, "id >= 1 and id > score").matchesAll(FILE)).isFalse();
    assertThat(RowFilter.bind(SCHEMA, "id > score").provable()).isEmpty();
    // a null status is no 'a' or later, so only the rows decide it
    assertThat(RowFilter.bind(SCHEMA, "status >= 'a' or id > score").matchesAll(FILE)).isFalse();
  }

  @Test
  void aRowMeetsAConditionOnlyWhereItIsTrue() {
    RowFilter paid = RowFilter.bind(SCHEMA, "status <> 'placed'");
    InternalRecordWrapper wrapper = new InternalRecordWrapper(SCHEMA.asStruct());
    GenericRecord row = GenericRecord.create(SCHEMA);
    row.setField("id", 1L);
    row.setField("status", "paid");
    assertThat(paid.on(SCHEMA).test(wrapper.wrap(row))).isTrue();
    row.setField("status", null);
    assertThat(paid.on(SCHEMA).test(wrapper.wrap(row))).isFalse();
  }

  @Test
  void aConditionTheSchemaCannotTakeNamesWhy() {
    assertThatThrownBy(() -> RowFilter.bind(SCHEMA, "region = 'eu'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("column 'region' is not in the snapshot's schema");
    assertThatThrownBy(() -> RowFilter.bind(SCHEMA, "status > 5"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("in 'status > 5', status (string) cannot be compared with 5");
  }
}
