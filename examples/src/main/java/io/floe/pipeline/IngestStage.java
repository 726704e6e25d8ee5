package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.OwnerOnlyFiles;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import io.floe.examples.UpstreamEndpoints;
import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Runs the ingest stage of a pipeline: the declared downloads first, then every source into its
 * bronze table, as one Spark job ({@code io.floe.ingest.IngestJob}) launched outside this JVM.
 *
 * <pre>{@code
 * IngestReport report =
 *     IngestStage.of(pipeline, stack, launcher).upstream(upstream.endpoints()).home(home).run();
 * }</pre>
 */
public final class IngestStage {
  public static final String JOB_MODULE = "floe-ingest";
  public static final String JOB_CLASS = "io.floe.ingest.IngestJob";
  static final String SPARK_CATALOG = "floe";

  /** Where streaming checkpoints go by default, under the warehouse bucket. */
  public static final String CHECKPOINT_PREFIX = "_floe/checkpoints/";

  private final PipelineConfig pipeline;
  private final StackEndpoints stack;
  private final SparkJobLauncher launcher;
  private Optional<UpstreamEndpoints> upstream = Optional.empty();
  private Path home = Path.of(".floe");
  private Optional<Set<String>> only = Optional.empty();
  private Duration continuousRunFor = Duration.ZERO;
  private String runId = UUID.randomUUID().toString();

  private IngestStage(PipelineConfig pipeline, StackEndpoints stack, SparkJobLauncher launcher) {
    this.pipeline = requireNonNull(pipeline, "pipeline is null");
    this.stack = requireNonNull(stack, "stack is null");
    this.launcher = requireNonNull(launcher, "launcher is null");
  }

  public static IngestStage of(
      PipelineConfig pipeline, StackEndpoints stack, SparkJobLauncher launcher) {
    return new IngestStage(pipeline, stack, launcher);
  }

  /** The embedded upstream, for sources that name no server of their own. */
  public IngestStage upstream(UpstreamEndpoints endpoints) {
    this.upstream = Optional.of(endpoints);
    return this;
  }

  /** The Floe home: the run's spec file is written under {@code <home>/ingest}. */
  public IngestStage home(Path value) {
    this.home = value;
    return this;
  }

  /** Runs only the named sources and downloads (default: all). */
  public IngestStage sources(Set<String> names) {
    this.only = Optional.of(Set.copyOf(names));
    return this;
  }

  /** How long a continuous Kafka source runs before it stops (zero: until the job is killed). */
  public IngestStage continuousRunFor(Duration value) {
    this.continuousRunFor = value;
    return this;
  }

  /** The run id recorded with every commit (default: a random UUID). */
  public IngestStage runId(String value) {
    this.runId = value;
    return this;
  }

  public IngestReport run() {
    Instant start = Instant.now();
    List<DownloadResult> downloads = new ArrayList<>();
    if (!pipeline.downloads().isEmpty()) {
      try (S3Client s3 = S3Access.client(stack)) {
        for (DownloadSpec download : pipeline.downloads()) {
          if (selected(download.name())) {
            ResumableDownload fetch =
                ResumableDownload.of(download.url(), s3, S3Access.resolve(stack, download.target()))
                    .partSize(download.partSize());
            download.sha256().ifPresent(fetch::sha256);
            downloads.add(fetch.execute());
          }
        }
      }
    }
    Map<String, String> spec = new LinkedHashMap<>();
    spec.put("run-id", runId);
    spec.put("namespace", pipeline.bronzeNamespace());
    spec.put("ingested-at", start.truncatedTo(ChronoUnit.MICROS).toString());
    List<String[]> targets = new ArrayList<>();
    int index = 0;
    for (PostgresSource source : pipeline.postgres()) {
      if (!selected(source.name())) {
        continue;
      }
      for (JdbcTable table : source.tables()) {
        String p = "source." + index++ + ".";
        spec.put(p + "kind", "jdbc");
        spec.put(p + "target", table.target());
        spec.put(
            p + "url", source.jdbcUrl().orElseGet(() -> embedded().jdbcUrl(source.database())));
        spec.put(
            p + "user",
            source.user().orElseGet(() -> source.embedded() ? embedded().postgresUser() : ""));
        spec.put(
            p + "password",
            source
                .password()
                .orElseGet(() -> source.embedded() ? embedded().postgresPassword() : ""));
        spec.put(p + "table", source.schema() + "." + table.name());
        spec.put(p + "mode", table.mode() == JdbcTable.Mode.FULL ? "full" : "incremental");
        spec.put(p + "watermark", table.watermarkColumn());
        spec.put(p + "lookback-ms", Long.toString(source.lookback().toMillis()));
        targets.add(new String[] {source.name(), table.target()});
      }
    }
    for (FileSource source : pipeline.files()) {
      if (!selected(source.name())) {
        continue;
      }
      String p = "source." + index++ + ".";
      spec.put(p + "kind", "files");
      spec.put(p + "target", source.target());
      spec.put(p + "location", S3Access.resolve(stack, source.path()).toString());
      spec.put(p + "format", source.format().name().toLowerCase());
      spec.put(p + "compression", source.compression().name().toLowerCase());
      spec.put(p + "header", Boolean.toString(source.header()));
      spec.put(p + "columns", columns(source.columns()));
      targets.add(new String[] {source.name(), source.target()});
    }
    for (KafkaSource source : pipeline.kafka()) {
      if (!selected(source.name())) {
        continue;
      }
      String p = "source." + index++ + ".";
      spec.put(p + "kind", "kafka");
      spec.put(p + "target", source.target());
      spec.put(
          p + "bootstrap",
          source.bootstrapServers().orElseGet(() -> embedded().kafkaBootstrapServers()));
      spec.put(p + "topic", source.topic());
      spec.put(
          p + "trigger",
          source.trigger() == KafkaSource.Trigger.AVAILABLE_NOW ? "available-now" : "continuous");
      spec.put(p + "interval-ms", Long.toString(source.interval().toMillis()));
      spec.put(p + "run-for-ms", Long.toString(continuousRunFor.toMillis()));
      spec.put(p + "checkpoint", checkpoint(source));
      spec.put(p + "starting-offsets", source.startingOffsets());
      spec.put(p + "columns", columns(source.columns()));
      targets.add(new String[] {source.name(), source.target()});
    }
    spec.put("sources", Integer.toString(index));

    Path specFile = home.toAbsolutePath().resolve("ingest").resolve("run-" + runId + ".properties");
    SparkJobResult result;
    try {
      OwnerOnlyFiles.writeProperties(specFile, spec, "ingest run " + runId);
      Map<String, String> conf = new LinkedHashMap<>(stack.sparkCatalogConf(SPARK_CATALOG));
      // the job commits through Spark and through the Iceberg API; a cached table would go stale
      conf.put("spark.sql.catalog." + SPARK_CATALOG + ".cache-enabled", "false");
      conf.putAll(S3Access.sparkHadoopConf(stack));
      result =
          launcher.run(
              new SparkJobSpec(JOB_MODULE, JOB_CLASS, List.of("--spec", specFile.toString())),
              conf);
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR, "cannot write " + specFile + ": " + e.getMessage(), e);
    } finally {
      try {
        Files.deleteIfExists(specFile);
      } catch (IOException e) {
        // the file is owner-only; a leftover is harmless and replaced by the next run
      }
    }
    List<TableIngest> tables = new ArrayList<>();
    for (String[] target : targets) {
      String key = target[1] + ".";
      tables.add(
          new TableIngest(
              target[0],
              pipeline.bronzeNamespace() + "." + target[1],
              number(result, key + "rows"),
              number(result, key + "quarantined"),
              number(result, key + "files"),
              number(result, key + "skipped-files"),
              Duration.ofMillis(number(result, key + "millis"))));
    }
    return new IngestReport(runId, downloads, tables, result.elapsed(), result.log());
  }

  /**
   * The source's streaming checkpoint: the configured one, else a local checkpoint an earlier Floe
   * kept under {@code <home>/checkpoints/<namespace>.<target>} (a stream that moves to a new, empty
   * checkpoint starts over at {@code starting-offsets}, which would write everything twice), else
   * the default in the object store.
   */
  String checkpoint(KafkaSource source) {
    if (source.checkpoint().isPresent()) {
      return S3Access.hadoopUri(source.checkpoint().get());
    }
    Path local =
        home.toAbsolutePath()
            .resolve("checkpoints")
            .resolve(pipeline.bronzeNamespace() + "." + source.target());
    return Files.isDirectory(local) ? local.toString() : defaultCheckpoint(source.target());
  }

  /**
   * {@code s3a://<warehouse bucket>/_floe/checkpoints/<namespace>.<target>}: in the object store,
   * so a stream resumes from any machine, and outside every table's location, so orphan removal
   * never lists it.
   */
  private String defaultCheckpoint(String target) {
    return "s3a://%s/%s%s.%s"
        .formatted(
            S3Access.warehouseBucket(stack), CHECKPOINT_PREFIX, pipeline.bronzeNamespace(), target);
  }

  private boolean selected(String name) {
    return only.map(names -> names.contains(name)).orElse(true);
  }

  private UpstreamEndpoints embedded() {
    return upstream.orElseThrow(
        () ->
            new FloeException(
                ErrorCode.INVALID_CONFIG,
                "%s: a pipeline source uses the embedded upstream (no jdbc-url or bootstrap-servers), but it is not running"
                    .formatted(pipeline.source())));
  }

  private static String columns(List<Column> columns) {
    return columns.stream()
        .map(c -> c.name() + " " + c.declaration())
        .collect(Collectors.joining(";"));
  }

  private static long number(SparkJobResult result, String key) {
    Object value = result.summary().get(key);
    return value instanceof Number n ? n.longValue() : 0;
  }
}
