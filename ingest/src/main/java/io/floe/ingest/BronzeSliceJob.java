package io.floe.ingest;

import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.SparkSession;

/**
 * The foundation slice: creates a partitioned bronze table (if absent) and appends a deterministic
 * batch of events to it through the REST catalog. Row {@code i} of a batch is the same on every
 * machine, so other engines can check what they read against it.
 *
 * <p>Arguments: {@code --table <namespace.table>}, {@code --rows <n>}, {@code --batch <k>} (ids
 * start at {@code k * n}).
 */
public final class BronzeSliceJob {
  private BronzeSliceJob() {}

  public static void main(String[] args) {
    JobRunner.run("bronze-slice", args, BronzeSliceJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) throws Exception {
    String table = arguments.required("table");
    long rows = arguments.longValue("rows", 1000);
    long batch = arguments.longValue("batch", 0);
    String namespace = table.substring(0, table.lastIndexOf('.'));

    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
    spark.sql(
        """
        CREATE TABLE IF NOT EXISTS %s (
          event_id BIGINT NOT NULL,
          category STRING,
          amount DECIMAL(12, 2),
          event_ts TIMESTAMP)
        USING iceberg
        PARTITIONED BY (category, days(event_ts))
        TBLPROPERTIES ('format-version' = '2')
        """
            .formatted(table));

    long first = batch * rows;
    spark
        .range(first, first + rows)
        .selectExpr(
            "id AS event_id",
            "element_at(array('books', 'garden', 'toys'), CAST(id % 3 AS INT) + 1) AS category",
            "CAST((id % 1000) * 1.25 AS DECIMAL(12, 2)) AS amount",
            "timestamp_seconds(1767225600 + id * 37) AS event_ts")
        .writeTo(table)
        .append();

    Table iceberg = Spark3Util.loadIcebergTable(spark, table);
    iceberg.refresh();
    Snapshot snapshot = iceberg.currentSnapshot();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("table", table);
    summary.put("snapshot", snapshot.snapshotId());
    summary.put("rows-added", Long.parseLong(snapshot.summary().get("added-records")));
    summary.put("rows-total", Long.parseLong(snapshot.summary().get("total-records")));
    summary.put("partitions", iceberg.spec().fields().size());
    return summary;
  }
}
