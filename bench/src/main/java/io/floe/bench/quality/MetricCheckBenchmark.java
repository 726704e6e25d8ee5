package io.floe.bench.quality;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
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
 * Change and anomaly checks in write-audit-publish: a table of {@code rows} rows in {@code files}
 * files on main, then per round an audit branch from main with a 1% append, checked incrementally
 * with a suite of plain checks and with the same suite plus a change and an anomaly check of its
 * mean, then fast-forwarded into main. Usage: {@code MetricCheckBenchmark <warehouse dir> <rows>
 * <files> [<rounds>]}; two warm-up rounds come first.
 */
public final class MetricCheckBenchmark {
  private MetricCheckBenchmark() {}

  static final String PLAIN =
      """
      - row-count: {min: 1}
      - unique: order_id
      - not-null: [buyer_id]
      - mean: {column: revenue, max: 100000}
      """;

  static final String METRICS =
      """
      - change: {metric: mean, column: revenue, max-delta-pct: 50}
      - anomaly: {metric: mean, column: revenue, sigma: 3, history: 10}
      """;

  public static void main(String[] args) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    long rows = Long.parseLong(args[1]);
    int files = Integer.parseInt(args[2]);
    int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
    QualityBenchmark.benchNamespace(catalog);
    TableRef ref = new TableRef("bench", "metric_orders_" + rows + "_" + files);
    Table table =
        catalog.createTable(
            ref.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
    long start = System.nanoTime();
    QualityBenchmark.generate(table, 0, rows, files, "main");
    System.out.printf(
        "generated %,d rows in %d files in %.1f s%n", rows, files, QualityBenchmark.seconds(start));
    Suite plain = suite(ref, PLAIN);
    Suite withMetrics = suite(ref, PLAIN + METRICS);
    // main audited once in full, as a first publish is
    QualityGate.check(catalog, ref).suite(withMetrics).config(QualityBenchmark.config()).execute();

    int warmups = 2;
    double[] plainSeconds = new double[rounds];
    double[] metricSeconds = new double[rounds];
    long appended = rows;
    Verdict last = null;
    for (int round = 0; round < warmups + rounds; round++) {
      table.refresh();
      String branch = "audit_" + round;
      table.manageSnapshots().createBranch(branch, table.currentSnapshot().snapshotId()).commit();
      QualityBenchmark.generate(table, appended, rows / 100, Math.max(1, files / 100), branch);
      appended += rows / 100;
      long begin = System.nanoTime();
      check(catalog, ref, plain, branch);
      double plainTime = QualityBenchmark.seconds(begin);
      begin = System.nanoTime();
      last = check(catalog, ref, withMetrics, branch);
      double metricTime = QualityBenchmark.seconds(begin);
      if (round >= warmups) {
        plainSeconds[round - warmups] = plainTime;
        metricSeconds[round - warmups] = metricTime;
      }
      table.manageSnapshots().fastForwardBranch("main", branch).commit();
    }
    Arrays.sort(plainSeconds);
    Arrays.sort(metricSeconds);
    System.out.printf(
        "incremental check of an audit branch after a 1%% append (best / median of %d rounds):"
            + " %d plain checks %.3f / %.3f s; with a change and an anomaly check of the mean"
            + " %.3f / %.3f s%n",
        rounds,
        plain.checks().size(),
        plainSeconds[0],
        plainSeconds[rounds / 2],
        metricSeconds[0],
        metricSeconds[rounds / 2]);
    last.results()
        .forEach(
            r ->
                System.out.printf(
                    "  %-28s %-14s %-11s %s%n",
                    r.check().name(), r.status(), r.source(), r.message()));
  }

  private static Verdict check(HadoopCatalog catalog, TableRef ref, Suite suite, String branch) {
    return QualityGate.check(catalog, ref)
        .suite(suite)
        .config(QualityBenchmark.config())
        .branch(branch)
        .incremental()
        .execute();
  }

  private static Suite suite(TableRef ref, String checks) {
    String yaml = "checks:\n" + checks.lines().map(l -> "  " + l + "\n").reduce("", String::concat);
    return Suites.parse(ref, ConfigNode.parse("metric check suite", yaml, n -> null));
  }
}
