package io.floe.ingest;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * A Kafka topic of JSON messages into a bronze table and its quarantine table with Structured
 * Streaming, exactly once.
 *
 * <p>The checkpoint records which offsets each micro-batch covers; a batch that was written but not
 * yet marked done in the checkpoint is replayed after a restart with the same id and the same
 * offsets. Each table's commit records {@value BronzeTables#STREAM_CHECKPOINT} and {@value
 * BronzeTables#STREAM_BATCH} in its snapshot summary, and a replayed batch that a table already
 * holds is skipped for that table. So every message lands once, whatever moment the job dies.
 *
 * <p>{@code available-now} drains what the topic holds and stops; {@code continuous} runs a
 * micro-batch every interval until stopped (or for {@code run-for-ms}, for tests and bounded runs).
 */
final class KafkaIngest {
  private KafkaIngest() {}

  static Map<String, Object> run(SparkSession spark, IngestSpec spec, IngestSpec.Source source)
      throws Exception {
    long begin = System.nanoTime();
    List<ColumnSpec> columns = ColumnSpec.parseAll(source.required("columns"));
    StructType declared = ColumnSpec.struct(columns);
    String target = spec.table(source.target());
    String quarantineTarget = spec.table(source.target() + "_quarantine");
    String checkpoint = source.required("checkpoint");
    String topic = source.required("topic");
    BronzeTables.ensure(spark, target, BronzeTables.withMetadata(declared));
    BronzeTables.ensure(spark, quarantineTarget, BronzeTables.QUARANTINE);

    AtomicLong rows = new AtomicLong();
    AtomicLong quarantined = new AtomicLong();
    AtomicLong batches = new AtomicLong();
    AtomicLong skipped = new AtomicLong();
    RecordParser parser = new RecordParser(columns, RecordParser.Format.JSONL);
    StructType parsedSchema =
        declared
            .add("_raw", DataTypes.StringType)
            .add("_reason", DataTypes.StringType)
            .add("_source", DataTypes.StringType)
            .add("_source_offset", DataTypes.LongType);

    VoidFunction2<Dataset<Row>, Long> writeBatch =
        (batch, batchId) -> {
          Dataset<Row> parsed =
              batch
                  .mapPartitions(
                      (MapPartitionsFunction<Row, Row>) messages -> parseMessages(messages, parser),
                      Encoders.row(parsedSchema))
                  .persist(StorageLevel.MEMORY_AND_DISK());
          try {
            Dataset<Row> bad =
                BronzeTables.addRunColumns(
                        parsed.filter(functions.col("_reason").isNotNull()), spec)
                    .select(
                        functions.col("_raw").as("raw"),
                        functions.col("_reason").as("reason"),
                        functions.col("_source"),
                        functions.col("_source_offset"),
                        functions.col("_ingest_run_id"),
                        functions.col("_ingested_at"));
            Dataset<Row> good =
                BronzeTables.addRunColumns(parsed.filter(functions.col("_reason").isNull()), spec)
                    .select(BronzeTables.columns(BronzeTables.withMetadata(declared)));
            // quarantine first: the data table holding a batch means the batch is complete
            long badCount =
                writeOnce(spark, quarantineTarget, bad, spec, checkpoint, batchId, skipped);
            long goodCount = writeOnce(spark, target, good, spec, checkpoint, batchId, skipped);
            rows.addAndGet(goodCount);
            quarantined.addAndGet(badCount);
            batches.incrementAndGet();
          } finally {
            parsed.unpersist();
          }
        };

    boolean availableNow = source.optional("trigger", "available-now").equals("available-now");
    long intervalMs = Long.parseLong(source.optional("interval-ms", "10000"));
    StreamingQuery query =
        spark
            .readStream()
            .format("kafka")
            .option("kafka.bootstrap.servers", source.required("bootstrap"))
            .option("subscribe", topic)
            .option("startingOffsets", source.optional("starting-offsets", "earliest"))
            .load()
            .selectExpr("CAST(value AS STRING) AS value", "topic", "partition", "offset")
            .writeStream()
            .queryName("floe-" + source.target())
            .option("checkpointLocation", checkpoint)
            .trigger(
                availableNow
                    ? Trigger.AvailableNow()
                    : Trigger.ProcessingTime(intervalMs, TimeUnit.MILLISECONDS))
            .foreachBatch(writeBatch)
            .start();
    long runFor = Long.parseLong(source.optional("run-for-ms", "0"));
    if (availableNow || runFor <= 0) {
      query.awaitTermination();
    } else if (!query.awaitTermination(runFor)) {
      query.stop();
    }
    if (query.exception().isDefined()) {
      throw query.exception().get();
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    String prefix = source.target() + ".";
    summary.put(prefix + "rows", rows.get());
    summary.put(prefix + "quarantined", quarantined.get());
    summary.put(prefix + "batches", batches.get());
    summary.put(prefix + "replayed-batch-writes-skipped", skipped.get());
    Table table = BronzeTables.load(spark, target);
    if (table.currentSnapshot() != null) {
      summary.put(prefix + "snapshot", table.currentSnapshot().snapshotId());
    }
    summary.put(prefix + "millis", (System.nanoTime() - begin) / 1_000_000);
    return summary;
  }

  /**
   * Appends {@code rows} to {@code table} for micro-batch {@code batchId} unless the table already
   * holds that batch of this checkpoint; returns the rows written.
   */
  private static long writeOnce(
      SparkSession spark,
      String table,
      Dataset<Row> rows,
      IngestSpec spec,
      String checkpoint,
      long batchId,
      AtomicLong skipped)
      throws Exception {
    Table iceberg = BronzeTables.load(spark, table);
    Snapshot last =
        BronzeTables.latestWith(iceberg, BronzeTables.STREAM_CHECKPOINT, checkpoint).orElse(null);
    if (last != null && Long.parseLong(last.summary().get(BronzeTables.STREAM_BATCH)) >= batchId) {
      skipped.incrementAndGet();
      return 0;
    }
    long count = rows.count();
    if (count == 0) {
      return 0;
    }
    rows.writeTo(table)
        .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.RUN_ID, spec.runId())
        .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.STREAM_CHECKPOINT, checkpoint)
        .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.STREAM_BATCH, Long.toString(batchId))
        .append();
    return count;
  }

  private static Iterator<Row> parseMessages(Iterator<Row> messages, RecordParser parser) {
    return new Iterator<>() {
      @Override
      public boolean hasNext() {
        return messages.hasNext();
      }

      @Override
      public Row next() {
        Row message = messages.next();
        String value = message.isNullAt(0) ? "" : message.getString(0);
        String source = "kafka:" + message.getString(1) + "/" + message.getInt(2);
        return FileIngest.toRow(
            parser.parse(value), value, source, message.getLong(3), parser.width());
      }
    };
  }
}
