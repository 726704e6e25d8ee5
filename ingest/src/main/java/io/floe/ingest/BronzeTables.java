package io.floe.ingest;

import java.sql.Timestamp;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Bronze tables and what their snapshots remember: each ingest commit records, in its snapshot
 * summary, the run that wrote it and what it consumed (watermark, files, stream batch), so the
 * record is committed atomically with the data.
 */
final class BronzeTables {
  /** Same key as {@code io.floe.catalog.Refs.SUMMARY_RUN_ID} (this module cannot depend on it). */
  static final String RUN_ID = "floe.run-id";

  static final String WATERMARK = "floe.watermark";
  static final String SOURCE_FILES = "floe.source-files";
  static final String STREAM_CHECKPOINT = "floe.stream-checkpoint";
  static final String STREAM_BATCH = "floe.stream-batch";
  static final String SNAPSHOT_PROPERTY = "snapshot-property.";

  static final StructType QUARANTINE =
      new StructType()
          .add("raw", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("_source", DataTypes.StringType)
          .add("_source_offset", DataTypes.LongType)
          .add("_ingest_run_id", DataTypes.StringType)
          .add("_ingested_at", DataTypes.TimestampType);

  private BronzeTables() {}

  /** {@code columns} plus the ingest metadata columns of the data contract. */
  static StructType withMetadata(StructType columns) {
    return columns
        .asNullable()
        .add("_ingest_run_id", DataTypes.StringType)
        .add("_ingested_at", DataTypes.TimestampType)
        .add("_source", DataTypes.StringType)
        .add("_source_offset", DataTypes.LongType);
  }

  /** Adds the metadata columns to rows that have {@code _source} and {@code _source_offset}. */
  static Dataset<Row> addRunColumns(Dataset<Row> rows, IngestSpec spec) {
    return rows.withColumn("_ingest_run_id", functions.lit(spec.runId()))
        .withColumn("_ingested_at", functions.lit(Timestamp.from(spec.ingestedAt())));
  }

  /** Creates the table (format v2) unless it exists, and loads it fresh. */
  static Table ensure(SparkSession spark, String table, StructType schema) throws Exception {
    if (!spark.catalog().tableExists(table)) {
      spark.sql(
          "CREATE TABLE IF NOT EXISTS %s (%s) USING iceberg TBLPROPERTIES ('format-version' = '2')"
              .formatted(table, schema.toDDL()));
    }
    return load(spark, table);
  }

  static Table load(SparkSession spark, String table) throws Exception {
    Table loaded = Spark3Util.loadIcebergTable(spark, table);
    loaded.refresh();
    return loaded;
  }

  /** The newest value of a summary key among the current snapshot and its ancestors. */
  static Optional<String> latest(Table table, String key) {
    for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
      String value = snapshot.summary().get(key);
      if (value != null) {
        return Optional.of(value);
      }
    }
    return Optional.empty();
  }

  /** The newest snapshot whose summary has {@code key} = {@code value}. */
  static Optional<Snapshot> latestWith(Table table, String key, String value) {
    for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
      if (value.equals(snapshot.summary().get(key))) {
        return Optional.of(snapshot);
      }
    }
    return Optional.empty();
  }

  /** Every line of a newline-separated summary value, over all ancestors. */
  static Set<String> allLines(Table table, String key) {
    Set<String> values = new LinkedHashSet<>();
    for (Snapshot snapshot : SnapshotUtil.currentAncestors(table)) {
      String value = snapshot.summary().get(key);
      if (value != null) {
        value.lines().filter(line -> !line.isEmpty()).forEach(values::add);
      }
    }
    return values;
  }

  static Column[] columns(StructType schema) {
    return java.util.Arrays.stream(schema.fieldNames()).map(functions::col).toArray(Column[]::new);
  }
}
