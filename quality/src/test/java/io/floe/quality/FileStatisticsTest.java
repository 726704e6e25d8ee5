package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class FileStatisticsTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.optional(1, "amount", Types.DoubleType.get()));
  private static final FileStatistics STATISTICS =
      new FileStatistics(SCHEMA, MetricsConfig.getDefault());

  /**
   * ORC's statistics of a file Iceberg did not write count a NaN as a value, which Iceberg turns
   * into an infinite bound: without the file's NaN count such a bound is no answer.
   */
  @Test
  void anInfiniteBoundCountsOnlyWhenTheFileRecordsItsNanCount() {
    DataFile imported = file(-1.5, Double.POSITIVE_INFINITY, null);
    assertThat(STATISTICS.exactLower(imported, "amount")).contains(-1.5);
    assertThat(STATISTICS.exactUpper(imported, "amount")).isEmpty();
    assertThat(STATISTICS.anyBound(imported, "amount", false)).contains(Double.POSITIVE_INFINITY);

    DataFile written = file(Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 0L);
    assertThat(STATISTICS.exactLower(written, "amount")).contains(Double.NEGATIVE_INFINITY);
    assertThat(STATISTICS.exactUpper(written, "amount")).contains(Double.POSITIVE_INFINITY);

    DataFile finite = file(-1.5, 7.25, null);
    assertThat(STATISTICS.exactUpper(finite, "amount")).contains(7.25);
  }

  /**
   * ORC counts a struct field's nulls under a null struct only once the field has a null of its
   * own: a nested field's count is taken only when its values and nulls cover every row.
   */
  @Test
  void aNestedNullCountCountsOnlyWhenItCoversEveryRow() {
    Schema schema =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(
                2,
                "address",
                Types.StructType.of(
                    Types.NestedField.optional(3, "zip", Types.IntegerType.get()))));
    FileStatistics statistics = new FileStatistics(schema, MetricsConfig.getDefault());
    DataFile orc = counts(Map.of(1, 10L, 2, 10L, 3, 9L), Map.of(1, 0L, 2, 1L, 3, 0L));
    DataFile parquet = counts(Map.of(1, 10L, 3, 10L), Map.of(1, 0L, 3, 1L));

    assertThat(statistics.nullCount(orc, "id")).contains(0L);
    assertThat(statistics.nullCount(orc, "address")).contains(1L);
    assertThat(statistics.nullCount(orc, "address.zip")).isEmpty();
    assertThat(statistics.nullCount(parquet, "address.zip")).contains(1L);
  }

  private static DataFile counts(Map<Integer, Long> values, Map<Integer, Long> nulls) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("s3://bucket/t/data/" + values + ".orc")
        .withFormat(FileFormat.ORC)
        .withFileSizeInBytes(1_000)
        .withMetrics(new Metrics(10L, null, values, nulls, null))
        .build();
  }

  private static DataFile file(double lower, double upper, Long nans) {
    Types.DoubleType type = Types.DoubleType.get();
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("s3://bucket/t/data/" + lower + "-" + upper + "-" + nans + ".orc")
        .withFormat(FileFormat.ORC)
        .withFileSizeInBytes(1_000)
        .withMetrics(
            new Metrics(
                10L,
                Map.of(1, 100L),
                Map.of(1, 10L),
                Map.of(1, 0L),
                nans == null ? null : Map.of(1, nans),
                Map.of(1, Conversions.toByteBuffer(type, lower)),
                Map.of(1, Conversions.toByteBuffer(type, upper))))
        .build();
  }
}
