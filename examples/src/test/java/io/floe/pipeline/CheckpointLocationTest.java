package io.floe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.stack.StackEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a Kafka source's streaming checkpoint goes, and the S3A settings the job gets. */
class CheckpointLocationTest {
  private static final StackEndpoints STACK =
      new StackEndpoints(
          "http://127.0.0.1:9000",
          "key",
          "secret",
          "us-east-1",
          true,
          "s3://lake/",
          "http://127.0.0.1:8181",
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Map.of(),
          "jdbc:trino://127.0.0.1:8080",
          "admin",
          Optional.empty(),
          "iceberg");

  @TempDir Path home;

  @Test
  void defaultIsInTheWarehouseBucketOutsideEveryTable() {
    assertThat(stage(pipeline("")).checkpoint(kafka(pipeline(""))))
        .isEqualTo("s3a://lake/_floe/checkpoints/raw.events");
  }

  @Test
  void explicitLocationsStayAndS3IsReadAsS3a() {
    PipelineConfig s3 = pipeline("checkpoint: s3://other/cp/events");
    assertThat(stage(s3).checkpoint(kafka(s3))).isEqualTo("s3a://other/cp/events");
    PipelineConfig local = pipeline("checkpoint: /var/lib/floe/events");
    assertThat(stage(local).checkpoint(kafka(local))).isEqualTo("/var/lib/floe/events");
  }

  @Test
  void anExistingLocalCheckpointOfAnEarlierVersionIsKept() throws Exception {
    Path legacy = Files.createDirectories(home.resolve("checkpoints").resolve("raw.events"));
    assertThat(stage(pipeline("")).checkpoint(kafka(pipeline(""))))
        .isEqualTo(legacy.toAbsolutePath().toString());
  }

  @Test
  void s3aSettingsComeFromTheStack() {
    assertThat(S3Access.sparkHadoopConf(STACK))
        .containsEntry("spark.hadoop.fs.s3a.endpoint", "http://127.0.0.1:9000")
        .containsEntry("spark.hadoop.fs.s3a.connection.ssl.enabled", "false")
        .containsEntry("spark.hadoop.fs.s3a.path.style.access", "true")
        .containsEntry("spark.hadoop.fs.s3a.endpoint.region", "us-east-1")
        .containsEntry("spark.hadoop.fs.s3a.access.key", "key")
        .containsEntry("spark.hadoop.fs.s3a.secret.key", "secret");
  }

  private IngestStage stage(PipelineConfig pipeline) {
    FloeConfig config = FloeConfig.parse("test.yaml", "{}", name -> null, home);
    SparkJobLauncher launcher =
        new SparkJobLauncher(config.spark(), RuntimeLayout.at(home), home.resolve("jobs"));
    return IngestStage.of(pipeline, STACK, launcher).home(home);
  }

  private static KafkaSource kafka(PipelineConfig pipeline) {
    return pipeline.kafka().get(0);
  }

  private static PipelineConfig pipeline(String extra) {
    return PipelineConfig.parse(
        "test.yaml",
        """
        pipeline:
          bronze-namespace: raw
          sources:
            events:
              kind: kafka
              bootstrap-servers: kafka:9092
              topic: events
              %s
              columns: {id: long}
        """
            .formatted(extra),
        name -> null);
  }
}
