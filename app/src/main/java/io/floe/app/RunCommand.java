package io.floe.app;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.app.pipeline.Pipeline;
import io.floe.app.pipeline.PipelineSummary;
import io.floe.app.pipeline.Progress;
import io.floe.app.pipeline.PublishStage;
import io.floe.app.pipeline.Publisher;
import io.floe.app.pipeline.Stage;
import io.floe.app.pipeline.StageOutcome;
import io.floe.app.pipeline.TransformStage;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.examples.EcommerceUpstream;
import io.floe.examples.GeneratedBatch;
import io.floe.examples.Generator;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.pipeline.TableIngest;
import io.floe.quality.QualityConfig;
import io.floe.stack.StackEndpoints;
import io.floe.trino.InterfaceViews;
import io.floe.trino.ViewSyncResult;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The main job: the e-commerce pipeline once, end to end. Starts the stack and the example's
 * upstreams when needed, generates upstream data (the full data set on the first run, a new batch
 * of orders and changes after that), ingests it into bronze, transforms it into silver and gold on
 * an audit branch, publishes through the quality gate, refreshes the interface views, and sums up.
 */
@Command(
    name = "run",
    description =
        "Run the e-commerce pipeline end to end (generate, ingest, transform, publish through the"
            + " quality gate, refresh views) and print where to query it.")
final class RunCommand implements Callable<Integer> {
  static final String CATALOG_NAME = "floe";
  static final Set<String> ECOMMERCE_SOURCES = Set.of("shop", "clickstream", "inventory");

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("'r'yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Option(
      names = "--orders",
      defaultValue = "100000",
      description =
          "Orders the first run generates; later runs add 1%% of this (default: ${DEFAULT-VALUE}).")
  long orders;

  @Option(
      names = "--defect-rate",
      defaultValue = "0",
      description =
          "Fraction of upstream records generated with known defects (duplicates, nulls, bad"
              + " values, malformed lines) (default: ${DEFAULT-VALUE}).")
  double defectRate;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig config = floe.options.load();
    if (orders < 1) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "--orders must be at least 1");
    }
    if (defectRate < 0 || defectRate > 0.5) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "--defect-rate must be between 0 and 0.5");
    }
    Path home = config.home().toAbsolutePath();
    out.print("[stack] ");
    StackEndpoints endpoints = StackAccess.startIfNeeded(config, floe.options, out);
    SparkJobLauncher launcher =
        new SparkJobLauncher(
            config.spark(), RuntimeLayout.discover(), home.resolve("logs").resolve("jobs"));
    PipelineConfig pipelineConfig = PipelineConfig.of(config);
    Catalog catalog = endpoints.catalogConnection().open(CATALOG_NAME);
    String runId = RUN_ID.format(Instant.now()).toLowerCase(Locale.ROOT);

    out.println("[upstream] starting PostgreSQL and Kafka for the example ...");
    out.flush();
    try (EcommerceUpstream upstream = EcommerceUpstream.start(home.resolve("upstream"))) {
      Pipeline pipeline =
          Pipeline.named("ecommerce")
              .stage(generate(upstream, endpoints))
              .stage(ingest(pipelineConfig, endpoints, launcher, upstream, home, runId))
              .stage(
                  new TransformStage(
                      TransformStage.Kind.ECOMMERCE,
                      TransformStage.Namespaces.layers(),
                      launcher,
                      endpoints.sparkCatalogConf(CATALOG_NAME)))
              .stage(
                  new PublishStage(
                      Publisher.qualityGate(
                          catalog,
                          ExampleSuites.withExamples(config),
                          QualityConfig.from(config),
                          home.resolve("reports")),
                      catalog))
              .stage(views(config, endpoints))
              .build();
      PipelineSummary summary = pipeline.run(runId, Progress.to(out));
      out.println();
      summary.print(
          out,
          endpoints.trinoJdbcUrl(),
          endpoints.trinoUser(),
          List.of(
              "SELECT * FROM %s.interface.order_report ORDER BY day DESC LIMIT 10;"
                  .formatted(endpoints.trinoCatalog()),
              "SELECT * FROM %s.interface.category_report ORDER BY day DESC, avg_revenue DESC LIMIT 10;"
                  .formatted(endpoints.trinoCatalog())));
      out.println("Stack status: ./floe status   Stop: ./floe down");
      return Floe.EXIT_OK;
    }
  }

  private Stage generate(EcommerceUpstream upstream, StackEndpoints endpoints) {
    return Stage.of(
        "generate",
        context -> {
          Generator.Ecommerce generator =
              Generator.ecommerce(upstream.endpoints(), endpoints).defectRate(defectRate);
          int before = generator.generatedBatches();
          generator.orders(before == 0 ? orders : Math.max(1, orders / 100));
          context
              .progress()
              .line(
                  before == 0
                      ? "  first run: generating %d orders with their users, products and events"
                          .formatted(orders)
                      : "  batch %d: new orders and changes to existing rows"
                          .formatted(before + 1));
          GeneratedBatch batch = generator.generate();
          context
              .progress()
              .line(
                  "  batch %d: PostgreSQL %s new, %s changed rows; %d clickstream lines in %d files;"
                          .formatted(
                              batch.batch() + 1,
                              total(batch.inserted()),
                              total(batch.updated()),
                              batch.clickstreamLines(),
                              batch.clickstreamFiles().size())
                      + " %d inventory events%s"
                          .formatted(
                              batch.inventoryMessages(),
                              batch.defects().isEmpty()
                                  ? ""
                                  : "; injected defects " + batch.defects()));
          return StageOutcome.empty();
        });
  }

  private static long total(java.util.Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Stage ingest(
      PipelineConfig pipelineConfig,
      StackEndpoints endpoints,
      SparkJobLauncher launcher,
      EcommerceUpstream upstream,
      Path home,
      String runId) {
    return Stage.of(
        "ingest",
        context -> {
          IngestReport report =
              IngestStage.of(pipelineConfig, endpoints, launcher)
                  .upstream(upstream.endpoints())
                  .home(home)
                  .sources(ECOMMERCE_SOURCES)
                  .runId(runId)
                  .run();
          StageOutcome.Builder outcome = StageOutcome.builder();
          for (TableIngest table : report.tables()) {
            outcome.rows(TableRef.parse(table.table()), table.rows());
          }
          outcome.count(StageOutcome.QUARANTINED, report.quarantined());
          return outcome.build();
        });
  }

  private static Stage views(FloeConfig config, StackEndpoints endpoints) {
    return Stage.of(
        "views",
        context -> {
          ViewSyncResult result;
          try (Connection trino = endpoints.openTrino()) {
            result =
                InterfaceViews.sync(trino, endpoints.trinoCatalog(), InterfaceViews.read(config));
          } catch (SQLException e) {
            throw new FloeException(
                ErrorCode.SERVICE_UNREACHABLE, "cannot reach Trino: " + e.getMessage(), e);
          }
          if (!result.allSynced()) {
            throw new FloeException(
                ErrorCode.SERVICE_FAILED,
                "interface views not synced: "
                    + result.failed().stream()
                        .map(view -> view.name() + ": " + view.error().orElse("failed"))
                        .toList());
          }
          context
              .progress()
              .line(
                  "  %d interface views in %s.interface read the published gold tables"
                      .formatted(result.views().size(), endpoints.trinoCatalog()));
          return StageOutcome.empty();
        });
  }
}
