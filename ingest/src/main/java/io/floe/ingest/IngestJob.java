package io.floe.ingest;

import io.floe.spark.Concurrently;
import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;

/**
 * The ingest stage as one Spark job: every source of the spec into its bronze table, a few at once
 * (one Spark session for all of them; each table commits on its own). The summary has, per target
 * table, {@code <target>.rows}, {@code <target>.quarantined}, {@code <target>.millis} and more.
 *
 * <p>Arguments: {@code --spec <properties file>} (see {@link IngestSpec}).
 */
public final class IngestJob {
  /**
   * Sources ingested at once: each writes its own bronze table, and one source's planning, reads
   * and catalog commits overlap another's tasks.
   */
  static final int PARALLELISM = 3;

  private IngestJob() {}

  public static void main(String[] args) {
    JobRunner.run("ingest", args, IngestJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) throws Exception {
    IngestSpec spec = IngestSpec.read(Path.of(arguments.required("spec")));
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + spec.namespace());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("run-id", spec.runId());
    List<String> targets = new ArrayList<>();
    for (IngestSpec.Source source : spec.sources()) {
      targets.add(spec.table(source.target()));
      targets.add(spec.table(source.target() + "_quarantine"));
    }
    ConsumedLog consumed = ConsumedLog.open(spark, spec.runId(), targets);
    List<Callable<Map<String, Object>>> sources = new ArrayList<>();
    for (IngestSpec.Source source : spec.sources()) {
      sources.add(() -> ingest(spark, spec, source, consumed));
    }
    try {
      // a failed source leaves the others to finish and commit
      Concurrently.run("floe-ingest", PARALLELISM, sources).forEach(summary::putAll);
    } catch (Exception | Error e) {
      // what the committed sources consumed, even when another one failed; an append that fails
      // too is made up by the next run from the snapshot summaries
      try {
        consumed.flush();
      } catch (Exception alsoFailed) {
        e.addSuppressed(alsoFailed);
      }
      throw e;
    }
    summary.put("consumed-log-rows", consumed.flush());
    return summary;
  }

  /** One source into its bronze table; prints its result as soon as it is done. */
  private static Map<String, Object> ingest(
      SparkSession spark, IngestSpec spec, IngestSpec.Source source, ConsumedLog consumed)
      throws Exception {
    Map<String, Object> result =
        switch (source.kind()) {
          case "jdbc" -> JdbcIngest.run(spark, spec, source, consumed);
          case "files" -> FileIngest.run(spark, spec, source, consumed);
          case "kafka" -> KafkaIngest.run(spark, spec, source);
          default ->
              throw new IllegalArgumentException(
                  "ingest spec: unknown kind '%s' of source %d"
                      .formatted(source.kind(), source.index()));
        };
    System.err.println("floe ingest: " + source.target() + " " + result);
    return result;
  }
}
