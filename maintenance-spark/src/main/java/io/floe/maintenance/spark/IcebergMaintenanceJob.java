package io.floe.maintenance.spark;

import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * Runs one of Iceberg's Spark maintenance procedures on a table and reports how long the procedure
 * itself took (the Spark session is up before the clock starts), so benchmarks can put Floe's
 * pure-Java maintenance next to Spark's on equal terms.
 *
 * <p>Arguments: {@code --operation rewrite|expire}, {@code --table <namespace.table>}; for rewrite
 * {@code --target-size <bytes>} (bin-pack, {@code min-input-files} 2); for expire {@code
 * --older-than-ms <epoch millis>} and {@code --retain-last <n>}.
 */
public final class IcebergMaintenanceJob {
  private IcebergMaintenanceJob() {}

  public static void main(String[] args) {
    JobRunner.run("iceberg-maintenance", args, IcebergMaintenanceJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) {
    String operation = arguments.required("operation");
    String table = arguments.required("table");
    String catalog = spark.conf().get("spark.sql.defaultCatalog");
    // warm up: the session, the catalog client and the table's metadata, outside the clock
    spark.sql("SELECT count(*) FROM " + table + ".snapshots").collect();
    String call =
        switch (operation) {
          case "rewrite" ->
              "CALL %s.system.rewrite_data_files(table => '%s', strategy => 'binpack', options => map('target-file-size-bytes', '%d', 'min-input-files', '2'))"
                  .formatted(catalog, table, arguments.longValue("target-size", 128L << 20));
          case "expire" ->
              "CALL %s.system.expire_snapshots(table => '%s', older_than => TIMESTAMP '%s', retain_last => %d)"
                  .formatted(
                      catalog,
                      table,
                      // the session time zone is UTC (JobRunner)
                      java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS")
                          .withZone(java.time.ZoneOffset.UTC)
                          .format(Instant.ofEpochMilli(arguments.longValue("older-than-ms", 0))),
                      arguments.longValue("retain-last", 1));
          default -> throw new IllegalArgumentException("unknown --operation " + operation);
        };
    long begin = System.nanoTime();
    Row[] rows = (Row[]) spark.sql(call).collect();
    long millis = (System.nanoTime() - begin) / 1_000_000;
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("operation", operation);
    summary.put("table", table);
    summary.put("millis", millis);
    Row row = rows[0];
    for (String field : row.schema().fieldNames()) {
      Object value = row.getAs(field);
      summary.put(field, value instanceof Number ? value : String.valueOf(value));
    }
    return summary;
  }
}
