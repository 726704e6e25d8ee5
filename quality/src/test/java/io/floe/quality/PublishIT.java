package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import io.floe.stack.junit.WebhookReceiver;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Write-audit-publish against the real REST catalog: pass, fail, and concurrent commits. */
@ExtendWith(LakehouseExtension.class)
class PublishIT {
  static RESTCatalog catalog;
  static RESTCatalog otherWriter;
  static String namespace;
  static QualityConfig config;
  static int tables;
  @TempDir Path reports;

  @BeforeAll
  static void open(Lakehouse lakehouse) {
    catalog = lakehouse.endpoints().catalogConnection().open("publish-test");
    otherWriter = lakehouse.endpoints().catalogConnection().open("other-writer");
    namespace = lakehouse.namespace();
    catalog.createNamespace(Namespace.of(namespace));
    config =
        QualityConfig.DEFAULT.withTables(
            new TableRef(namespace, "q_results"), new TableRef(namespace, "q_states"));
  }

  @AfterAll
  static void close() throws Exception {
    catalog.close();
    otherWriter.close();
  }

  static TableRef publishedTable() {
    TableRef ref = new TableRef(namespace, "orders_" + (++tables));
    Table table = Orders.create(catalog, ref, Map.of());
    Orders.append(table, Refs.MAIN, Orders.rows(1, 100, Orders.now()));
    return ref;
  }

  static Suite suite(TableRef table, String checks) {
    return Suites.parse(table, ConfigNode.parse("test", "checks:\n" + checks, n -> null));
  }

  static Suite orders(TableRef table) {
    return suite(table, "  - unique: order_id\n  - max: {column: revenue, max: 100000}\n");
  }

  private QualityGate.PublishBuilder publish(TableRef ref, String branch) {
    return QualityGate.publish(catalog, ref)
        .suite(orders(ref))
        .config(config)
        .auditBranch(branch)
        .reportDirectory(reports);
  }

  @Test
  void aPassingBranchIsPublishedExactlyWithVerdictAndTag() throws Exception {
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    long audited = Orders.append(table, "audit_run1", Orders.rows(101, 50, Orders.now()));

    PublishResult result = publish(ref, "audit_run1").execute();

    assertThat(result.outcome()).as(result.message()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    table.refresh();
    Snapshot main = table.snapshot(Refs.MAIN);
    assertThat(main.snapshotId()).isEqualTo(result.publishedSnapshot().orElseThrow());
    assertThat(main.parentId()).isEqualTo(audited);
    assertThat(main.addedDataFiles(table.io())).isEmpty();
    assertThat(main.summary())
        .containsEntry(Refs.SUMMARY_VERDICT, "pass")
        .containsEntry(Refs.SUMMARY_SUITE_HASH, orders(ref).hash())
        .containsEntry(Refs.SUMMARY_AUDITED_SNAPSHOT, Long.toString(audited));
    String tag = result.tag().orElseThrow();
    assertThat(tag).startsWith(Refs.PUBLISHED_TAG_PREFIX);
    SnapshotRef tagRef = table.refs().get(tag);
    assertThat(tagRef.isTag()).isTrue();
    assertThat(tagRef.snapshotId()).isEqualTo(main.snapshotId());
    assertThat(tagRef.maxRefAgeMs()).isEqualTo(Duration.ofDays(90).toMillis());
    Path report = Path.of(result.verdict().orElseThrow().report().orElseThrow());
    assertThat(Files.readString(report)).contains("PASS", "unique(order_id)");
    // the history table has this evaluation, marked published
    assertThat(new IcebergResultStore(catalog, config).publishedValues(ref, "max(revenue)", 10))
        .hasSize(1);
  }

  @Test
  void aFailingBranchNeverMovesMainAndIsKept() {
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    long mainBefore = table.currentSnapshot().snapshotId();
    List<Record> rows = new ArrayList<>(Orders.rows(101, 50, Orders.now()));
    rows.add(rows.get(0).copy());
    rows.get(5).setField("revenue", new BigDecimal("250000.00"));
    long audited = Orders.append(table, "audit_bad", rows);

    PublishResult result = publish(ref, "audit_bad").execute();

    assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
    assertThat(result.message())
        .contains(
            "failed 2 check(s)",
            "unique(order_id) FAIL",
            "max(revenue) FAIL",
            "main untouched",
            "audit_bad kept");
    table.refresh();
    assertThat(table.snapshot(Refs.MAIN).snapshotId()).isEqualTo(mainBefore);
    assertThat(table.snapshot("audit_bad").snapshotId()).isEqualTo(audited);
    assertThat(table.refs().keySet()).noneMatch(Refs::isPublishedTag);
  }

  @Test
  void aBranchComputedFromAnInputTheGateRejectedIsHeldBackUntilThatInputIsPublished() {
    TableRef input = publishedTable();
    Table inputTable = catalog.loadTable(input.toIdentifier());
    List<Record> duplicated = new ArrayList<>(Orders.rows(101, 20, Orders.now()));
    duplicated.add(duplicated.get(0).copy());
    long rejected = Orders.append(inputTable, "audit_lineage", duplicated);
    assertThat(publish(input, "audit_lineage").execute().outcome())
        .isEqualTo(PublishResult.Outcome.REJECTED);
    // a table the same run computed from the rejected input's audit head
    TableRef derived = publishedTable();
    Table derivedTable = catalog.loadTable(derived.toIdentifier());
    long mainBefore = derivedTable.currentSnapshot().snapshotId();
    derivedTable.manageSnapshots().createBranch("audit_lineage", mainBefore).commit();
    derivedTable
        .newAppend()
        .appendFile(Orders.write(derivedTable, Orders.rows(101, 20, Orders.now())))
        .set(Refs.SUMMARY_CONSUMED_PREFIX + input, Long.toString(rejected))
        .toBranch("audit_lineage")
        .commit();

    PublishResult held = publish(derived, "audit_lineage").execute();

    assertThat(held.outcome()).isEqualTo(PublishResult.Outcome.HELD);
    assertThat(held.verdict()).isEmpty();
    assertThat(held.message())
        .contains(
            "held back: computed from %s snapshot %d, which is not on its main"
                .formatted(input, rejected),
            "main untouched",
            "audit_lineage kept");
    derivedTable.refresh();
    assertThat(derivedTable.snapshot(Refs.MAIN).snapshotId()).isEqualTo(mainBefore);

    // once that input snapshot is on its main (published by hand here), the derived branch is
    // evaluated and published
    inputTable.manageSnapshots().fastForwardBranch(Refs.MAIN, "audit_lineage").commit();
    assertThat(publish(derived, "audit_lineage").execute().outcome())
        .isEqualTo(PublishResult.Outcome.PUBLISHED);
  }

  @Test
  void aCommitToMainBetweenAuditAndPublishIsNeverOverwrittenOrSkipped() {
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    Orders.append(table, "audit_race", Orders.rows(101, 50, Orders.now()));
    long[] concurrent = new long[1];

    PublishResult result =
        publish(ref, "audit_race")
            .beforeSwap(
                () -> {
                  // another writer commits unaudited data to main after the gate read main
                  Table other = otherWriter.loadTable(ref.toIdentifier());
                  concurrent[0] =
                      Orders.append(other, Refs.MAIN, Orders.rows(9001, 5, Orders.now()));
                })
            .execute();

    assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.CONFLICT);
    assertThat(result.message()).contains("main changed while publishing");
    table.refresh();
    assertThat(table.snapshot(Refs.MAIN).snapshotId()).isEqualTo(concurrent[0]);
    assertThat(table.refs().keySet()).noneMatch(Refs::isPublishedTag);
  }

  @Test
  void aBranchCutBeforeMainMovedIsRefused() {
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    Orders.append(table, "audit_old", Orders.rows(101, 50, Orders.now()));
    long moved = Orders.append(table, Refs.MAIN, Orders.rows(201, 5, Orders.now()));

    PublishResult result = publish(ref, "audit_old").execute();

    assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.CONFLICT);
    assertThat(result.message()).contains("main moved since the branch was cut");
    table.refresh();
    assertThat(table.snapshot(Refs.MAIN).snapshotId()).isEqualTo(moved);
  }

  @Test
  void anIncrementalPublishReadsOnlyWhatWasAddedSinceTheLastPublish() {
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    long firstHead = Orders.append(table, "audit_i1", Orders.rows(101, 10, Orders.now()));
    PublishResult first = publish(ref, "audit_i1").incremental().execute();
    assertThat(first.outcome()).as(first.message()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    assertThat(first.verdict().orElseThrow().basis()).startsWith("full: ");

    // the next audit branch starts at the verdict snapshot main now points at
    Orders.append(table, "audit_i2", Orders.rows(111, 10, Orders.now()));
    PublishResult second = publish(ref, "audit_i2").incremental().execute();
    assertThat(second.outcome()).as(second.message()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    Verdict verdict = second.verdict().orElseThrow();
    assertThat(verdict.basis())
        .isEqualTo("incremental from audited snapshot %d, 1 file added since".formatted(firstHead));
    assertThat(verdict.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);

    // a key published two publishes ago, written again: caught, main stays
    table.refresh();
    long mainBefore = table.snapshot(Refs.MAIN).snapshotId();
    Orders.append(table, "audit_i3", Orders.rows(105, 1, Orders.now()));
    PublishResult repeat = publish(ref, "audit_i3").incremental().execute();
    assertThat(repeat.outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
    CheckResult unique = repeat.verdict().orElseThrow().result("unique(order_id)").orElseThrow();
    assertThat(unique.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(unique.samples()).containsExactly("[105] x2");
    table.refresh();
    assertThat(table.snapshot(Refs.MAIN).snapshotId()).isEqualTo(mainBefore);
  }

  /**
   * A table in a nested namespace ({@code <ns>.sales.eu.orders}) is audited and published like any,
   * with its metric history and states in a nested namespace of their own, which the first
   * evaluation creates level by level.
   */
  @Test
  void aTableInANestedNamespaceIsPublishedWithItsHistoryInANestedNamespaceToo() {
    catalog.createNamespace(Namespace.of(namespace, "sales"));
    catalog.createNamespace(Namespace.of(namespace, "sales", "eu"));
    TableRef ref = TableRef.parse(namespace + ".sales.eu.orders");
    assertThat(ref.toIdentifier().namespace().levels()).hasSize(3);
    Table table = Orders.create(catalog, ref, Map.of());
    Orders.append(table, Refs.MAIN, Orders.rows(1, 100, Orders.now()));
    QualityConfig nested =
        QualityConfig.DEFAULT.withTables(
            TableRef.parse(namespace + ".ops.quality.results"),
            TableRef.parse(namespace + ".ops.quality.states"));
    Orders.append(table, "audit_n1", Orders.rows(101, 10, Orders.now()));
    PublishResult first = publish(ref, "audit_n1").config(nested).incremental().execute();
    assertThat(first.outcome()).as(first.message()).isEqualTo(PublishResult.Outcome.PUBLISHED);

    long audited = Orders.append(table, "audit_n2", Orders.rows(105, 1, Orders.now()));
    PublishResult repeat = publish(ref, "audit_n2").config(nested).incremental().execute();
    assertThat(repeat.outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
    Verdict verdict = repeat.verdict().orElseThrow();
    assertThat(verdict.basis()).startsWith("incremental from audited snapshot");
    assertThat(verdict.result("unique(order_id)").orElseThrow().samples())
        .containsExactly("[105] x2");
    assertThat(verdict.snapshotId()).isEqualTo(audited);
    assertThat(catalog.namespaceExists(Namespace.of(namespace, "ops", "quality"))).isTrue();
    assertThat(new IcebergResultStore(catalog, nested).publishedValues(ref, "max(revenue)", 10))
        .hasSize(1);
  }

  @Test
  void anomalyChecksCompareWithThePublishedHistory() {
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    Suite suite =
        suite(
            ref,
            "  - anomaly: {metric: row-count, sigma: 3, history: 5}\n  - change: {metric: row-count, max-delta-pct: 50}\n");
    long next = 101;
    for (int run = 0; run < 4; run++) {
      Orders.append(table, "audit_h" + run, Orders.rows(next, 10 + run, Orders.now()));
      next += 10 + run;
      PublishResult ok =
          QualityGate.publish(catalog, ref)
              .suite(suite)
              .config(config)
              .auditBranch("audit_h" + run)
              .execute();
      assertThat(ok.outcome()).as(ok.message()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    }
    // history of row counts 110, 121, 133, 146: a jump to 1146 is an anomaly and a >50% change
    Orders.append(table, "audit_jump", Orders.rows(next, 1000, Orders.now()));
    PublishResult jump =
        QualityGate.publish(catalog, ref)
            .suite(suite)
            .config(config)
            .auditBranch("audit_jump")
            .execute();
    assertThat(jump.outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
    Verdict verdict = jump.verdict().orElseThrow();
    assertThat(verdict.result("anomaly(row-count)").orElseThrow().status())
        .isEqualTo(CheckStatus.FAIL);
    assertThat(verdict.result("anomaly(row-count)").orElseThrow().message())
        .contains("last 4 publishes");
    assertThat(verdict.result("anomaly(row-count)").orElseThrow().history())
        .containsExactly(110.0, 121.0, 133.0, 146.0);
    assertThat(verdict.result("change(row-count)").orElseThrow().status())
        .isEqualTo(CheckStatus.FAIL);
    // both row counts, now and published, come from the manifests
    assertThat(verdict.result("change(row-count)").orElseThrow().source())
        .isEqualTo(MetricSource.METADATA);
    assertThat(verdict.result("anomaly(row-count)").orElseThrow().source())
        .isEqualTo(MetricSource.METADATA);
  }

  @Test
  void theHistoryIsReadNewestFirstAndOnlyAsFarAsTheLastPublishes() {
    QualityConfig own =
        QualityConfig.DEFAULT.withTables(
            new TableRef(namespace, "q_results_newest"),
            new TableRef(namespace, "q_states_newest"));
    IcebergResultStore store = new IcebergResultStore(catalog, own);
    TableRef ref = new TableRef(namespace, "orders_history");
    TableRef other = new TableRef(namespace, "orders_other");
    Check max = suite(ref, "  - max: {column: revenue, max: 100000}\n").checks().get(0);
    java.time.Instant start = java.time.Instant.parse("2026-01-01T00:00:00Z");
    // twelve publishes of snapshots 100-111, each with a value equal to its number; between them,
    // an unpublished evaluation (value -1) and another table's publish (-2)
    for (int i = 0; i < 12; i++) {
      java.time.Instant at = start.plus(Duration.ofHours(i));
      store.record(verdict(ref, 100 + i, at, max, i), true);
      store.record(verdict(ref, 200 + i, at.plusSeconds(60), max, -1), false);
      store.record(verdict(other, 300 + i, at.plusSeconds(120), max, -2), true);
    }
    // snapshot 110 evaluated and published again later: its newest value counts, once
    store.record(
        verdict(ref, 110, start.plus(Duration.ofHours(11)).plusSeconds(30), max, 42), true);
    assertThat(store.publishedValues(ref, "max(revenue)", 3)).containsExactly(42.0, 11.0, 9.0);
    assertThat(store.publishedValues(ref, "max(revenue)", 12))
        .containsExactly(42.0, 11.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0, 0.0);

    // the files of the evaluations of the first eight hours (three appends an hour) leave the
    // storage: the last three publishes are still read, from the newest files alone
    Table results = catalog.loadTable(own.resultsTable().toIdentifier());
    List<Snapshot> appends = new ArrayList<>();
    results.snapshots().forEach(appends::add);
    assertThat(appends).hasSize(37);
    for (Snapshot append : appends.subList(0, 24)) {
      append.addedDataFiles(results.io()).forEach(f -> results.io().deleteFile(f.location()));
    }
    assertThat(store.publishedValues(ref, "max(revenue)", 3)).containsExactly(42.0, 11.0, 9.0);
    assertThatThrownBy(() -> store.publishedValues(ref, "max(revenue)", 5))
        .isInstanceOf(RuntimeException.class);
  }

  private static Verdict verdict(
      TableRef table, long snapshotId, java.time.Instant at, Check check, double value) {
    CheckResult result =
        new CheckResult(
            check,
            CheckStatus.PASS,
            "max(revenue)",
            java.util.OptionalDouble.of(value),
            "<= 100000",
            MetricSource.SCAN,
            0,
            List.of(),
            "");
    return new Verdict(
        table,
        snapshotId,
        java.util.Optional.empty(),
        "h",
        at,
        List.of(result),
        "full",
        java.util.Optional.empty(),
        List.of());
  }

  @Test
  void aFailedVerdictIsPostedToTheWebhook() throws Exception {
    try (WebhookReceiver hook = WebhookReceiver.start()) {
      TableRef ref = publishedTable();
      PublishResult result = publishDuplicate(ref, "audit_hook", hook.url());
      assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
      assertThat(hook.bodies()).hasSize(1);
      assertThat(hook.bodies().get(0))
          .startsWith("{\"text\":")
          .contains("FAILED", ref.toString(), "unique(order_id) FAIL", "audit_hook");
      assertThat(result.verdict().orElseThrow().warnings()).isEmpty();
    }
  }

  @Test
  void aFailureAlertThatCannotBeSentIsSaidOnTheVerdictAndTheGateStillHolds() throws Exception {
    String closed;
    try (WebhookReceiver hook = WebhookReceiver.start()) {
      closed = hook.url();
    }
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    long main = table.currentSnapshot().snapshotId();
    PublishResult result = publishDuplicate(ref, "audit_unheard", closed);
    assertThat(result.outcome()).isEqualTo(PublishResult.Outcome.REJECTED);
    assertThat(result.verdict().orElseThrow().warnings())
        .singleElement()
        .satisfies(why -> assertThat(why).contains("webhook " + closed, "unreachable"));
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(main);
  }

  @Test
  void aPublishWhoseHistoryCannotBeRecordedIsPublishedAndSaysSo() {
    // quality.results-table mistyped as a business table: the history cannot go there, and that
    // table must not be touched (marked a log table, it would keep an hour of snapshots)
    TableRef business = publishedTable();
    Table businessTable = catalog.loadTable(business.toIdentifier());
    Map<String, String> businessProperties = businessTable.properties();
    long businessHead = businessTable.currentSnapshot().snapshotId();
    TableRef ref = publishedTable();
    Table table = catalog.loadTable(ref.toIdentifier());
    long audited = Orders.append(table, "audit_unrecorded", Orders.rows(101, 5, Orders.now()));

    PublishResult result =
        QualityGate.publish(catalog, ref)
            .suite(orders(ref))
            .config(config.withTables(business, config.statesTable()))
            .auditBranch("audit_unrecorded")
            .execute();

    assertThat(result.outcome()).as(result.message()).isEqualTo(PublishResult.Outcome.PUBLISHED);
    table.refresh();
    assertThat(table.snapshot(Refs.MAIN).parentId()).isEqualTo(audited);
    assertThat(result.verdict().orElseThrow().warnings())
        .singleElement()
        .satisfies(
            warning ->
                assertThat(warning)
                    .contains(
                        "the metric history " + business + " did not record this evaluation",
                        "is not a table Floe logs to"));
    businessTable.refresh();
    assertThat(businessTable.properties()).isEqualTo(businessProperties);
    assertThat(businessTable.currentSnapshot().snapshotId()).isEqualTo(businessHead);
  }

  /**
   * Writes five orders, one of them twice, to {@code branch} and publishes it, alerting {@code
   * webhook}.
   */
  private PublishResult publishDuplicate(TableRef ref, String branch, String webhook) {
    Table table = catalog.loadTable(ref.toIdentifier());
    List<Record> rows = new ArrayList<>(Orders.rows(101, 5, Orders.now()));
    rows.add(rows.get(0).copy());
    Orders.append(table, branch, rows);
    return QualityGate.publish(catalog, ref)
        .suite(orders(ref))
        .config(config.withWebhook(webhook))
        .auditBranch(branch)
        .execute();
  }
}
