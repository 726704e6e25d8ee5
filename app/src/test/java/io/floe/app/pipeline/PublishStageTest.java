package io.floe.app.pipeline;

import static io.floe.catalog.TestSnapshots.append;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.catalog.TestSnapshots;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

class PublishStageTest {
  @Test
  void aRunThatLeftNothingToPublishSaysSo() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("empty", Map.of());
    PublishStage stage =
        new PublishStage(
            (table, branch) -> {
              throw new AssertionError("nothing was audited, yet " + table + " was published");
            },
            catalog);
    StringWriter printed = new StringWriter();
    StageContext context = afterTransform("tweets", "r1", StageOutcome.empty(), printed);

    StageOutcome outcome = stage.run(context);

    assertThat(outcome.count(PublishStage.PUBLISHED)).isZero();
    assertThat(printed.toString()).contains("no table has new data on " + context.auditBranch());
  }

  @Test
  void aTableKeptOffMainDoesNotStopTheOthersAndIsListedWithWhy() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("gate", Map.of());
    catalog.createNamespace(Namespace.of("gold"));
    TableRef failing = TableRef.parse("gold.failing");
    TableRef passing = TableRef.parse("gold.passing");
    String branch = Refs.auditBranch("r1");
    Table failingTable = auditedTable(catalog, failing, branch);
    Table passingTable = auditedTable(catalog, passing, branch);
    PublishStage stage =
        new PublishStage(
            (table, auditBranch) -> {
              Table loaded = catalog.loadTable(table.toIdentifier());
              long head = loaded.snapshot(auditBranch).snapshotId();
              if (table.equals(failing)) {
                return new PublishOutcome(
                    table, PublishOutcome.Status.REJECTED, OptionalLong.empty(), "failed 1 check");
              }
              loaded.manageSnapshots().createBranch(Refs.MAIN, head).commit();
              return new PublishOutcome(
                  table, PublishOutcome.Status.PUBLISHED, OptionalLong.of(head), "main -> head");
            },
            catalog);
    StageOutcome transform =
        StageOutcome.builder()
            .audited(failing)
            .audited(passing)
            .branched(failing)
            .branched(passing)
            .build();
    StringWriter printed = new StringWriter();
    StageContext context = afterTransform("ecommerce", "r1", transform, printed);

    StageOutcome outcome = stage.run(context);

    assertThat(outcome.count(PublishStage.PUBLISHED)).isEqualTo(1);
    assertThat(outcome.count(PublishStage.AUDITED)).isEqualTo(2);
    assertThat(outcome.unpublished())
        .extracting(PublishOutcome::table, PublishOutcome::message)
        .containsExactly(org.assertj.core.groups.Tuple.tuple(failing, "failed 1 check"));
    // the rejected table keeps its audit branch for inspection; the published one loses it
    failingTable.refresh();
    passingTable.refresh();
    assertThat(failingTable.refs()).containsKey(branch).doesNotContainKey(Refs.MAIN);
    assertThat(passingTable.refs()).containsKey(Refs.MAIN).doesNotContainKey(branch);
    assertThat(printed.toString())
        .contains("gold.failing: failed 1 check")
        .contains("gold.passing: main -> head");
  }

  @Test
  void inputsArePublishedFirstAndATableComputedFromOneKeptOffMainIsHeldBack() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("lineage", Map.of());
    catalog.createNamespace(Namespace.of("silver"));
    catalog.createNamespace(Namespace.of("gold"));
    String branch = Refs.auditBranch("r2");
    TableRef failing = TableRef.parse("silver.failing");
    TableRef passing = TableRef.parse("silver.passing");
    TableRef fromFailing = TableRef.parse("gold.from_failing");
    TableRef fromPublished = TableRef.parse("gold.from_published");
    TableRef fromPassing = TableRef.parse("gold.from_passing");
    // each silver table has a published main and this run's unpublished append on the branch
    Table failingTable = auditedTable(catalog, failing, Refs.MAIN);
    long failingMain = failingTable.snapshot(Refs.MAIN).snapshotId();
    failingTable.manageSnapshots().createBranch(branch, failingMain).commit();
    long failingHead = append(failingTable, branch, Map.of());
    Table passingTable = auditedTable(catalog, passing, Refs.MAIN);
    passingTable
        .manageSnapshots()
        .createBranch(branch, passingTable.snapshot(Refs.MAIN).snapshotId())
        .commit();
    long passingHead = append(passingTable, branch, Map.of());
    String key = Refs.SUMMARY_CONSUMED_PREFIX;
    for (var gold :
        Map.of(
                fromFailing, Map.of(key + failing, Long.toString(failingHead)),
                fromPublished, Map.of(key + failing, Long.toString(failingMain)),
                fromPassing, Map.of(key + passing, Long.toString(passingHead)))
            .entrySet()) {
      Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
      append(
          catalog.createTable(gold.getKey().toIdentifier(), schema, PartitionSpec.unpartitioned()),
          branch,
          gold.getValue());
    }
    List<TableRef> asked = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    Publisher fastForward = Publisher.fastForward(catalog);
    PublishStage stage =
        new PublishStage(
            (table, auditBranch) -> {
              asked.add(table);
              return table.equals(failing)
                  ? new PublishOutcome(
                      table, PublishOutcome.Status.REJECTED, OptionalLong.empty(), "failed 1 check")
                  : fastForward.publish(table, auditBranch);
            },
            catalog);
    StageOutcome.Builder transform = StageOutcome.builder();
    // gold first, as a transform could list them: the stage publishes inputs first
    for (TableRef table : List.of(fromFailing, fromPublished, fromPassing, failing, passing)) {
      transform.audited(table).branched(table);
    }
    StringWriter printed = new StringWriter();
    StageContext context = afterTransform("ecommerce", "r2", transform.build(), printed);

    StageOutcome outcome = stage.run(context);

    // inputs first: each gold table after the silver table it was computed from
    assertThat(asked)
        .containsExactlyInAnyOrder(failing, fromFailing, fromPublished, passing, fromPassing);
    assertThat(asked.indexOf(fromFailing)).isGreaterThan(asked.indexOf(failing));
    assertThat(asked.indexOf(fromPublished)).isGreaterThan(asked.indexOf(failing));
    assertThat(asked.indexOf(fromPassing)).isGreaterThan(asked.indexOf(passing));
    assertThat(outcome.unpublished())
        .extracting(PublishOutcome::table, PublishOutcome::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(failing, PublishOutcome.Status.REJECTED),
            org.assertj.core.groups.Tuple.tuple(fromFailing, PublishOutcome.Status.HELD));
    assertThat(outcome.unpublished().get(1).message())
        .isEqualTo(
            "held back: computed from silver.failing snapshot %d, which is not on its main"
                .formatted(failingHead));
    assertThat(outcome.count(PublishStage.PUBLISHED)).isEqualTo(3);
    Table held = catalog.loadTable(fromFailing.toIdentifier());
    assertThat(held.refs()).containsKey(branch).doesNotContainKey(Refs.MAIN);
    assertThat(printed.toString())
        .containsSubsequence(
            "silver.failing: failed 1 check", "gold.from_failing: held back: computed from");
  }

  @Test
  void wavesPublishTogetherTheTablesWhoseInputsAreDone() {
    TableRef orders = TableRef.parse("silver.orders");
    TableRef items = TableRef.parse("silver.items");
    TableRef dims = TableRef.parse("silver.dims");
    TableRef wide = TableRef.parse("gold.wide");
    TableRef report = TableRef.parse("gold.report");
    TableRef summary = TableRef.parse("gold.summary");
    Map<TableRef, Map<TableRef, Long>> consumed = new java.util.LinkedHashMap<>();
    // listed outputs first; a gold table built on another gold table comes a wave later
    consumed.put(summary, Map.of(report, 5L));
    consumed.put(report, Map.of(wide, 4L, dims, 3L));
    consumed.put(wide, Map.of(orders, 1L, items, 2L, TableRef.parse("bronze.other"), 9L));
    consumed.put(orders, Map.of());
    consumed.put(items, Map.of());
    consumed.put(dims, Map.of());

    List<List<TableRef>> waves = PublishStage.waves(consumed);

    assertThat(waves).hasSize(4);
    assertThat(waves.get(0)).containsExactlyInAnyOrder(orders, items, dims);
    assertThat(waves.subList(1, 4))
        .containsExactly(List.of(wide), List.of(report), List.of(summary));
  }

  @Test
  void theTablesOfAWaveArePublishedAtOnceAndEachIsPrintedInOrder() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("waves", Map.of());
    catalog.createNamespace(Namespace.of("silver"));
    String branch = Refs.auditBranch("r3");
    List<TableRef> tables = new java.util.ArrayList<>();
    StageOutcome.Builder transform = StageOutcome.builder();
    for (String name : List.of("a", "b", "c")) {
      TableRef table = TableRef.parse("silver." + name);
      auditedTable(catalog, table, branch);
      tables.add(table);
      transform.audited(table).branched(table);
    }
    // each publish waits until all three are under way: published one at a time, none would be
    java.util.concurrent.CountDownLatch started = new java.util.concurrent.CountDownLatch(3);
    Publisher fastForward = Publisher.fastForward(catalog);
    PublishStage stage =
        new PublishStage(
            (table, auditBranch) -> {
              started.countDown();
              try {
                if (!started.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                  return new PublishOutcome(
                      table, PublishOutcome.Status.REJECTED, OptionalLong.empty(), "alone");
                }
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
              return fastForward.publish(table, auditBranch);
            },
            catalog);
    StringWriter printed = new StringWriter();

    StageOutcome outcome = stage.run(afterTransform("ecommerce", "r3", transform.build(), printed));

    assertThat(outcome.unpublished()).isEmpty();
    assertThat(outcome.count(PublishStage.PUBLISHED)).isEqualTo(3);
    assertThat(printed.toString()).containsSubsequence("silver.a: ", "silver.b: ", "silver.c: ");
    for (TableRef table : tables) {
      assertThat(catalog.loadTable(table.toIdentifier()).refs())
          .containsKey(Refs.MAIN)
          .doesNotContainKey(branch);
    }
  }

  /** The context of a publish stage run after a transform stage that had {@code outcome}. */
  private static StageContext afterTransform(
      String pipeline, String runId, StageOutcome outcome, StringWriter printed) {
    return new StageContext(
        pipeline,
        runId,
        List.of(new StageResult("transform", outcome, Duration.ofSeconds(1))),
        Progress.to(new PrintWriter(printed)));
  }

  private static Table auditedTable(InMemoryCatalog catalog, TableRef ref, String branch) {
    Table table = TestSnapshots.table(catalog, ref);
    append(table, branch, Map.of());
    return table;
  }
}
