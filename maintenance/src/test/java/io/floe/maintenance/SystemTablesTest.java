package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.LogTables;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** Maintenance's own tables stay bounded: few metadata files, and they maintain themselves. */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SystemTablesTest {
  private RESTCatalog catalog;
  private Lakehouse lakehouse;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("system-tables-test");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void aLogTableKeepsABoundedNumberOfMetadataFiles() {
    String namespace = lakehouse.namespace() + "_sys_meta";
    // a ledger created by an earlier Floe, without the log-table properties
    catalog.createNamespace(Namespace.of(namespace));
    catalog.createTable(
        TableIdentifier.of(namespace, DeletionLedger.TABLE),
        DeletionLedger.SCHEMA,
        PartitionSpec.unpartitioned());
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    int commits = LogTables.METADATA_VERSIONS_KEPT + 5;
    for (int i = 0; i < commits; i++) {
      ledger.record(List.of(Fixtures.ledgerEntry("db.logged", i)));
    }

    Table table = catalog.loadTable(TableIdentifier.of(namespace, DeletionLedger.TABLE));
    assertThat(table.properties()).containsAllEntriesOf(LogTables.PROPERTIES);
    assertThat(metadataFiles(table))
        .hasSizeBetween(2, LogTables.METADATA_VERSIONS_KEPT + 1)
        .contains(
            ((org.apache.iceberg.HasTableOperations) table)
                .operations()
                .current()
                .metadataFileLocation());
    assertThat(ledger.history("db.logged")).hasSize(commits);
    // and it was partitioned by the table a row is about
    assertThat(table.spec().fields())
        .extracting(org.apache.iceberg.PartitionField::name)
        .containsExactly("table_name");
  }

  @Test
  void oneRecordOfSeveralTablesWritesOneFilePerTableInOneCommit() {
    String namespace = lakehouse.namespace() + "_sys_parts";
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    Table table = catalog.loadTable(TableIdentifier.of(namespace, DeletionLedger.TABLE));
    assertThat(table.spec()).isEqualTo(DeletionLedger.SPEC);

    ledger.record(
        List.of(
            Fixtures.ledgerEntry("db.a", 0),
            Fixtures.ledgerEntry("db.b", 1),
            Fixtures.ledgerEntry("db.a", 2)));

    table.refresh();
    assertThat(snapshotCount(table)).isEqualTo(1);
    List<String> partitions = new ArrayList<>();
    table
        .currentSnapshot()
        .addedDataFiles(table.io())
        .forEach(f -> partitions.add(f.partition().get(0, String.class)));
    assertThat(partitions).containsExactlyInAnyOrder("db.a", "db.b");
    assertThat(ledger.history("db.a"))
        .extracting(LedgerEntry::table)
        .containsOnly("db.a")
        .hasSize(2);
    assertThat(ledger.history("db.b")).extracting(LedgerEntry::table).containsExactly("db.b");
  }

  @Test
  void theLedgerExpiresItsOwnSnapshotsAndRecordsWhatItDeletedInItself() {
    String namespace = lakehouse.namespace() + "_sys_expire";
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    for (int i = 0; i < 12; i++) {
      ledger.record(List.of(Fixtures.ledgerEntry("db.logged", i)));
    }
    Table table = catalog.loadTable(TableIdentifier.of(namespace, DeletionLedger.TABLE));
    int before = snapshotCount(table);

    ExpiryResult result =
        Maintenance.expire(table)
            .policy(Policies.of("{snapshot-max-age: 1ms, min-snapshots: 1}"))
            .forceBelowFloor()
            .ledger(ledger)
            .execute();

    table.refresh();
    assertThat(result.expiredSnapshots()).hasSizeGreaterThanOrEqualTo(before - 1);
    assertThat(snapshotCount(table)).isLessThan(before);
    assertThat(result.deletedFiles()).isNotEmpty();
    String name = TableNames.of(table);
    List<LedgerEntry> latest = ledger.latest(name);
    for (RemovedFile file : result.deletedFiles()) {
      assertThat(table.io().newInputFile(file.path()).exists()).as(file.path()).isFalse();
      assertThat(latest)
          .filteredOn(e -> e.path().equals(file.path()))
          .singleElement()
          .satisfies(e -> assertThat(e.state()).isEqualTo(LedgerEntry.State.DELETED));
    }
    // every row the ledger held is still there, and so is every file its snapshots reference
    assertThat(ledger.history("db.logged")).hasSize(12);
    Fixtures.assertReferencedFilesExist(table);
  }

  @Test
  void aRunMaintainsTheLedgerRunLogAndLeasesThemselves() throws Exception {
    String namespace = lakehouse.namespace() + "_sys_run";
    String yaml =
        """
        maintenance: {ledger-namespace: %s, min-input-files: 2}
        """
            .formatted(namespace);
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    for (int i = 0; i < 6; i++) {
      ledger.record(List.of(Fixtures.ledgerEntry("db.logged", i)));
    }
    Table deletions = catalog.loadTable(TableIdentifier.of(namespace, DeletionLedger.TABLE));
    long filesBefore = Maintenance.health(deletions, policies.forTable(deletions)).dataFiles();
    List<TableRef> own =
        List.of(
            new TableRef(namespace, DeletionLedger.TABLE),
            new TableRef(namespace, RunLog.TABLE),
            new TableRef(namespace, TableLeases.TABLE));
    MaintenanceRun run = MaintenanceRun.of(catalog, policies).ignoreTriggers();
    own.forEach(run::table);

    List<MaintenanceRun.TableOutcome> outcomes = run.execute();

    assertThat(outcomes)
        .extracting(MaintenanceRun.TableOutcome::table, MaintenanceRun.TableOutcome::outcome)
        .containsExactlyElementsOf(
            own.stream()
                .map(ref -> org.assertj.core.groups.Tuple.tuple(ref.toString(), RunLog.Outcome.OK))
                .toList());
    deletions.refresh();
    assertThat(Maintenance.health(deletions, policies.forTable(deletions)).dataFiles())
        .isLessThan(filesBefore);
    assertThat(ledger.history("db.logged")).hasSize(6);
    assertThat(RunLog.open(catalog, namespace).entries(own.get(1).toString()))
        .extracting(RunLog.Entry::outcome)
        .contains(RunLog.Outcome.OK);
    // the run released every lease it took, its own table's included
    TableLeases leases = TableLeases.open(catalog, namespace);
    for (TableRef ref : own) {
      Optional<TableLeases.Lease> lease =
          leases.acquire(ref.toString(), "after", java.time.Duration.ofMinutes(1));
      assertThat(lease).as(ref.toString()).isPresent();
      leases.release(lease.get());
    }
  }

  @Test
  void aLogTableIsDueOnceAHundredCommitsPiledUpSinceItsLastRun() {
    String namespace = lakehouse.namespace() + "_sys_due";
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(
            FloeConfig.parse(
                "floe.yaml",
                "maintenance: {ledger-namespace: %s}".formatted(namespace),
                n -> null,
                Path.of("")));
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    TableRef ref = new TableRef(namespace, DeletionLedger.TABLE);
    Table deletions = catalog.loadTable(ref.toIdentifier());
    assertThat(LogTables.isLogTable(deletions.properties())).isTrue();
    assertThat(policies.forTable(deletions).trigger().commits())
        .isEqualTo(MaintenancePolicy.LOG_TABLE_TRIGGER_COMMITS);
    assertThat(MaintenanceRun.of(catalog, policies).table(ref).execute())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).isEqualTo("ok"));

    // one ledger entry, then empty appends: snapshots as many commits would leave, in one
    // catalog commit
    ledger.record(List.of(Fixtures.ledgerEntry("db.logged", 0)));
    deletions.refresh();
    Transaction transaction = deletions.newTransaction();
    for (int i = 0; i < MaintenancePolicy.LOG_TABLE_TRIGGER_COMMITS - 2; i++) {
      transaction.newFastAppend().commit();
    }
    transaction.commitTransaction();
    assertThat(MaintenanceRun.of(catalog, policies).table(ref).execute())
        .singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo(RunLog.Outcome.SKIPPED));

    ledger.record(List.of(Fixtures.ledgerEntry("db.logged", 1)));
    assertThat(MaintenanceRun.of(catalog, policies).table(ref).execute())
        .singleElement()
        .satisfies(o -> assertThat(o.outcome()).isEqualTo(RunLog.Outcome.OK));
    assertThat(ledger.history("db.logged")).hasSize(2);
  }

  private static int snapshotCount(Table table) {
    return (int) StreamSupport.stream(table.snapshots().spliterator(), false).count();
  }

  private static List<String> metadataFiles(Table table) {
    List<String> files = new ArrayList<>();
    ((SupportsPrefixOperations) table.io())
        .listPrefix(table.location() + "/metadata/")
        .forEach(
            f -> {
              if (f.location().endsWith(".metadata.json")) {
                files.add(f.location());
              }
            });
    return files;
  }
}
