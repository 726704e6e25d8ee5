package io.floe.examples;

import static io.floe.examples.ExamplePipelines.trino;
import static io.floe.examples.ExamplePipelines.trinoLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.error.FloeException;
import io.floe.examples.junit.UpstreamExtension;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Kills the ingest job's JVM in the middle of a run, reruns it, and compares every bronze table
 * with an uninterrupted run over the same upstream data.
 */
@ExtendWith({LakehouseExtension.class, UpstreamExtension.class})
class CrashRecoveryTest {

  @Test
  void killedMidIngestThenRerunEqualsAnUninterruptedRun(
      Lakehouse lakehouse, EcommerceUpstream upstream) throws Exception {
    String name = lakehouse.namespace();
    StackEndpoints stack = lakehouse.endpoints();
    PipelineConfig pipeline = ExamplePipelines.isolated(name);
    ExamplePipelines.generator(upstream, stack, name).orders(1500).defectRate(0.02).generate();
    Generator.tweets()
        .count(3000)
        .defectRate(0.02)
        .upload(stack, "landing/" + name + "/tweets/tweets.tsv");

    String clean = name + "_clean";
    String crashed = name + "_crash";
    stage(lakehouse, upstream, pipeline.withBronzeNamespace(clean)).run();

    String runId = "crash-" + UUID.randomUUID();
    CompletableFuture<Throwable> interrupted =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                stage(lakehouse, upstream, pipeline.withBronzeNamespace(crashed))
                    .runId(runId)
                    .run();
                return null;
              } catch (RuntimeException e) {
                return e;
              }
            });
    // kill once the first table has committed: the sources ingested beside it are mid-way, and
    // later tables and sources are still to come
    awaitSnapshot(stack, TableIdentifier.of(crashed, "users"), Duration.ofMinutes(5));
    ProcessHandle job =
        ProcessHandle.current()
            .descendants()
            .filter(p -> commandLine(p).contains(runId))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no running ingest job with run id " + runId));
    job.destroyForcibly();
    job.onExit().get(30, TimeUnit.SECONDS);
    assertThat(interrupted.get(60, TimeUnit.SECONDS)).isInstanceOf(FloeException.class);
    assertThat(hasSnapshot(stack, TableIdentifier.of(crashed, "tweets")))
        .as("the kill came before the last source committed")
        .isFalse();

    stage(lakehouse, upstream, pipeline.withBronzeNamespace(crashed)).run();

    List<String> tables = new ArrayList<>(pipeline.targets());
    pipeline.files().forEach(f -> tables.add(f.target() + "_quarantine"));
    pipeline.kafka().forEach(k -> tables.add(k.target() + "_quarantine"));
    for (String table : tables) {
      long rows = trinoLong(stack, "SELECT count(*) FROM iceberg.%s.%s".formatted(clean, table));
      assertThat(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.%s".formatted(crashed, table)))
          .as(table)
          .isEqualTo(rows);
      String columns = contentColumns(stack, clean, table);
      for (String[] pair : List.of(new String[] {clean, crashed}, new String[] {crashed, clean})) {
        assertThat(
                trinoLong(
                    stack,
                    "SELECT count(*) FROM (SELECT %s FROM iceberg.%s.%s EXCEPT SELECT %s FROM iceberg.%s.%s)"
                        .formatted(columns, pair[0], table, columns, pair[1], table)))
            .as(table + " rows in " + pair[0] + " missing from " + pair[1])
            .isZero();
      }
    }
    assertThat(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.order_items".formatted(crashed)))
        .isPositive();
  }

  /**
   * The full command line; {@code ProcessHandle.Info} cuts long ones (a Spark classpath), so read
   * Linux's /proc directly where it exists.
   */
  private static String commandLine(ProcessHandle process) {
    try {
      return new String(
              java.nio.file.Files.readAllBytes(
                  java.nio.file.Path.of("/proc", Long.toString(process.pid()), "cmdline")),
              java.nio.charset.StandardCharsets.UTF_8)
          .replace('\0', ' ');
    } catch (java.io.IOException e) {
      return process.info().commandLine().orElse("");
    }
  }

  private static IngestStage stage(
      Lakehouse lakehouse, EcommerceUpstream upstream, PipelineConfig pipeline) {
    return IngestStage.of(pipeline, lakehouse.endpoints(), lakehouse.sparkJobs())
        .upstream(upstream.endpoints())
        .home(lakehouse.config().home());
  }

  /** Every column but the ones that name the run ({@code _ingest_run_id}, {@code _ingested_at}). */
  private static String contentColumns(StackEndpoints stack, String namespace, String table)
      throws Exception {
    return trino(
            stack,
            "SELECT column_name FROM iceberg.information_schema.columns WHERE table_schema = '%s' AND table_name = '%s' ORDER BY ordinal_position"
                .formatted(namespace, table))
        .stream()
        .map(row -> (String) row.get(0))
        .filter(column -> !column.equals("_ingest_run_id") && !column.equals("_ingested_at"))
        .map(column -> '"' + column + '"')
        .collect(Collectors.joining(", "));
  }

  private static void awaitSnapshot(StackEndpoints stack, TableIdentifier id, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (!hasSnapshot(stack, id)) {
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError(id + " got no snapshot within " + timeout);
      }
      Thread.sleep(100);
    }
  }

  private static boolean hasSnapshot(StackEndpoints stack, TableIdentifier id) throws Exception {
    try (RESTCatalog catalog = stack.catalogConnection().open("crash-test")) {
      if (!catalog.tableExists(id)) {
        return false;
      }
      Table table = catalog.loadTable(id);
      return table.currentSnapshot() != null;
    }
  }
}
