package io.floe.bench.quality;

import io.floe.catalog.Commits;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;

/**
 * Incremental checks alone, for profiling their fixed costs: a 1M-row table in 4 files, then per
 * round a 1% append and an incremental check of it, timed to the verdict and to the end of the
 * metric history commit. Usage: {@code IncrementalProbe <warehouse dir> <rounds>}. The table grows
 * by a snapshot and a manifest per round, so later rounds plan over more metadata.
 */
public final class IncrementalProbe {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("commit")) {
      commits(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    int rounds = Integer.parseInt(args[1]);
    Table table = checkedTable(catalog, 1_000_000, 4);
    Suite suite = QualityBenchmark.suite(FACTS);
    long appended = 1_000_000;
    double[] v = new double[rounds];
    double[] t = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      QualityBenchmark.generate(table, appended, 10_000, 1);
      appended += 10_000;
      long[] at = new long[1];
      long start = System.nanoTime();
      QualityGate.check(catalog, FACTS)
          .suite(suite)
          .config(QualityBenchmark.config())
          .incremental()
          .onVerdict(x -> at[0] = System.nanoTime())
          .execute();
      v[i] = (at[0] - start) / 1e6;
      t[i] = (System.nanoTime() - start) / 1e6;
    }
    Arrays.sort(v);
    Arrays.sort(t);
    System.out.printf(
        "incremental to verdict: best %.1f ms median %.1f ms; with commit best %.1f median %.1f%n",
        v[0], v[rounds / 2], t[0], t[rounds / 2]);
  }

  private static final TableRef FACTS = new TableRef("bench", "facts");

  /** The fact table of {@code rows} rows in {@code files} files, checked once in full. */
  private static Table checkedTable(HadoopCatalog catalog, long rows, int files) throws Exception {
    catalog.createNamespace(Namespace.of(FACTS.namespace()));
    Table table =
        catalog.createTable(
            FACTS.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
    QualityBenchmark.generate(table, 0, rows, files);
    QualityGate.check(catalog, FACTS)
        .suite(QualityBenchmark.suite(FACTS))
        .config(QualityBenchmark.config())
        .execute();
    return table;
  }

  /**
   * {@code commit <warehouse dir> <rounds>}: the history append alone, of the rows one evaluation
   * of the 10-check suite wrote, with its data file in Avro and in Parquet alternately on the
   * metric history table itself, so both formats see the same table size and machine load.
   */
  private static void commits(Path warehouse, int rounds) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(warehouse);
    checkedTable(catalog, 100_000, 1);
    Table results = catalog.loadTable(QualityBenchmark.config().resultsTable().toIdentifier());
    List<Record> evaluation = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(results).build()) {
      rows.forEach(row -> evaluation.add(row.copy()));
    }
    Map<FileFormat, double[]> millis = new EnumMap<>(FileFormat.class);
    List<FileFormat> formats = List.of(FileFormat.AVRO, FileFormat.PARQUET);
    formats.forEach(f -> millis.put(f, new double[rounds]));
    for (int i = 0; i < 2 * rounds; i++) {
      FileFormat format = formats.get(i % 2);
      long start = System.nanoTime();
      Commits.appendToLog(results, RecordFiles.write(results, evaluation, format));
      millis.get(format)[i / 2] = (System.nanoTime() - start) / 1e6;
    }
    for (FileFormat format : formats) {
      double[] times = millis.get(format);
      Arrays.sort(times);
      System.out.printf(
          "history append of %d rows with a %s file: median %.2f ms, best %.2f ms (%d appends)%n",
          evaluation.size(), format, times[rounds / 2], times[0], rounds);
    }
  }
}
