package io.floe.catalog;

import static io.floe.catalog.TestSnapshots.append;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.inmemory.InMemoryCatalog;
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
    silver = TestSnapshots.table(catalog, SILVER);
    silverMain = append(silver, Refs.MAIN, Map.of());
    silver.manageSnapshots().createBranch(BRANCH, silverMain).commit();
    silverAudit = append(silver, BRANCH, Map.of());
  }

  @Test
  void readsTheNewestInputsOfWhatTheBranchAddsToMain() {
    Table gold = TestSnapshots.table(catalog, GOLD);
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
    Table gold = TestSnapshots.table(catalog, GOLD);
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
    Table gold = TestSnapshots.table(catalog, GOLD);
    append(
        gold,
        BRANCH,
        Map.of(
            consumed(SILVER), Long.toString(silverMain),
            consumed(BRONZE), "12345",
            consumed(TableRef.parse("silver.dropped")), "1"));
    TestSnapshots.table(catalog, BRONZE);

    assertThat(Lineage.unpublishedInput(catalog, gold, BRANCH)).isEmpty();
  }

  private static String consumed(TableRef input) {
    return Refs.SUMMARY_CONSUMED_PREFIX + input;
  }
}
