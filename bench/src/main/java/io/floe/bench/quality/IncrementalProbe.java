package io.floe.bench.quality;

import io.floe.catalog.Commits;
import io.floe.catalog.LogTables;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Types;

/**
 * Incremental checks alone, for profiling their fixed costs: a 1M-row table in 4 files, then per
 * round a 1% append and an incremental check of it, timed to the verdict and to the end of the
 * metric history commit. Usage: {@code IncrementalProbe <warehouse dir> <rounds>}. The table grows
 * by a snapshot and a manifest per round, so later rounds plan over more metadata.
 */
public final class IncrementalProbe {
  /** A log table like the metric history: 16 columns, partitioned by the checked table. */
  static final Schema LOG =
      new Schema(
          Types.NestedField.required(1, "evaluated_at", Types.TimestampType.withZone()),
          Types.NestedField.required(2, "table_name", Types.StringType.get()),
          Types.NestedField.required(3, "snapshot_id", Types.LongType.get()),
          Types.NestedField.optional(4, "ref", Types.StringType.get()),
          Types.NestedField.required(5, "suite_hash", Types.StringType.get()),
          Types.NestedField.required(6, "check_name", Types.StringType.get()),
          Types.NestedField.required(7, "check_type", Types.StringType.get()),
          Types.NestedField.required(8, "severity", Types.StringType.get()),
          Types.NestedField.required(9, "metric_name", Types.StringType.get()),
          Types.NestedField.optional(10, "metric", Types.DoubleType.get()),
          Types.NestedField.required(11, "threshold", Types.StringType.get()),
          Types.NestedField.required(12, "status", Types.StringType.get()),
          Types.NestedField.required(13, "source", Types.StringType.get()),
          Types.NestedField.required(14, "failing_rows", Types.LongType.get()),
          Types.NestedField.optional(15, "message", Types.StringType.get()),
          Types.NestedField.required(16, "published", Types.BooleanType.get()));

  public static void main(String[] args) throws Exception {
    if (args[0].equals("commit")) {
      commits(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    int rounds = Integer.parseInt(args[1]);
    catalog.createNamespace(Namespace.of("bench"));
    TableRef ref = new TableRef("bench", "facts");
    Table table =
        catalog.createTable(
            ref.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
    QualityBenchmark.generate(table, 0, 1_000_000, 4);
    Suite suite = QualityBenchmark.suite(ref);
    QualityGate.check(catalog, ref).suite(suite).config(QualityBenchmark.config()).execute();
    long appended = 1_000_000;
    double[] v = new double[rounds];
    double[] t = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      QualityBenchmark.generate(table, appended, 10_000, 1);
      appended += 10_000;
      long[] at = new long[1];
      long start = System.nanoTime();
      QualityGate.check(catalog, ref)
          .suite(suite)
          .config(QualityBenchmark.config())
          .incremental()
          .onVerdict(x -> at[0] = System.nanoTime())
          .execute();
      v[i] = (at[0] - start) / 1e6;
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    java.util.Arrays.sort(v);
    java.util.Arrays.sort(t);
    System.out.printf(
        "incremental to verdict: best %.1f ms median %.1f ms; with commit best %.1f median %.1f%n",
        v[0], v[rounds / 2], t[0], t[rounds / 2]);
  }

  /**
   * {@code commit <warehouse dir> <rounds>}: the history append alone, ten rows per append as one
   * evaluation of the 10-check suite writes, its data file in Avro and in Parquet alternately on
   * one table, so both formats see the same table size and machine load.
   */
  private static void commits(Path warehouse, int rounds) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(warehouse);
    catalog.createNamespace(Namespace.of("log"));
    Table table =
        catalog.createTable(
            org.apache.iceberg.catalog.TableIdentifier.of("log", "results"),
            LOG,
            PartitionSpec.builderFor(LOG).identity("table_name").build(),
            LogTables.PROPERTIES);
    Map<FileFormat, double[]> millis = new EnumMap<>(FileFormat.class);
    List<FileFormat> formats = List.of(FileFormat.AVRO, FileFormat.PARQUET);
    formats.forEach(f -> millis.put(f, new double[rounds]));
    for (int i = 0; i < 2 * rounds; i++) {
      FileFormat format = formats.get(i % 2);
      List<Record> rows = new ArrayList<>();
      for (int check = 0; check < 10; check++) {
        GenericRecord row = GenericRecord.create(LOG);
        row.setField("evaluated_at", OffsetDateTime.now(ZoneOffset.UTC));
        row.setField("table_name", "bench.facts");
        row.setField("snapshot_id", (long) i);
        row.setField("ref", "main");
        row.setField("suite_hash", "0123456789abcdef");
        row.setField("check_name", "check-" + check);
        row.setField("check_type", "row-count");
        row.setField("severity", "error");
        row.setField("metric_name", "metric-" + check);
        row.setField("metric", 1.0 * i);
        row.setField("threshold", ">= 0");
        row.setField("status", "PASS");
        row.setField("source", "SCAN");
        row.setField("failing_rows", 0L);
        row.setField("message", null);
        row.setField("published", false);
        rows.add(row);
      }
      long start = System.nanoTime();
      Commits.appendToLog(table, RecordFiles.write(table, rows, format));
      millis.get(format)[i / 2] = (System.nanoTime() - start) / 1e6;
    }
    for (FileFormat format : formats) {
      double[] times = millis.get(format);
      Arrays.sort(times);
      System.out.printf(
          "history append with a %s file: median %.2f ms, best %.2f ms (%d appends)%n",
          format, times[rounds / 2], times[0], rounds);
    }
  }
}
