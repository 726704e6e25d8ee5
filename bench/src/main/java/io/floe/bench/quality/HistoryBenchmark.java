package io.floe.bench.quality;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.quality.CheckResult;
import io.floe.quality.PublishResult;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.hadoop.HadoopCatalog;

/**
 * Anomaly checks against a long metric history: a table published {@code publishes} times through
 * the gate (each publish appends its results to the history), then checks of an anomaly of its row
 * count over the last 10 publishes, timed. The row count comes from the manifests, so the time is
 * mostly reading the history. Usage: {@code HistoryBenchmark <warehouse dir> <publishes>
 * [<rounds>]}; a second run with the same directory reuses the history.
 */
public final class HistoryBenchmark {
  private HistoryBenchmark() {}

  public static void main(String[] args) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    int publishes = Integer.parseInt(args[1]);
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    QualityBenchmark.benchNamespace(catalog);
    TableRef ref = new TableRef("bench", "history_orders_" + publishes);
    QualityConfig config =
        QualityBenchmark.config()
            .withTables(
                new TableRef("bench", "history_results_" + publishes),
                new TableRef("bench", "history_states_" + publishes));
    if (!catalog.tableExists(ref.toIdentifier())) {
      Table table =
          catalog.createTable(
              ref.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
      Suite rows = suite(ref, "- row-count: {min: 1}");
      long start = System.nanoTime();
      for (int i = 0; i < publishes; i++) {
        QualityBenchmark.generate(table, i * 10L, 10, 1);
        table.refresh();
        String branch = "audit_" + i;
        table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
        PublishResult published =
            QualityGate.publish(catalog, ref)
                .suite(rows)
                .config(config)
                .auditBranch(branch)
                .execute();
        if (published.outcome() != PublishResult.Outcome.PUBLISHED) {
          throw new IllegalStateException(published.message());
        }
      }
      System.out.printf("%d publishes in %.1f s%n", publishes, QualityBenchmark.seconds(start));
    }
    Suite anomaly = suite(ref, "- anomaly: {metric: row-count, sigma: 3, history: 10}");
    double[] seconds = new double[rounds];
    String message = "";
    for (int round = 0; round < rounds; round++) {
      long start = System.nanoTime();
      Verdict verdict = QualityGate.check(catalog, ref).suite(anomaly).config(config).execute();
      seconds[round] = QualityBenchmark.seconds(start);
      CheckResult result = verdict.results().get(0);
      message = result.status() + ": " + result.message();
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "anomaly check over the last 10 of %d publishes: best %.3f s, median %.3f s (%s)%n",
        publishes, sorted[0], sorted[rounds / 2], message);
  }

  private static Suite suite(TableRef ref, String check) {
    return Suites.parse(
        ref, ConfigNode.parse("history suite", "checks:\n  " + check + "\n", n -> null));
  }
}
