package io.floe.bench.ingest;

import io.floe.bench.BenchStack;
import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import io.floe.core.process.RuntimeLayout;
import io.floe.examples.EcommerceUpstream;
import io.floe.examples.GeneratedBatch;
import io.floe.examples.GeneratedTweets;
import io.floe.examples.Generator;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.pipeline.TableIngest;
import io.floe.stack.EmbeddedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;

/**
 * Wall time of the example's generation and ingest at a given scale on this machine, and the cost
 * of an Iceberg write over a plain Parquet write of the same bronze rows (measured side by side in
 * one Spark job). Starts its own S3 server, catalog, PostgreSQL and Kafka (no Trino) in a fresh
 * home, and stops them at the end.
 *
 * <p>Run by hand after {@code ./mvnw package -DskipTests}:
 *
 * <pre>
 * java -cp "$(cat target/runtime/...)" io.floe.bench.ingest.IngestBench [orders] [home]
 * </pre>
 */
public final class IngestBench {
  private IngestBench() {}

  public static void main(String[] args) throws Exception {
    long orders = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 100_000;
    Path home =
        args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("floe-ingest-bench-");
    FloeConfig config = BenchStack.withoutTrino(home);
    SparkJobLauncher launcher =
        new SparkJobLauncher(config.spark(), RuntimeLayout.discover(), home.resolve("logs/jobs"));
    long start = System.nanoTime();
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start();
        EcommerceUpstream upstream = EcommerceUpstream.start(home)) {
      Duration services = Duration.ofNanos(System.nanoTime() - start);
      GeneratedBatch batch =
          Generator.ecommerce(upstream.endpoints(), stack.endpoints())
              .orders(orders)
              .defectRate(0.001)
              .generate();
      long tweetsStart = System.nanoTime();
      GeneratedTweets tweets =
          Generator.tweets()
              .count(orders)
              .defectRate(0.001)
              .upload(stack.endpoints(), Generator.DEFAULT_TWEETS_KEY);
      Duration tweetsTime = Duration.ofNanos(System.nanoTime() - tweetsStart);
      IngestReport first =
          IngestStage.of(PipelineConfig.builtIn(), stack.endpoints(), launcher)
              .upstream(upstream.endpoints())
              .home(home)
              .run();
      GeneratedBatch second =
          Generator.ecommerce(upstream.endpoints(), stack.endpoints())
              .orders(Math.max(1, orders / 10))
              .defectRate(0.001)
              .generate();
      IngestReport incremental =
          IngestStage.of(PipelineConfig.builtIn(), stack.endpoints(), launcher)
              .upstream(upstream.endpoints())
              .home(home)
              .run();
      SparkJobResult overhead =
          launcher.run(
              new SparkJobSpec(
                  IngestStage.JOB_MODULE,
                  "io.floe.ingest.WriteOverheadJob",
                  List.of(
                      "--source", "bronze.order_items,bronze.clickstream",
                      "--rounds", "3",
                      "--dir", home.resolve("bench-scratch").toString())),
              stack.endpoints().sparkCatalogConf("floe"));

      System.out.printf("%n== ingest bench: %,d orders, 2 cores, home %s%n", orders, home);
      System.out.printf("services up (S3, catalog, PostgreSQL, Kafka): %s%n", services);
      System.out.printf(
          "generate batch 0: %s (%,d clickstream lines, %,d Kafka messages, rows %s)%n",
          batch.elapsed(),
          batch.clickstreamLines(),
          batch.inventoryMessages(),
          new TreeMap<>(batch.inserted()));
      System.out.printf(
          "generate tweets (%,d lines, %,d bytes): %s%n",
          tweets.lines(), tweets.bytes(), tweetsTime);
      print("ingest, first run", first);
      System.out.printf("generate batch 1 (%,d new orders): %s%n", orders / 10, second.elapsed());
      print("ingest, incremental run", incremental);
      System.out.println(
          "Iceberg vs Parquet writes (median of 3, ms): " + new TreeMap<>(overhead.summary()));
    }
  }

  private static void print(String title, IngestReport report) {
    System.out.printf(
        "%s: %s (Spark job wall time incl. JVM and session start)%n", title, report.elapsed());
    for (TableIngest table : report.tables()) {
      System.out.printf(
          "  %-28s rows %,10d  quarantined %,6d  %6.1f s%n",
          table.table(), table.rows(), table.quarantined(), table.time().toMillis() / 1000.0);
    }
  }
}
