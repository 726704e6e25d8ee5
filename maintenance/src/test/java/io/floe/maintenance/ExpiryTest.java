package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.Refs;
import io.floe.core.error.FloeException;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SnapshotRef;
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
class ExpiryTest {
  private static final MaintenancePolicy EXPIRE_ALL =
      Policies.of("{snapshot-max-age: 1ms, min-snapshots: 1, audit-branch-max-age: 1d}");

  private RESTCatalog catalog;
  private Lakehouse lakehouse;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("expiry-test");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void keepsEveryFileAnyBranchOrTagStillReferences() throws Exception {
    Table table =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "multi_ref",
            Fixtures.byCategory(),
            SortOrder.unsorted());
    List<DataFile> first = Fixtures.append(table, Fixtures.rows(0, 30));
    long s1 = table.currentSnapshot().snapshotId();
    table.manageSnapshots().createTag("v1", s1).commit();
    table.manageSnapshots().createTag(Refs.publishedTag(Instant.now()), s1).commit();
    Fixtures.append(table, Fixtures.rows(100, 30));
    long s2 = table.currentSnapshot().snapshotId();
    var delete = table.newDelete();
    first.forEach(delete::deleteFile);
    delete.commit();
    long s3 = table.currentSnapshot().snapshotId();
    table.manageSnapshots().createBranch("dev", s2).commit();
    Fixtures.append(table, "dev", Fixtures.rows(200, 30));
    table.manageSnapshots().createBranch("audit_run1", s3).commit();
    Fixtures.append(table, "audit_run1", Fixtures.rows(300, 30));
    Fixtures.append(table, Fixtures.rows(400, 30));

    Map<String, List<String>> before = rowsPerRef(table);
    DeletionLedger ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger");

    ExpiryResult dry =
        Maintenance.expire(table).policy(EXPIRE_ALL).forceBelowFloor().dryRun().execute();
    assertThat(dry.dryRun()).isTrue();
    assertThat(rowsPerRef(table)).isEqualTo(before);

    ExpiryResult result =
        Maintenance.expire(table).policy(EXPIRE_ALL).forceBelowFloor().ledger(ledger).execute();

    assertThat(result.expiredSnapshots()).contains(s2).doesNotContain(s1, s3);
    assertThat(result.horizon().protections())
        .anySatisfy(p -> assertThat(p.name()).isEqualTo("audit-branch audit_run1"));
    assertThat(paths(result.deletedFiles())).isEqualTo(paths(dry.deletedFiles())).isNotEmpty();
    assertThat(result.expiredSnapshots())
        .containsExactlyInAnyOrderElementsOf(dry.expiredSnapshots());
    // every ref reads exactly what it read before, and every file it can reach is still there
    assertThat(rowsPerRef(table)).isEqualTo(before);
    Fixtures.assertReferencedFilesExist(table);
    for (DataFile file : first) {
      assertThat(table.io().newInputFile(file.location()).exists())
          .as("tag v1 keeps " + file.location())
          .isTrue();
    }
    // every deleted file is gone and recorded, intent first
    Set<String> deleted = paths(result.deletedFiles());
    for (String path : deleted) {
      assertThat(table.io().newInputFile(path).exists()).isFalse();
    }
    List<LedgerEntry> history = ledger.history(result.table());
    assertThat(
            history.stream()
                .filter(e -> e.state() == LedgerEntry.State.INTENT)
                .map(LedgerEntry::path)
                .collect(Collectors.toSet()))
        .isEqualTo(deleted);
    assertThat(
            ledger.inState(result.table(), LedgerEntry.State.DELETED).stream()
                .map(LedgerEntry::path)
                .collect(Collectors.toSet()))
        .isEqualTo(deleted);
    assertThat(ledger.inState(result.table(), LedgerEntry.State.INTENT)).isEmpty();
  }

  @Test
  void removesPublishedAuditBranchesButKeepsLiveOnes() {
    Table table =
        Fixtures.create(
            catalog, lakehouse.namespace(), "audits", Fixtures.byCategory(), SortOrder.unsorted());
    Fixtures.append(table, Fixtures.rows(0, 9));
    long base = table.currentSnapshot().snapshotId();
    table.manageSnapshots().createBranch("audit_published", base).commit();
    Fixtures.append(table, "audit_published", Fixtures.rows(10, 9));
    table.manageSnapshots().fastForwardBranch("main", "audit_published").commit();
    table
        .manageSnapshots()
        .createBranch("audit_fresh", table.currentSnapshot().snapshotId())
        .commit();
    table
        .manageSnapshots()
        .createBranch("audit_live", table.currentSnapshot().snapshotId())
        .commit();
    Fixtures.append(table, "audit_live", Fixtures.rows(20, 9));
    Fixtures.append(table, Fixtures.rows(30, 9));
    Map<String, List<String>> before = rowsPerRef(table);

    ExpiryResult result =
        Maintenance.expire(table)
            .policy(EXPIRE_ALL)
            .forceBelowFloor()
            .ledger(DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger"))
            .execute();

    // main moved past both published heads; the live audit's head is not on main
    assertThat(result.removedRefs()).containsExactlyInAnyOrder("audit_published", "audit_fresh");
    table.refresh();
    assertThat(table.refs())
        .containsKeys("main", "audit_live")
        .doesNotContainKeys("audit_published", "audit_fresh");
    before.remove("audit_published");
    before.remove("audit_fresh");
    assertThat(rowsPerRef(table)).isEqualTo(before);
  }

  @Test
  void refusesASnapshotAgeBelowTheFloorAndNamesTheSetting() {
    Table table =
        Fixtures.create(
            catalog, lakehouse.namespace(), "floor", Fixtures.byCategory(), SortOrder.unsorted());
    assertThatThrownBy(
            () ->
                Maintenance.expire(table)
                    .policy(Policies.of("{snapshot-max-age: 10m}"))
                    .dryRun()
                    .execute())
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("maintenance.snapshot-max-age is 10m")
        .hasMessageContaining("--force");
  }

  @Test
  void refusesTablesWithGarbageCollectionDisabled() {
    Table table =
        Fixtures.create(
            catalog, lakehouse.namespace(), "no_gc", Fixtures.byCategory(), SortOrder.unsorted());
    table.updateProperties().set("gc.enabled", "false").commit();
    assertThatThrownBy(
            () -> Maintenance.expire(table).policy(EXPIRE_ALL).forceBelowFloor().dryRun().execute())
        .hasMessageContaining("gc.enabled is false");
  }

  static Map<String, List<String>> rowsPerRef(Table table) {
    table.refresh();
    Map<String, List<String>> rows = new LinkedHashMap<>();
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      rows.put(ref.getKey(), Fixtures.read(table, ref.getValue().snapshotId()));
    }
    return rows;
  }

  private static Set<String> paths(List<RemovedFile> files) {
    return files.stream().map(RemovedFile::path).collect(Collectors.toCollection(HashSet::new));
  }
}
