package io.floe.bench.ingest;

import io.floe.bench.BenchStack;
import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.examples.EcommerceUpstream;
import io.floe.examples.Generator;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.stack.EmbeddedStack;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * What the JDBC lookback window costs: the example's PostgreSQL tables ingested into two bronze
 * namespaces side by side in the same runs, one with the default lookback and one with {@code
 * lookback: 0s}, for the first load, an incremental run after new and changed rows, and a run with
 * nothing new. Reports the summed per-table ingest time (inside the Spark job) of each and the
 * ratio. Starts its own S3 server, catalog and PostgreSQL/Kafka in a fresh home.
 *
 * <pre>
 * java -cp "$(cat target/runtime/...)" io.floe.bench.ingest.LookbackBench [orders] [home]
 * </pre>
 */
public final class LookbackBench {
  private LookbackBench() {}

  public static void main(String[] args) throws Exception {
    long orders = args.length > 0 ? Long.parseLong(args[0].replace("_", "")) : 20_000;
    Path home =
        args.length > 1 ? Path.of(args[1]) : Files.createTempDirectory("floe-lookback-bench-");
    FloeConfig config = BenchStack.withoutTrino(home);
    SparkJobLauncher launcher =
        new SparkJobLauncher(config.spark(), RuntimeLayout.discover(), home.resolve("logs/jobs"));
    String yaml;
    try (InputStream in =
        LookbackBench.class.getClassLoader().getResourceAsStream(PipelineConfig.DEFAULT_RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    PipelineConfig withLookback =
        PipelineConfig.parse("(lookback)", yaml, System::getenv).withBronzeNamespace("lookback");
    PipelineConfig without =
        PipelineConfig.parse(
                "(no lookback)",
                yaml.replace(
                    "      kind: postgres\n", "      kind: postgres\n      lookback: 0s\n"),
                System::getenv)
            .withBronzeNamespace("no_lookback");
    if (!without.postgres().get(0).lookback().isZero()) {
      throw new IllegalStateException("the no-lookback pipeline still has a lookback");
    }
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start();
        EcommerceUpstream upstream = EcommerceUpstream.start(home)) {
      Generator.ecommerce(upstream.endpoints(), stack.endpoints())
          .orders(orders)
          .defectRate(0.001)
          .generate();
      System.out.printf("%n== lookback bench: %,d orders, home %s%n", orders, home);
      compare("first load", stack, upstream, launcher, home, withLookback, without, true);
      Generator.ecommerce(upstream.endpoints(), stack.endpoints())
          .orders(Math.max(1, orders / 100))
          .defectRate(0.001)
          .generate();
      compare("incremental (+1%)", stack, upstream, launcher, home, withLookback, without, false);
      compare("nothing new", stack, upstream, launcher, home, withLookback, without, true);
    }
  }

  /** Runs both, in alternating order between phases so neither always gets the warmer machine. */
  private static void compare(
      String phase,
      EmbeddedStack stack,
      EcommerceUpstream upstream,
      SparkJobLauncher launcher,
      Path home,
      PipelineConfig withLookback,
      PipelineConfig without,
      boolean lookbackFirst)
      throws Exception {
    IngestReport a;
    IngestReport b;
    if (lookbackFirst) {
      a = ingest(stack, upstream, launcher, home, withLookback);
      b = ingest(stack, upstream, launcher, home, without);
    } else {
      b = ingest(stack, upstream, launcher, home, without);
      a = ingest(stack, upstream, launcher, home, withLookback);
    }
    long withMillis = tableMillis(a);
    long withoutMillis = tableMillis(b);
    System.out.printf(
        "%-20s lookback 5m: %,7d rows %6.1f s | lookback 0s: %,7d rows %6.1f s | ratio %.2f%n",
        phase,
        a.rows(),
        withMillis / 1000.0,
        b.rows(),
        withoutMillis / 1000.0,
        (double) withMillis / Math.max(1, withoutMillis));
  }

  private static IngestReport ingest(
      EmbeddedStack stack,
      EcommerceUpstream upstream,
      SparkJobLauncher launcher,
      Path home,
      PipelineConfig pipeline) {
    return IngestStage.of(pipeline, stack.endpoints(), launcher)
        .upstream(upstream.endpoints())
        .home(home)
        .sources(Set.of("shop"))
        .run();
  }

  private static long tableMillis(IngestReport report) {
    return report.tables().stream().mapToLong(t -> t.time().toMillis()).sum();
  }
}
