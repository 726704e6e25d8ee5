package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.FloeException;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrphanRemovalTest {
  private static final MaintenancePolicy ONE_HOUR =
      Policies.of("{orphan-min-age: 1h, quarantine-grace: 2h}");

  private RESTCatalog catalog;
  private Lakehouse lakehouse;
  private DeletionLedger ledger;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("orphan-test");
    this.ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void neverTouchesReachableFilesOrFilesOfAWriteStillInFlight() {
    Table table =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "in_flight",
            Fixtures.byCategory(),
            SortOrder.unsorted());
    Fixtures.append(table, Fixtures.rows(0, 30));
    table.manageSnapshots().createTag("v1", table.currentSnapshot().snapshotId()).commit();
    Fixtures.append(table, Fixtures.rows(30, 30));
    table.manageSnapshots().createBranch("audit_x", table.currentSnapshot().snapshotId()).commit();
    Fixtures.append(table, "audit_x", Fixtures.rows(60, 30));
    List<String> rows = Fixtures.read(table);
    Set<String> referenced = Fixtures.referenced(table);
    // a writer has written its files but not committed yet
    List<DataFile> inFlight = Fixtures.write(table, Fixtures.rows(1000, 30));

    OrphanResult result =
        Maintenance.removeOrphans(table)
            .policy(ONE_HOUR)
            .forceBelowFloor()
            .ledger(ledger)
            .execute();

    assertThat(result.quarantined()).isEmpty();
    assertThat(result.tooYoung()).isEqualTo(inFlight.size());
    for (DataFile file : inFlight) {
      assertThat(table.io().newInputFile(file.location()).exists()).isTrue();
    }
    // the writer commits late: nothing it needs is gone
    var append = table.newAppend();
    inFlight.forEach(append::appendFile);
    append.commit();
    assertThat(Fixtures.read(table)).hasSize(rows.size() + 30);
    for (String path : referenced) {
      assertThat(table.io().newInputFile(path).exists()).as(path).isTrue();
    }
  }

  @Test
  void quarantinesOldOrphansRestoresThemAndPurgesAfterTheGracePeriod() {
    Table table =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "quarantine",
            Fixtures.byCategory(),
            SortOrder.unsorted());
    Fixtures.append(table, Fixtures.rows(0, 30));
    Fixtures.append(table, Fixtures.rows(30, 30));
    List<String> rows = Fixtures.read(table);
    Set<String> referenced = Fixtures.referenced(table);
    List<DataFile> abandoned = Fixtures.write(table, Fixtures.rows(1000, 30));
    Set<String> abandonedPaths =
        abandoned.stream().map(DataFile::location).collect(Collectors.toSet());
    Instant later = Instant.now().plus(Duration.ofHours(2));

    OrphanResult dry =
        Maintenance.removeOrphans(table)
            .policy(ONE_HOUR)
            .forceBelowFloor()
            .now(later)
            .dryRun()
            .execute();
    assertThat(dry.quarantined().stream().map(RemovedFile::path).collect(Collectors.toSet()))
        .isEqualTo(abandonedPaths);
    assertThat(table.io().newInputFile(abandoned.get(0).location()).exists()).isTrue();

    OrphanResult result =
        Maintenance.removeOrphans(table)
            .policy(ONE_HOUR)
            .forceBelowFloor()
            .now(later)
            .ledger(ledger)
            .execute();

    assertThat(result.quarantined().stream().map(RemovedFile::path).collect(Collectors.toSet()))
        .isEqualTo(abandonedPaths);
    assertThat(result.reachable()).isGreaterThanOrEqualTo(referenced.size());
    for (String path : abandonedPaths) {
      assertThat(table.io().newInputFile(path).exists()).isFalse();
    }
    for (String path : referenced) {
      assertThat(table.io().newInputFile(path).exists()).as(path).isTrue();
    }
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    List<LedgerEntry> quarantined = ledger.inState(result.table(), LedgerEntry.State.QUARANTINED);
    assertThat(quarantined)
        .extracting(LedgerEntry::path)
        .containsExactlyInAnyOrderElementsOf(abandonedPaths);
    for (LedgerEntry entry : quarantined) {
      assertThat(entry.quarantinePath().orElseThrow()).doesNotStartWith(table.location());
      assertThat(table.io().newInputFile(entry.quarantinePath().orElseThrow()).exists()).isTrue();
    }

    List<RemovedFile> restored =
        Maintenance.restoreOrphans(table).ledger(ledger).run(result.runId()).execute();
    assertThat(restored)
        .extracting(RemovedFile::path)
        .containsExactlyInAnyOrderElementsOf(abandonedPaths);
    for (String path : abandonedPaths) {
      assertThat(table.io().newInputFile(path).exists()).isTrue();
    }

    // quarantined again, then purged once the grace period is over
    OrphanResult again =
        Maintenance.removeOrphans(table)
            .policy(ONE_HOUR)
            .forceBelowFloor()
            .now(later)
            .ledger(ledger)
            .execute();
    assertThat(again.quarantined()).hasSize(abandonedPaths.size());
    OrphanResult purge =
        Maintenance.removeOrphans(table)
            .policy(ONE_HOUR)
            .forceBelowFloor()
            .now(later.plus(Duration.ofDays(1)))
            .ledger(ledger)
            .execute();
    assertThat(purge.purged()).hasSize(abandonedPaths.size());
    for (RemovedFile file : purge.purged()) {
      assertThat(table.io().newInputFile(file.path()).exists()).isFalse();
    }
    assertThat(ledger.inState(result.table(), LedgerEntry.State.PURGED))
        .hasSize(abandonedPaths.size());
    assertThat(Fixtures.read(table)).isEqualTo(rows);
  }

  @Test
  void refusesAMinimumAgeBelow24HoursUnlessForced() {
    Table table =
        Fixtures.create(
            catalog, lakehouse.namespace(), "floor", Fixtures.byCategory(), SortOrder.unsorted());
    assertThatThrownBy(() -> Maintenance.removeOrphans(table).policy(ONE_HOUR).dryRun().execute())
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("maintenance.orphan-min-age is 1h")
        .hasMessageContaining("less than 1d");
  }

  @Test
  void refusesWhenTheMetadataSpellsPathsWithAnotherScheme() {
    Table table =
        Fixtures.create(
            catalog, lakehouse.namespace(), "s3a", Fixtures.byCategory(), SortOrder.unsorted());
    DataFile real = Fixtures.write(table, Fixtures.rows(0, 1)).get(0);
    DataFile s3a =
        DataFiles.builder(table.spec())
            .copy(real)
            .withPath(real.location().replaceFirst("^s3://", "s3a://"))
            .build();
    table.newAppend().appendFile(s3a).commit();

    assertThatThrownBy(
            () ->
                Maintenance.removeOrphans(table)
                    .policy(ONE_HOUR)
                    .forceBelowFloor()
                    .now(Instant.now().plus(Duration.ofDays(1)))
                    .ledger(ledger)
                    .execute())
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("refusing orphan removal")
        .hasMessageContaining("s3a://");
    assertThat(table.io().newInputFile(real.location()).exists()).isTrue();
  }
}
