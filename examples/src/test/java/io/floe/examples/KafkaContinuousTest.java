package io.floe.examples;

import static io.floe.examples.ExamplePipelines.trinoLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.examples.junit.UpstreamExtension;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
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
 * A continuous Kafka source picks up messages while it runs; a later available-now run over the
 * same checkpoint finds nothing left, so nothing lands twice.
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
    CompletableFuture<IngestReport> running =
        CompletableFuture.supplyAsync(
            () ->
                stage(lakehouse, upstream, continuous)
                    .continuousRunFor(Duration.ofSeconds(75))
                    .run());
    TableIdentifier table = TableIdentifier.of(name, "inventory_events");
    awaitRecords(stack, table, 50, running);
    send(upstream, name, 50, 80);
    awaitRecords(stack, table, 80, running);
    IngestReport report = running.get(3, TimeUnit.MINUTES);
    assertThat(report.table(name + ".inventory_events").orElseThrow().rows()).isEqualTo(80);

    IngestReport drained = stage(lakehouse, upstream, availableNow).run();
    assertThat(drained.rows()).isZero();
    assertThat(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.inventory_events".formatted(name)))
        .isEqualTo(80);
    assertThat(
            trinoLong(
                stack,
                "SELECT count(DISTINCT event_id) FROM iceberg.%s.inventory_events".formatted(name)))
        .isEqualTo(80);
  }

  private static IngestStage stage(
      Lakehouse lakehouse, EcommerceUpstream upstream, PipelineConfig pipeline) {
    return IngestStage.of(pipeline, lakehouse.endpoints(), lakehouse.sparkJobs())
        .upstream(upstream.endpoints())
        .home(lakehouse.config().home());
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
      StackEndpoints stack, TableIdentifier id, long records, CompletableFuture<?> job)
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
        job.get();
        throw new AssertionError("the continuous job ended before " + id + " held " + records);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(id + " did not reach " + records + " records");
      }
      Thread.sleep(200);
    }
  }
}
