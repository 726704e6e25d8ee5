package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.app.pipeline.Pipeline;
import io.floe.app.pipeline.PipelineSummary;
import io.floe.app.pipeline.Progress;
import io.floe.app.pipeline.PublishOutcome;
import io.floe.app.pipeline.PublishStage;
import io.floe.app.pipeline.Publisher;
import io.floe.app.pipeline.Stage;
import io.floe.app.pipeline.StageOutcome;
import io.floe.app.pipeline.TransformStage;
import io.floe.catalog.TableRef;
import io.floe.core.config.DataSizes;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.examples.EcommerceUpstream;
import io.floe.examples.GeneratedBatch;
import io.floe.examples.GeneratedTweets;
import io.floe.examples.Generator;
import io.floe.pipeline.DownloadResult;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.pipeline.ResumableDownload;
import io.floe.pipeline.S3Access;
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
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.services.s3.S3Client;

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
  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
  static final String CATALOG_NAME = "floe";
  static final Set<String> ECOMMERCE_SOURCES = Set.of("shop", "clickstream", "inventory");
  static final Set<String> TWEETS_SOURCES = Set.of("tweets");

  private static final DateTimeFormatter RUN_ID =
      DateTimeFormatter.ofPattern("'r'yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  /** The example pipelines {@code floe run} knows. */
  enum Example {
    ECOMMERCE,
    TWEETS
  }

  @Option(
      names = "--pipeline",
      defaultValue = "ecommerce",
      description = "Which example pipeline: ecommerce or tweets (default: ${DEFAULT-VALUE}).")
  String pipelineName;

  @Option(
      names = "--tweets",
      defaultValue = "1000000",
      description =
          "Tweets in the generated TSV for --pipeline tweets (default: ${DEFAULT-VALUE}).")
  long tweets;

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
    Example example =
        switch (pipelineName.toLowerCase(Locale.ROOT)) {
          case "ecommerce" -> Example.ECOMMERCE;
          case "tweets" -> Example.TWEETS;
          default ->
              throw new FloeException(
                  ErrorCode.INVALID_ARGUMENT,
                  "--pipeline '%s' is not known; allowed values are ecommerce, tweets"
                      .formatted(pipelineName));
        };
    Path home = config.home().toAbsolutePath();
    out.print("[stack] ");
    StackEndpoints endpoints = StackAccess.startIfNeeded(config, floe.options, out);
    SparkJobLauncher launcher =
        new SparkJobLauncher(
            config.spark(), RuntimeLayout.discover(), home.resolve("logs").resolve("jobs"));
    PipelineConfig pipelineConfig = PipelineConfig.of(config);
    Catalog catalog = endpoints.catalogConnection().open(CATALOG_NAME);
    String runId = RUN_ID.format(Instant.now()).toLowerCase(Locale.ROOT);

    if (example == Example.TWEETS) {
      return runTweets(config, out, home, endpoints, launcher, pipelineConfig, catalog, runId);
    }
    out.println("[upstream] starting PostgreSQL and Kafka for the example ...");
    out.flush();
    try (EcommerceUpstream upstream = EcommerceUpstream.start(home.resolve("upstream"))) {
      Pipeline pipeline =
          Pipeline.named("ecommerce")
              .stage(generate(upstream, endpoints))
              .stage(
                  ingestStage(
                      catalog,
                      pipelineConfig,
                      endpoints,
                      launcher,
                      Optional.of(upstream),
                      home,
                      runId,
                      ECOMMERCE_SOURCES))
              .stage(transform(TransformStage.Kind.ECOMMERCE, launcher, endpoints))
              .stage(publishThroughGate(config, catalog, home))
              .stage(views(config, endpoints))
              .build();
      return runAndSummarize(
          pipeline,
          runId,
          out,
          endpoints,
          List.of(
              "SELECT * FROM %s.interface.order_report ORDER BY day DESC LIMIT 10;"
                  .formatted(endpoints.trinoCatalog()),
              "SELECT * FROM %s.interface.category_report ORDER BY day DESC, avg_revenue DESC LIMIT 10;"
                  .formatted(endpoints.trinoCatalog())));
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
                      ? "  first run: generating %,d orders with their users, products and events"
                          .formatted(orders)
                      : "  batch %d: new orders and changes to existing rows"
                          .formatted(before + 1));
          GeneratedBatch batch = generator.generate();
          context
              .progress()
              .line(
                  "  batch %d: PostgreSQL %,d new, %,d changed rows; %,d clickstream lines in %d files;"
                          .formatted(
                              batch.batch() + 1,
                              total(batch.inserted()),
                              total(batch.updated()),
                              batch.clickstreamLines(),
                              batch.clickstreamFiles().size())
                      + " %,d inventory events%s"
                          .formatted(
                              batch.inventoryMessages(),
                              batch.defects().isEmpty()
                                  ? ""
                                  : "; injected defects " + batch.defects()));
          return StageOutcome.empty();
        });
  }

  /**
   * The tweets file drop: a generated TSV served over local HTTP stands in for the remote host; it
   * is downloaded resumably (byte ranges, SHA-256 checked) into the landing prefix, ingested into
   * {@code bronze.tweets}, and counted per hour and per day in gold through the gate.
   */
  private int runTweets(
      FloeConfig config,
      PrintWriter out,
      Path home,
      StackEndpoints endpoints,
      SparkJobLauncher launcher,
      PipelineConfig pipelineConfig,
      Catalog catalog,
      String runId) {
    Path file = home.resolve("upstream").resolve("tweets").resolve("tweets.tsv");
    GeneratedTweets[] generated = new GeneratedTweets[1];
    Stage generate =
        Stage.of(
            "generate",
            context -> {
              try {
                java.nio.file.Files.createDirectories(file.getParent());
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
              generated[0] = Generator.tweets().count(tweets).writeTo(file);
              context
                  .progress()
                  .line(
                      "  %,d tweets (%,d malformed lines), %s, sha256 %s"
                          .formatted(
                              generated[0].lines(),
                              generated[0].malformed(),
                              DataSizes.describe(generated[0].bytes()),
                              generated[0].sha256().substring(0, 12)));
              return StageOutcome.empty();
            });
    Stage download =
        Stage.of(
            "download",
            context -> {
              try (LocalFileServer server = LocalFileServer.serve(file);
                  S3Client s3 = S3Access.client(endpoints)) {
                DownloadResult result =
                    ResumableDownload.of(
                            server.uri(),
                            s3,
                            S3Access.resolve(endpoints, Generator.DEFAULT_TWEETS_KEY))
                        .sha256(generated[0].sha256())
                        .execute();
                context
                    .progress()
                    .line(
                        result.alreadyPresent()
                            ? "  %s: already in place with this checksum, not downloaded again"
                                .formatted(result.target())
                            : "  %s: %s in %s (%d reused), checksum verified"
                                .formatted(
                                    result.target(),
                                    DataSizes.describe(result.bytes()),
                                    counted(result.parts(), "part"),
                                    result.partsReused()));
              }
              return StageOutcome.empty();
            });
    Pipeline pipeline =
        Pipeline.named("tweets")
            .stage(generate)
            .stage(download)
            .stage(
                ingestStage(
                    catalog,
                    pipelineConfig,
                    endpoints,
                    launcher,
                    Optional.empty(),
                    home,
                    runId,
                    TWEETS_SOURCES))
            .stage(transform(TransformStage.Kind.TWEETS, launcher, endpoints))
            .stage(publishThroughGate(config, catalog, home))
            .build();
    return runAndSummarize(
        pipeline,
        runId,
        out,
        endpoints,
        List.of(
            "SELECT * FROM %s.gold.tweets_per_day ORDER BY day;"
                .formatted(endpoints.trinoCatalog())));
  }

  private static Stage transform(
      TransformStage.Kind kind, SparkJobLauncher launcher, StackEndpoints endpoints) {
    return new TransformStage(
        kind,
        TransformStage.Namespaces.layers(),
        launcher,
        endpoints.sparkCatalogConf(CATALOG_NAME));
  }

  private static Stage publishThroughGate(FloeConfig config, Catalog catalog, Path home) {
    return new PublishStage(
        Publisher.qualityGate(
            catalog,
            ExampleSuites.withExamples(config),
            QualityConfig.from(config),
            home.resolve("reports")),
        catalog);
  }

  private int runAndSummarize(
      Pipeline pipeline,
      String runId,
      PrintWriter out,
      StackEndpoints endpoints,
      List<String> queries) {
    PipelineSummary summary = pipeline.run(runId, Progress.to(out));
    out.println();
    summary.print(out, endpoints.trinoJdbcUrl(), endpoints.trinoUser(), queries);
    out.println("Stack status: ./floe status   Stop: ./floe down");
    out.flush();
    return conclude(summary, spec.commandLine().getErr());
  }

  /**
   * The run's exit code once its summary is printed: {@code 1} when a table's suite failed, as
   * {@code floe check} says it, {@code 3} when {@code main} only moved under a publish (a rerun
   * audits again), {@code 0} when every table was published. A table kept off {@code main} is
   * named, with why, in one line on {@code err}.
   */
  static int conclude(PipelineSummary summary, PrintWriter err) {
    Optional<String> unpublished = summary.unpublishedLine();
    if (unpublished.isEmpty()) {
      return Floe.EXIT_OK;
    }
    LOG.warn("run {}: {}", summary.runId(), unpublished.get());
    err.println("floe: " + unpublished.get());
    err.flush();
    boolean suiteFailed =
        summary.unpublished().stream()
            .anyMatch(outcome -> outcome.status() == PublishOutcome.Status.REJECTED);
    return suiteFailed ? Floe.EXIT_CHECK_FAILED : Floe.EXIT_EXTERNAL;
  }

  private static long total(java.util.Map<String, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  private static Stage ingestStage(
      Catalog catalog,
      PipelineConfig pipelineConfig,
      StackEndpoints endpoints,
      SparkJobLauncher launcher,
      Optional<EcommerceUpstream> upstream,
      Path home,
      String runId,
      Set<String> sources) {
    return Stage.of(
        "ingest",
        context -> {
          IngestStage ingest =
              IngestStage.of(pipelineConfig, endpoints, launcher)
                  .home(home)
                  .sources(sources)
                  .runId(runId);
          upstream.ifPresent(u -> ingest.upstream(u.endpoints()));
          IngestReport report = ingest.run();
          StageOutcome.Builder outcome = StageOutcome.builder();
          for (TableIngest table : report.tables()) {
            TableRef ref = TableRef.parse(table.table());
            outcome.written(ref, table.rows());
            totalRows(catalog, ref).ifPresent(total -> outcome.rows(ref, total));
          }
          outcome.count(StageOutcome.QUARANTINED, report.quarantined());
          return outcome.build();
        });
  }

  /**
   * The rows of an ingested table's main, from its snapshot summary; empty when it cannot be read,
   * as the summary it is for is no reason to fail a run that ingested.
   */
  private static OptionalLong totalRows(Catalog catalog, TableRef ref) {
    try {
      Snapshot current = catalog.loadTable(ref.toIdentifier()).currentSnapshot();
      String total =
          current == null ? "0" : current.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP);
      return total == null ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(total));
    } catch (RuntimeException e) {
      LOG.debug("cannot read the rows of {}", ref, e);
      return OptionalLong.empty();
    }
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
