package io.floe.ingest;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * What each bronze table has consumed (the source files it took, the watermark it reached), kept in
 * a table of its own ({@value #TABLE}) so that snapshot expiry cannot make an ingest forget.
 *
 * <p>The record made atomically with the data stays the snapshot summary of the ingest commit
 * ({@link BronzeTables}). But a summary lives only as long as its snapshot: once maintenance
 * expires the snapshots that took some files, or the last one that holds the watermark, the next
 * run would read those files or that range again and land their rows twice. So each run also copies
 * into this log whatever its tables' summaries hold that the log lacks, and reads the union of
 * both. A run that dies between its commit and the log append loses nothing: the next run finds the
 * record in the summary (which expiry leaves for days) and copies it then.
 *
 * <p>One row per consumed file, and per watermark reached, of a table by name and UUID. Buffered,
 * and appended once per job ({@link #flush}). Sources ingested at once share one log.
 */
final class ConsumedLog {
  static final String NAMESPACE = "floe_ingest";
  static final String TABLE = NAMESPACE + ".consumed";
  static final String FILE = "file";
  static final String WATERMARK = "watermark";

  private static final StructType SCHEMA =
      new StructType()
          .add("target", DataTypes.StringType, false)
          .add("table_uuid", DataTypes.StringType, false)
          .add("kind", DataTypes.StringType, false)
          .add("value", DataTypes.StringType, false)
          .add("run_id", DataTypes.StringType, false)
          .add("recorded_at", DataTypes.TimestampType, false);

  private final SparkSession spark;
  private final String runId;
  private final Map<String, Set<String>> files = new HashMap<>();
  private final Map<String, Instant> watermarks = new HashMap<>();
  private final List<Row> pending = new ArrayList<>();

  private ConsumedLog(SparkSession spark, String runId) {
    this.spark = spark;
    this.runId = runId;
  }

  /** The log's rows for {@code targets}, creating the table on first use. */
  static ConsumedLog open(SparkSession spark, String runId, Collection<String> targets) {
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + NAMESPACE);
    // a log table to Floe's maintenance (the key of io.floe.catalog.LogTables, which this module
    // cannot depend on): its snapshots expire after an hour; its rows have no retention
    spark.sql(
        ("CREATE TABLE IF NOT EXISTS %s (%s) USING iceberg"
                + " TBLPROPERTIES ('format-version' = '2', 'floe.table-kind' = 'log')")
            .formatted(TABLE, SCHEMA.toDDL()));
    ConsumedLog log = new ConsumedLog(spark, runId);
    List<Row> rows =
        spark
            .table(TABLE)
            .where(functions.col("target").isin(targets.toArray()))
            .select("target", "table_uuid", "kind", "value")
            .collectAsList();
    for (Row row : rows) {
      log.add(key(row.getString(0), row.getString(1)), row.getString(2), row.getString(3));
    }
    return log;
  }

  /**
   * Rows apply to a table by its name and its UUID: a table dropped and created again under the
   * same name starts from nothing, as its own snapshots do.
   */
  private static String key(String target, String tableUuid) {
    return target + "|" + tableUuid;
  }

  private static String key(String target, Table table) {
    return key(target, table.uuid().toString());
  }

  private void add(String key, String kind, String value) {
    if (kind.equals(FILE)) {
      files.computeIfAbsent(key, k -> new HashSet<>()).add(value);
    } else if (kind.equals(WATERMARK)) {
      watermarks.merge(key, Instant.parse(value), (a, b) -> a.isAfter(b) ? a : b);
    }
  }

  /** The files {@code table} (named {@code target}) took, as far as the log knows. */
  synchronized Set<String> files(String target, Table table) {
    return Set.copyOf(files.getOrDefault(key(target, table), Set.of()));
  }

  /** The highest watermark {@code table} reached, as far as the log knows. */
  synchronized Optional<Instant> watermark(String target, Table table) {
    return Optional.ofNullable(watermarks.get(key(target, table)));
  }

  /** Records the files among {@code taken} that the log does not hold yet. */
  synchronized void rememberFiles(String target, Table table, Collection<String> taken) {
    Set<String> known = files.computeIfAbsent(key(target, table), k -> new HashSet<>());
    for (String file : taken) {
      if (known.add(file)) {
        pending.add(row(target, table, FILE, file));
      }
    }
  }

  /** Records {@code reached} unless the log holds that watermark or a later one. */
  synchronized void rememberWatermark(String target, Table table, Optional<Instant> reached) {
    Optional<Instant> known = watermark(target, table);
    if (reached.isEmpty() || known.filter(w -> !w.isBefore(reached.get())).isPresent()) {
      return;
    }
    watermarks.put(key(target, table), reached.get());
    pending.add(row(target, table, WATERMARK, reached.get().toString()));
  }

  private Row row(String target, Table table, String kind, String value) {
    return RowFactory.create(
        target, table.uuid().toString(), kind, value, runId, Timestamp.from(Instant.now()));
  }

  /** Appends what was remembered since the last flush, in one commit; returns the rows written. */
  synchronized int flush() throws Exception {
    if (pending.isEmpty()) {
      return 0;
    }
    int written = pending.size();
    spark
        .createDataFrame(pending, SCHEMA)
        .writeTo(TABLE)
        .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.RUN_ID, runId)
        .append();
    pending.clear();
    return written;
  }
}
