package io.floe.ingest;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;

/**
 * One PostgreSQL table into its bronze table.
 *
 * <p>Incremental mode reads {@code watermark > stored - lookback AND watermark <= high} where
 * {@code stored} is the watermark recorded in the bronze table's latest snapshot summary ({@value
 * BronzeTables#WATERMARK}) and {@code high} is the column's maximum captured before reading. The
 * new watermark {@code high} is committed in the same snapshot as the rows: a run that dies before
 * its commit leaves the stored watermark where it was (the next run rereads the same range), and a
 * committed run is never read again. The upper bound keeps rows that commit while the read runs out
 * of this run and in the next, instead of having the watermark jump past rows not yet seen.
 *
 * <p>The lookback covers the opposite race: a transaction that set its watermark value
 * (PostgreSQL's {@code now()} is the transaction's start) before {@code high} was taken but commits
 * after the read. Its row is below the stored watermark by the time it is visible, so every run
 * rereads the lookback window and drops the rows bronze already holds with the same primary key
 * (every column if the table has none) and watermark; each version still lands exactly once.
 *
 * <p>Full mode replaces the bronze table's content with the whole source table in one commit.
 */
final class JdbcIngest {
  private static final String HELD = "_held_";

  private JdbcIngest() {}

  static Map<String, Object> run(
      SparkSession spark, IngestSpec spec, IngestSpec.Source source, ConsumedLog consumed)
      throws Exception {
    long begin = System.nanoTime();
    String url = source.required("url");
    String user = source.optional("user", "");
    String password = source.optional("password", "");
    String sourceTable = source.required("table");
    String watermarkColumn = source.optional("watermark", "updated_at");
    boolean full = source.optional("mode", "incremental").equals("full");
    Duration lookback = Duration.ofMillis(Long.parseLong(source.optional("lookback-ms", "0")));
    String target = spec.table(source.target());

    Optional<Instant> high;
    List<String> primaryKey;
    try (Connection connection = DriverManager.getConnection(url, user, password);
        Statement statement = connection.createStatement();
        ResultSet max =
            statement.executeQuery(
                "SELECT max(%s) FROM %s".formatted(quote(watermarkColumn), sourceTable))) {
      max.next();
      OffsetDateTime value = max.getObject(1, OffsetDateTime.class);
      high = Optional.ofNullable(value).map(OffsetDateTime::toInstant);
      primaryKey = primaryKey(connection, sourceTable);
    }

    Map<String, Object> summary = new LinkedHashMap<>();
    String filter;
    Optional<Instant> stored = Optional.empty();
    Optional<Instant> from = Optional.empty();
    if (full) {
      filter = "TRUE";
    } else {
      Optional<Table> existing =
          spark.catalog().tableExists(target)
              ? Optional.of(BronzeTables.load(spark, target))
              : Optional.empty();
      if (existing.isPresent()) {
        Optional<Instant> summarized =
            BronzeTables.latest(existing.get(), BronzeTables.WATERMARK).map(Instant::parse);
        // the summaries of the snapshots kept, else the log once they expired: the later of both
        consumed.rememberWatermark(target, existing.get(), summarized);
        stored = consumed.watermark(target, existing.get());
      }
      boolean nothingNew =
          high.isEmpty()
              || (stored.isPresent() && !high.get().isAfter(stored.get()) && lookback.isZero());
      if (nothingNew) {
        return nothingRead(summary, source, begin);
      }
      from = stored.map(s -> s.minus(lookback));
      filter =
          "%s <= '%s'::timestamptz".formatted(quote(watermarkColumn), high.get())
              + from.map(s -> " AND %s > '%s'::timestamptz".formatted(quote(watermarkColumn), s))
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
    if (from.isPresent() && !lookback.isZero()) {
      rows = withoutHeldVersions(spark, rows, target, primaryKey, watermarkColumn, from.get());
    }
    Dataset<Row> bronze =
        BronzeTables.addRunColumns(
            rows.withColumn("_source", functions.lit("postgres:" + sourceTable))
                .withColumn("_source_offset", functions.lit(null).cast(DataTypes.LongType)),
            spec);
    BronzeTables.ensure(spark, target, BronzeTables.withMetadata(rows.schema()));
    bronze = bronze.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
    long count = bronze.count();
    if (count == 0 && !full) {
      // only the lookback window was read, and bronze holds all of it: no empty commit, and the
      // stored watermark stays, so the next run looks back from the same point
      bronze.unpersist();
      return nothingRead(summary, source, begin);
    }
    // the stored watermark never moves back (rows deleted upstream can lower the maximum)
    Optional<Instant> previous = stored;
    Optional<Instant> watermark = high.map(h -> previous.filter(s -> s.isAfter(h)).orElse(h));
    var writer =
        bronze
            .writeTo(target)
            .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.RUN_ID, spec.runId());
    if (watermark.isPresent()) {
      writer =
          writer.option(
              BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.WATERMARK, watermark.get().toString());
    }
    if (full) {
      writer.overwrite(functions.lit(true));
    } else {
      writer.append();
    }
    bronze.unpersist();
    Table written = BronzeTables.load(spark, target);
    if (!full) {
      consumed.rememberWatermark(target, written, watermark);
    }
    summary.put(source.target() + ".rows", count);
    summary.put(source.target() + ".snapshot", written.currentSnapshot().snapshotId());
    watermark.ifPresent(h -> summary.put(source.target() + ".watermark", h.toString()));
    summary.put(source.target() + ".millis", (System.nanoTime() - begin) / 1_000_000);
    return summary;
  }

  private static Map<String, Object> nothingRead(
      Map<String, Object> summary, IngestSpec.Source source, long begin) {
    summary.put(source.target() + ".rows", 0L);
    summary.put(source.target() + ".millis", (System.nanoTime() - begin) / 1_000_000);
    return summary;
  }

  /**
   * {@code rows} without the versions (key and watermark) that the bronze table already holds with
   * a watermark after {@code from}.
   */
  private static Dataset<Row> withoutHeldVersions(
      SparkSession spark,
      Dataset<Row> rows,
      String target,
      List<String> primaryKey,
      String watermarkColumn,
      Instant from) {
    List<String> match =
        new ArrayList<>(primaryKey.isEmpty() ? List.of(rows.columns()) : primaryKey);
    if (!match.contains(watermarkColumn)) {
      match.add(watermarkColumn);
    }
    Dataset<Row> held =
        spark
            .table(target)
            .filter(functions.col(watermarkColumn).gt(functions.lit(Timestamp.from(from))))
            .select(
                match.stream()
                    .map(c -> functions.col(c).as(HELD + c))
                    .toArray(org.apache.spark.sql.Column[]::new))
            .distinct();
    org.apache.spark.sql.Column same = functions.lit(true);
    for (String column : match) {
      same = same.and(rows.col(column).eqNullSafe(held.col(HELD + column)));
    }
    // the window is minutes of changes: broadcast it rather than shuffle both sides
    return rows.join(functions.broadcast(held), same, "left_anti");
  }

  /** The primary key columns of {@code schema.table}, in key order; empty if it has none. */
  private static List<String> primaryKey(Connection connection, String sourceTable)
      throws SQLException {
    int dot = sourceTable.indexOf('.');
    String schema = dot < 0 ? null : sourceTable.substring(0, dot);
    String table = sourceTable.substring(dot + 1);
    Map<Integer, String> columns = new TreeMap<>();
    try (ResultSet keys = connection.getMetaData().getPrimaryKeys(null, schema, table)) {
      while (keys.next()) {
        columns.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
      }
    }
    return List.copyOf(columns.values());
  }

  private static String quote(String identifier) {
    return "\"" + identifier.replace("\"", "\"\"") + "\"";
  }
}
