package io.floe.bench.quality;

import io.floe.catalog.TableRef;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import java.nio.file.Path;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * Incremental checks alone, for profiling their fixed costs: a 1M-row table in 4 files, then per
 * round a 1% append and an incremental check of it, timed to the verdict and to the end of the
 * metric history commit. Usage: {@code IncrementalProbe <warehouse dir> <rounds>}. The table grows
 * by a snapshot and a manifest per round, so later rounds plan over more metadata.
 */
public final class IncrementalProbe {
  public static void main(String[] args) throws Exception {
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
}
