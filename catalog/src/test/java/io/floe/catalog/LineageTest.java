package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LineageTest {
  private static final String BRANCH = Refs.auditBranch("r1");
  private static final TableRef SILVER = TableRef.parse("silver.orders");
  private static final TableRef BRONZE = TableRef.parse("bronze.orders");
  private static final TableRef GOLD = TableRef.parse("gold.report");

  private InMemoryCatalog catalog;
  private Table silver;
  private long silverMain;
  private long silverAudit;

  @BeforeEach
  void silverWithAPublishedAndAnUnpublishedSnapshot() {
    catalog = new InMemoryCatalog();
    catalog.initialize("lineage", Map.of());
    for (String namespace : new String[] {"bronze", "silver", "gold"}) {
      catalog.createNamespace(Namespace.of(namespace));
    }
    silver = table(SILVER);
    silverMain = append(silver, Refs.MAIN, Map.of());
    silver.manageSnapshots().createBranch(BRANCH, silverMain).commit();
    silverAudit = append(silver, BRANCH, Map.of());
  }

  @Test
  void readsTheNewestInputsOfWhatTheBranchAddsToMain() {
    Table gold = table(GOLD);
    append(gold, Refs.MAIN, Map.of(consumed(SILVER), "1"));
    gold.manageSnapshots().createBranch(BRANCH, gold.snapshot(Refs.MAIN).snapshotId()).commit();
    append(gold, BRANCH, Map.of(consumed(SILVER), "2", consumed(BRONZE), "7"));
    append(gold, BRANCH, Map.of(consumed(SILVER), "3", "floe.consumed.not a table", "4"));

    // the newest per input, and nothing from main's own history (its silver 1)
    assertThat(Lineage.consumed(gold, BRANCH))
        .containsExactlyInAnyOrderEntriesOf(Map.of(SILVER, 3L, BRONZE, 7L));
    assertThat(Lineage.consumed(gold, "audit_missing")).isEmpty();
  }

  @Test
  void aBranchComputedFromAnUnpublishedInputSnapshotIsNotPublishable() {
    Table gold = table(GOLD);
    append(gold, BRANCH, Map.of(consumed(SILVER), Long.toString(silverAudit)));

    assertThat(Lineage.unpublishedInput(catalog, gold, BRANCH))
        .contains(
            "computed from silver.orders snapshot %d, which is not on its main"
                .formatted(silverAudit));

    // once the input is published (main fast-forwarded, then moved on), it passes
    silver.manageSnapshots().fastForwardBranch(Refs.MAIN, BRANCH).commit();
    append(silver, Refs.MAIN, Map.of());
    assertThat(Lineage.unpublishedInput(catalog, gold, BRANCH)).isEmpty();
  }

  @Test
  void publishedExpiredAndDroppedInputsPass() {
    Table gold = table(GOLD);
    append(
        gold,
        BRANCH,
        Map.of(
            consumed(SILVER), Long.toString(silverMain),
            consumed(BRONZE), "12345",
            consumed(TableRef.parse("silver.dropped")), "1"));
    table(BRONZE);

    assertThat(Lineage.unpublishedInput(catalog, gold, BRANCH)).isEmpty();
  }

  private static String consumed(TableRef input) {
    return Refs.SUMMARY_CONSUMED_PREFIX + input;
  }

  private Table table(TableRef ref) {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    return catalog.createTable(ref.toIdentifier(), schema, PartitionSpec.unpartitioned());
  }

  private static long append(Table table, String branch, Map<String, String> summary) {
    AppendFiles append =
        table
            .newAppend()
            .appendFile(
                DataFiles.builder(PartitionSpec.unpartitioned())
                    .withPath(table.location() + "/data/" + UUID.randomUUID() + ".parquet")
                    .withFileSizeInBytes(100)
                    .withRecordCount(1)
                    .build())
            .toBranch(branch);
    summary.forEach(append::set);
    append.commit();
    return table.snapshot(branch).snapshotId();
  }
}
