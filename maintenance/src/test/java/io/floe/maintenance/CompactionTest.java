package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompactionTest {
  static final MaintenancePolicy SMALL = Policies.of("{min-input-files: 2}");

  private RESTCatalog catalog;
  private Lakehouse lakehouse;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("compaction-test");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void stitchesRowGroupsOfSmallFilesIntoOneFilePerPartition() {
    Table table = smallFiles("stitched", SortOrder.unsorted());
    List<String> rows = Fixtures.read(table);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).stitchRowGroups().execute();

    assertThat(result.committedGroups()).isEqualTo(3);
    assertThat(result.rewrittenFiles()).isEqualTo(36);
    assertThat(result.addedFiles()).isEqualTo(3);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    assertThat(Maintenance.health(table, SMALL).dataFiles()).isEqualTo(3);
  }

  @Test
  void reencodesRowsWhenAskedTo() {
    Table table = smallFiles("reencoded", SortOrder.unsorted());
    List<String> rows = Fixtures.read(table);

    CompactionPlan plan = Maintenance.compact(table).policy(SMALL).dryRun().execute().plan();
    assertThat(plan.groups()).hasSize(3).allSatisfy(g -> assertThat(g.files()).isEqualTo(12));
    assertThat(Maintenance.health(table, SMALL).dataFiles()).isEqualTo(36);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).reencode().execute();

    assertThat(result.addedFiles()).isEqualTo(3);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
  }

  @Test
  void appliesPositionAndEqualityDeletesAndDropsThem() {
    Table table = smallFiles("with_deletes", SortOrder.unsorted());
    table.refresh();
    DataFile someFile = firstFile(table, "books");
    var delta = table.newRowDelta();
    delta.addDeletes(Fixtures.deletePositions(table, someFile, List.of(0L, 2L)));
    delta.addDeletes(Fixtures.deleteIds(table, "toys", List.of(2L, 5L, 8L)));
    delta.commit();
    List<String> rows = Fixtures.read(table);
    assertThat(rows).hasSize(360 - 5);
    assertThat(Maintenance.health(table, SMALL).deleteFiles()).isEqualTo(2);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).execute();

    assertThat(result.droppedDeleteFiles()).isEqualTo(2);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    TableHealth health = Maintenance.health(table, SMALL);
    assertThat(health.deleteFiles()).isZero();
    assertThat(health.dataFiles()).isEqualTo(3);
  }

  @Test
  void sortsWhenTheTableHasASortOrder() throws IOException {
    Table table = smallFiles("sorted", SortOrder.builderFor(Fixtures.SCHEMA).desc("id").build());
    List<String> rows = Fixtures.read(table);

    Maintenance.compact(table).policy(SMALL).execute();

    assertThat(Fixtures.read(table)).isEqualTo(rows);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records =
            GroupRewriter.liveRows(table.io(), task, table.schema())) {
          records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        assertThat(ids).hasSize(120).isSortedAccordingTo((a, b) -> Long.compare(b, a));
      }
    }
  }

  @Test
  void neverTouchesAnAuditBranch() {
    Table table = smallFiles("audited", SortOrder.unsorted());
    table.manageSnapshots().createBranch("audit_r1", table.currentSnapshot().snapshotId()).commit();
    Fixtures.append(table, "audit_r1", Fixtures.rows(5000, 30));
    table.refresh();
    long auditHead = table.refs().get("audit_r1").snapshotId();
    List<String> auditRows = Fixtures.read(table, auditHead);

    Maintenance.compact(table).policy(SMALL).execute();

    table.refresh();
    assertThat(table.refs().get("audit_r1").snapshotId()).isEqualTo(auditHead);
    assertThat(Fixtures.read(table, auditHead)).isEqualTo(auditRows);
  }

  private Table smallFiles(String name, SortOrder order) {
    Table table =
        Fixtures.create(catalog, lakehouse.namespace(), name, Fixtures.byCategory(), order);
    for (int batch = 0; batch < 12; batch++) {
      Fixtures.append(table, Fixtures.rows(batch * 30L, 30));
    }
    return table;
  }

  static DataFile firstFile(Table table, String category) {
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        if (HealthCheck.partitionName(table, task.file()).equals("category=" + category)) {
          return task.file();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no file in " + category);
  }
}
