package io.floe.ingest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * One PostgreSQL table into its bronze table.
 *
 * <p>Incremental mode reads {@code watermark > stored AND watermark <= high} where {@code stored}
 * is the watermark recorded in the bronze table's latest snapshot summary ({@value
 * BronzeTables#WATERMARK}) and {@code high} is the column's maximum captured before reading. The
 * new watermark {@code high} is committed in the same snapshot as the rows: a run that dies before
 * its commit leaves the stored watermark where it was (the next run rereads the same range), and a
 * committed run is never read again. The upper bound keeps rows that commit while the read runs out
 * of this run and in the next, instead of having the watermark jump past rows not yet seen.
 *
 * <p>Full mode replaces the bronze table's content with the whole source table in one commit.
 */
final class JdbcIngest {
  private JdbcIngest() {}

  static Map<String, Object> run(SparkSession spark, IngestSpec spec, IngestSpec.Source source)
      throws Exception {
    long begin = System.nanoTime();
    String url = source.required("url");
    String user = source.optional("user", "");
    String password = source.optional("password", "");
    String sourceTable = source.required("table");
    String watermarkColumn = source.optional("watermark", "updated_at");
    boolean full = source.optional("mode", "incremental").equals("full");
    String target = spec.table(source.target());

    Optional<Instant> high;
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement();
        ResultSet max =
            statement.executeQuery(
                "SELECT max(%s) FROM %s".formatted(quote(watermarkColumn), sourceTable))) {
      max.next();
      OffsetDateTime value = max.getObject(1, OffsetDateTime.class);
      high = Optional.ofNullable(value).map(OffsetDateTime::toInstant);
    }

    Map<String, Object> summary = new LinkedHashMap<>();
    String filter;
    Optional<Instant> stored = Optional.empty();
    if (full) {
      filter = "TRUE";
    } else {
      Optional<Table> existing =
          spark.catalog().tableExists(target)
              ? Optional.of(BronzeTables.load(spark, target))
              : Optional.empty();
      stored =
          existing.flatMap(t -> BronzeTables.latest(t, BronzeTables.WATERMARK)).map(Instant::parse);
      if (high.isEmpty() || (stored.isPresent() && !high.get().isAfter(stored.get()))) {
        summary.put(source.target() + ".rows", 0L);
        summary.put(source.target() + ".millis", (System.nanoTime() - begin) / 1_000_000);
        return summary;
      }
      filter =
          "%s <= '%s'::timestamptz".formatted(quote(watermarkColumn), high.get())
              + stored
                  .map(s -> " AND %s > '%s'::timestamptz".formatted(quote(watermarkColumn), s))
                  .orElse("");
    }
    Dataset<Row> rows =
        spark
            .read()
            .format("jdbc")
            .option("url", url)
            .option("user", user)
            .option("password", password)
            .option("driver", "org.postgresql.Driver")
            .option("fetchsize", "10000")
            .option("dbtable", "(SELECT * FROM %s WHERE %s) AS src".formatted(sourceTable, filter))
            .load();
    Dataset<Row> bronze =
        BronzeTables.addRunColumns(
            rows.withColumn("_source", functions.lit("postgres:" + sourceTable))
                .withColumn("_source_offset", functions.lit(null).cast(DataTypes.LongType)),
            spec);
    BronzeTables.ensure(spark, target, BronzeTables.withMetadata(rows.schema()));
    bronze = bronze.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    long count = bronze.count();
    var writer =
        bronze
            .writeTo(target)
            .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.RUN_ID, spec.runId());
    if (high.isPresent()) {
      writer =
          writer.option(
              BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.WATERMARK, high.get().toString());
    }
    if (full) {
      writer.overwrite(functions.lit(true));
    } else {
      writer.append();
    }
    bronze.unpersist();
    Table written = BronzeTables.load(spark, target);
    summary.put(source.target() + ".rows", count);
    summary.put(source.target() + ".snapshot", written.currentSnapshot().snapshotId());
    high.ifPresent(h -> summary.put(source.target() + ".watermark", h.toString()));
    summary.put(source.target() + ".millis", (System.nanoTime() - begin) / 1_000_000);
    return summary;
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
