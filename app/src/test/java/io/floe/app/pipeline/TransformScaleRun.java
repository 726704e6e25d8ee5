package io.floe.app.pipeline;

import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.stack.EmbeddedStack;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * Run by hand (not a test): times the e-commerce transform on an embedded stack at a given number
 * of orders, then the incremental rerun after 1% more orders, then a rerun with nothing new.
 *
 * <p>{@code ./mvnw -pl app exec:java -Dexec.classpathScope=test
 * -Dexec.mainClass=io.floe.app.pipeline.TransformScaleRun -Dexec.args=100000}
 */
public final class TransformScaleRun {
  private TransformScaleRun() {}

  public static void main(String[] args) throws Exception {
    int orders = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "floe-scale-");
    FloeConfig config =
        FloeConfig.parse(
                "(scale run)",
                "catalog: {port: 0}\nstorage: {port: 0}\ntrino: {port: 0, heap: 2G}\n"
                    + "spark: {master: 'local[2]', driver-memory: 2g}\n",
                System::getenv,
                home)
            .withHome(home);
    PrintWriter out = new PrintWriter(System.out, true);
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start();
        RESTCatalog catalog = stack.endpoints().catalogConnection().open("scale")) {
      TransformStage.Namespaces namespaces = new TransformStage.Namespaces("sb", "ss", "sg");
      Duration spacing = Duration.ofMinutes(1);
      long begin = System.nanoTime();
      ShopData.Batch batch = new ShopData().newBatch();
      ShopData.catalog(batch, 1000, 10_000, 100);
      ShopData.orders(batch, 1, orders, 1000, 10_000, 100, spacing);
      batch.writeTo(writer(catalog, namespaces, "scale_1"));
      out.printf("bronze written (%d orders) in %.1f s%n", orders, seconds(begin));

      SparkJobLauncher launcher =
          new SparkJobLauncher(
              config.spark(), RuntimeLayout.discover(), home.resolve("logs").resolve("jobs"));
      Pipeline pipeline =
          Pipeline.named("ecommerce")
              .stage(
                  new TransformStage(
                      TransformStage.Kind.ECOMMERCE,
                      namespaces,
                      launcher,
                      stack.endpoints().sparkCatalogConf("floe")))
              .stage(new PublishStage(Publisher.fastForward(catalog), catalog))
              .build();
      PipelineSummary first = pipeline.run("scale1", Progress.to(out));
      first.print(out, stack.endpoints().trinoJdbcUrl(), stack.endpoints().trinoUser(), List.of());

      ShopData.Batch more = new ShopData().newBatch();
      ShopData.orders(more, orders + 1, orders + orders / 100, 1000, 10_000, 100, spacing);
      more.writeTo(writer(catalog, namespaces, "scale_2"));
      PipelineSummary second = pipeline.run("scale2", Progress.to(out));
      PipelineSummary third = pipeline.run("scale3", Progress.to(out));
      out.printf(
          "transform at %d orders: full %.1f s, +1%% incremental %.1f s, nothing new %.1f s%n",
          orders, secondsOf(first), secondsOf(second), secondsOf(third));
    }
  }

  private static BronzeWriter writer(
      RESTCatalog catalog, TransformStage.Namespaces ns, String run) {
    return new BronzeWriter(catalog, ns.bronze(), run, OffsetDateTime.now(ZoneOffset.UTC));
  }

  private static double secondsOf(PipelineSummary summary) {
    return summary.stage("transform-ecommerce").duration().toMillis() / 1000.0;
  }

  private static double seconds(long begin) {
    return (System.nanoTime() - begin) / 1e9;
  }
}
