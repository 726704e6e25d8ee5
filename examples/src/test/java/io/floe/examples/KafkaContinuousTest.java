package io.floe.examples;

import static io.floe.examples.ExamplePipelines.checkpointObjects;
import static io.floe.examples.ExamplePipelines.trinoLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.error.FloeException;
import io.floe.examples.junit.UpstreamExtension;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A continuous Kafka source picks up messages while it runs; its JVM is killed, and an
 * available-now run over the same checkpoint (in the object store) takes exactly the messages sent
 * since, so nothing lands twice and nothing is lost.
 */
@ExtendWith({LakehouseExtension.class, UpstreamExtension.class})
class KafkaContinuousTest {

  @Test
  void continuousStreamingTakesEachMessageOnce(Lakehouse lakehouse, EcommerceUpstream upstream)
      throws Exception {
    String name = lakehouse.namespace();
    StackEndpoints stack = lakehouse.endpoints();
    String yaml =
        """
        pipeline:
          bronze-namespace: %s
          sources:
            inventory:
              kind: kafka
              topic: %s
              target: inventory_events
              trigger: %s
              interval: 2s
              columns: {event_id: string not null, product_id: long not null, quantity_delta: int}
        """;
    PipelineConfig continuous =
        PipelineConfig.parse("(continuous)", yaml.formatted(name, name, "continuous"), k -> null);
    PipelineConfig availableNow =
        PipelineConfig.parse(
            "(available-now)", yaml.formatted(name, name, "available-now"), k -> null);

    send(upstream, name, 0, 50);
    String runId = "continuous-" + UUID.randomUUID();
    CompletableFuture<Throwable> running =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                stage(lakehouse, upstream, continuous).runId(runId).run();
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    TableIdentifier table = TableIdentifier.of(name, "inventory_events");
    try {
      awaitRecords(stack, table, 50, running);
      send(upstream, name, 50, 80);
      awaitRecords(stack, table, 80, running);
      assertThat(checkpointObjects(stack, name, "inventory_events"))
          .contains("metadata", "offsets/0", "commits/0", "offsets/1");
    } finally {
      killJob(runId);
    }
    assertThat(running.get(60, TimeUnit.SECONDS)).isInstanceOf(FloeException.class);

    send(upstream, name, 80, 100);
    IngestReport drained = stage(lakehouse, upstream, availableNow).run();
    assertThat(drained.table(name + ".inventory_events").orElseThrow().rows()).isEqualTo(20);
    assertThat(stage(lakehouse, upstream, availableNow).run().rows()).isZero();
    assertThat(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.inventory_events".formatted(name)))
        .isEqualTo(100);
    assertThat(
            trinoLong(
                stack,
                "SELECT count(DISTINCT event_id) FROM iceberg.%s.inventory_events".formatted(name)))
        .isEqualTo(100);
  }

  private static IngestStage stage(
      Lakehouse lakehouse, EcommerceUpstream upstream, PipelineConfig pipeline) {
    return IngestStage.of(pipeline, lakehouse.endpoints(), lakehouse.sparkJobs())
        .upstream(upstream.endpoints())
        .home(lakehouse.config().home());
  }

  /** Kills the job JVM of run {@code runId} (a child of this JVM), if alive, and waits for it. */
  private static void killJob(String runId) throws Exception {
    Optional<ProcessHandle> job =
        ProcessHandle.current()
            .descendants()
            .filter(p -> commandLine(p).contains(runId))
            .findFirst();
    if (job.isPresent()) {
      job.get().destroyForcibly();
      job.get().onExit().get(30, TimeUnit.SECONDS);
    }
  }

  /** The full command line (ProcessHandle.Info cuts long ones, such as a Spark classpath). */
  private static String commandLine(ProcessHandle process) {
    try {
      return new String(
              Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
              StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (IOException e) {
      return process.info().commandLine().orElse("");
    }
  }

  private static void send(EcommerceUpstream upstream, String topic, int from, int to) {
    Properties properties = new Properties();
    properties.put(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, upstream.endpoints().kafkaBootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      for (int i = from; i < to; i++) {
        producer.send(
            new ProducerRecord<>(
                topic,
                Integer.toString(i % 7),
                "{\"event_id\":\"e%d\",\"product_id\":%d,\"quantity_delta\":%d}"
                    .formatted(i, i % 7, i % 5 - 2)));
      }
      producer.flush();
    }
  }

  /** Waits until the table's current snapshot holds {@code records}, while the job runs. */
  private static void awaitRecords(
      StackEndpoints stack, TableIdentifier id, long records, CompletableFuture<Throwable> job)
      throws Exception {
    Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
    while (true) {
      try (RESTCatalog catalog = stack.catalogConnection().open("continuous-test")) {
        if (catalog.tableExists(id)) {
          Table table = catalog.loadTable(id);
          if (table.currentSnapshot() != null
              && Long.parseLong(table.currentSnapshot().summary().get("total-records"))
                  >= records) {
            return;
          }
        }
      }
      if (job.isDone()) {
        throw new AssertionError(
            "the continuous job ended before " + id + " held " + records, job.get());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(id + " did not reach " + records + " records");
      }
      Thread.sleep(200);
    }
  }
}
