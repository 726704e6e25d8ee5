package io.floe.ingest;

import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The ingest stage as one Spark job: every source of the spec, in order, into its bronze table (one
 * Spark session for all of them; each table commits on its own). The summary has, per target table,
 * {@code <target>.rows}, {@code <target>.quarantined}, {@code <target>.millis} and more.
 *
 * <p>Arguments: {@code --spec <properties file>} (see {@link IngestSpec}).
 */
public final class IngestJob {
  private IngestJob() {}

  public static void main(String[] args) {
    JobRunner.run("ingest", args, IngestJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) throws Exception {
    IngestSpec spec = IngestSpec.read(Path.of(arguments.required("spec")));
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + spec.namespace());
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("run-id", spec.runId());
    for (IngestSpec.Source source : spec.sources()) {
      Map<String, Object> result =
          switch (source.kind()) {
            case "jdbc" -> JdbcIngest.run(spark, spec, source);
            case "files" -> FileIngest.run(spark, spec, source);
            case "kafka" -> KafkaIngest.run(spark, spec, source);
            default ->
                throw new IllegalArgumentException(
                    "ingest spec: unknown kind '%s' of source %d"
                        .formatted(source.kind(), source.index()));
          };
      summary.putAll(result);
      System.err.println("floe ingest: " + source.target() + " " + result);
    }
    return summary;
  }
}
