package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** A dry run lists exactly what the real run that follows it then moves or deletes. */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DryRunTest {
  private static final MaintenancePolicy ONE_HOUR =
      Policies.of("{orphan-min-age: 1h, quarantine-grace: 2h}");
  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
  private static final MaintenancePolicy.RetentionRule SEVEN_DAYS =
      new MaintenancePolicy.RetentionRule("ts", Duration.ofDays(7));

  private RESTCatalog catalog;
  private Lakehouse lakehouse;
  private DeletionLedger ledger;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("dry-run-test");
    this.ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void orphanDryRunsListExactlyWhatTheRealRunsQuarantineAndPurge() {
    Table table =
        Fixtures.create(
            catalog, lakehouse.namespace(), "orphans", Fixtures.byCategory(), SortOrder.unsorted());
    Fixtures.append(table, Fixtures.rows(0, 30));
    Fixtures.append(table, Fixtures.rows(30, 30));
    List<String> rows = Fixtures.read(table);
    List<DataFile> abandoned = Fixtures.write(table, Fixtures.rows(1000, 30));
    Instant later = Instant.now().plus(Duration.ofHours(2));

    OrphanResult dry = orphans(later).dryRun().execute();
    assertThat(dry.quarantined()).hasSize(abandoned.size());
    for (DataFile file : abandoned) {
      assertThat(table.io().newInputFile(file.location()).exists()).isTrue();
    }
    assertThat(ledger.inState(dry.table(), LedgerEntry.State.INTENT)).isEmpty();
    assertThat(ledger.inState(dry.table(), LedgerEntry.State.QUARANTINED)).isEmpty();

    OrphanResult real = orphans(later).execute();
    assertThat(real.quarantined()).containsExactlyInAnyOrderElementsOf(dry.quarantined());
    for (RemovedFile file : real.quarantined()) {
      assertThat(table.io().newInputFile(file.path()).exists()).isFalse();
    }

    Instant afterGrace = later.plus(Duration.ofDays(1));
    OrphanResult dryPurge = orphans(afterGrace).dryRun().execute();
    assertThat(dryPurge.purged()).hasSize(abandoned.size());
    for (RemovedFile file : dryPurge.purged()) {
      assertThat(table.io().newInputFile(file.path()).exists()).isTrue();
    }

    OrphanResult purge = orphans(afterGrace).execute();
    assertThat(purge.purged()).containsExactlyInAnyOrderElementsOf(dryPurge.purged());
    for (RemovedFile file : purge.purged()) {
      assertThat(table.io().newInputFile(file.path()).exists()).isFalse();
    }
    assertThat(Fixtures.read(table)).isEqualTo(rows);
  }

  @Test
  void retentionDryRunListsExactlyWhatTheRealRunDropsAndRewrites() {
    Table byDay =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "retain_by_day",
            Fixtures.byDay(),
            SortOrder.unsorted());
    Table unaligned =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "retain_unaligned",
            Fixtures.byCategory(),
            SortOrder.unsorted());
    for (Table table : List.of(byDay, unaligned)) {
      Fixtures.append(table, Fixtures.rows(0, 60));
      Fixtures.append(table, Fixtures.rows(60, 60));
      table.refresh();
      long head = table.currentSnapshot().snapshotId();
      List<String> rows = Fixtures.read(table);

      RetentionResult dry = Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).dryRun().execute();
      assertThat(dry.droppedFiles().size() + dry.rewrittenFiles().size()).isPositive();
      assertThat(dry.snapshotId()).isEmpty();
      table.refresh();
      assertThat(table.currentSnapshot().snapshotId()).isEqualTo(head);
      assertThat(Fixtures.read(table)).isEqualTo(rows);

      RetentionResult real =
          Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(real.droppedFiles()).containsExactlyInAnyOrderElementsOf(dry.droppedFiles());
      assertThat(real.rewrittenFiles()).containsExactlyInAnyOrderElementsOf(dry.rewrittenFiles());
      assertThat(real.snapshotId()).isPresent();
      assertThat(Fixtures.read(table)).hasSize(120 - 48);
    }
  }

  private OrphanRemoval orphans(Instant at) {
    return Maintenance.removeOrphans(
            catalog.loadTable(
                org.apache.iceberg.catalog.TableIdentifier.of(lakehouse.namespace(), "orphans")))
        .policy(ONE_HOUR)
        .forceBelowFloor()
        .now(at)
        .ledger(ledger);
  }
}
