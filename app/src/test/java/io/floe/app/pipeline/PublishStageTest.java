package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.iceberg.DataFiles;
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
    StageContext context =
        new StageContext(
            "tweets",
            "r1",
            List.of(new StageResult("transform", StageOutcome.empty(), Duration.ofSeconds(1))),
            Progress.to(new PrintWriter(printed)));

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
    StageContext context =
        new StageContext(
            "ecommerce",
            "r1",
            List.of(new StageResult("transform", transform, Duration.ofSeconds(1))),
            Progress.to(new PrintWriter(printed)));

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

  private static Table auditedTable(InMemoryCatalog catalog, TableRef ref, String branch) {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    Table table = catalog.createTable(ref.toIdentifier(), schema, PartitionSpec.unpartitioned());
    table
        .newAppend()
        .appendFile(
            DataFiles.builder(PartitionSpec.unpartitioned())
                .withPath(table.location() + "/data/" + ref.name() + ".parquet")
                .withFileSizeInBytes(100)
                .withRecordCount(1)
                .build())
        .toBranch(branch)
        .commit();
    return table;
  }
}
