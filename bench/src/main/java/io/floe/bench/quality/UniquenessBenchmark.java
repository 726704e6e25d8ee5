package io.floe.bench.quality;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.quality.CheckResult;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * Full uniqueness checks of a large table, timed, with the heap's peak during each: whether the
 * keys' hashes fit the heap, and what hashing them in slices costs. The table holds unique order
 * ids ({@code clean}) or the same rows appended twice ({@code twice}, a load run twice: every key
 * is a duplicate). Usage: {@code UniquenessBenchmark <warehouse dir> <rows> <files> <clean|twice>
 * [<rounds>]}, with {@code -Dbench.keyMemory=<bytes>} for {@code quality.key-memory} (unset: half
 * the heap).
 */
public final class UniquenessBenchmark {
  private UniquenessBenchmark() {}

  public static void main(String[] args) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    long rows = Long.parseLong(args[1]);
    int files = Integer.parseInt(args[2]);
    boolean twice = args[3].equals("twice");
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 3;
    QualityBenchmark.benchNamespace(catalog);
    TableRef ref = new TableRef("bench", "keys_" + rows + "_" + files + "_" + args[3]);
    if (!catalog.tableExists(ref.toIdentifier())) {
      Table table =
          catalog.createTable(
              ref.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
      if (twice) {
        QualityBenchmark.generate(table, 0, rows / 2, files / 2);
        QualityBenchmark.generate(table, 0, rows / 2, files / 2);
      } else {
        QualityBenchmark.generate(table, 0, rows, files);
      }
      if (args[3].equals("few")) {
        QualityBenchmark.generate(table, 0, 100, 1);
      }
    }
    Suite suite =
        Suites.parse(
            ref,
            ConfigNode.parse(
                "benchmark suite",
                "checks:\n  - unique: order_id\n  - unique: [buyer_id, order_id]\n",
                name -> null));
    QualityConfig config = QualityBenchmark.keyMemoryConfig();
    double[] seconds = new double[rounds];
    long[] peaks = new long[rounds];
    for (int round = 0; round < rounds; round++) {
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      Verdict verdict = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
      seconds[round] = (System.nanoTime() - start) / 1e9;
      peaks[round] = ReferenceBenchmark.heapPeak() >> 20;
      CheckResult orders = verdict.result("unique(order_id)").orElseThrow();
      System.out.printf(
          "round %d: %.2f s, heap peak %d MB; unique(order_id) %s, %,d failing rows: %s%n",
          round,
          seconds[round],
          peaks[round],
          orders.status(),
          orders.failingRows(),
          orders.message());
    }
    Arrays.sort(seconds);
    Arrays.sort(peaks);
    System.out.printf(
        "uniqueness of %,d rows in %d files (%s), max heap %d MB, key memory %s: best %.2f s,"
            + " median %.2f s, heap peak median %d MB%n",
        rows,
        files,
        args[3],
        Runtime.getRuntime().maxMemory() >> 20,
        config.keyMemory() == 0 ? "half the heap" : (config.keyMemory() >> 20) + " MB",
        seconds[0],
        seconds[rounds / 2],
        peaks[rounds / 2]);
  }
}
