package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.Commits;
import io.floe.catalog.LogTables;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.StreamSupport;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
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
    MaintenancePolicy.Policies policies = defaultPolicies(namespace);
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    TableRef ref = new TableRef(namespace, DeletionLedger.TABLE);
    Table deletions = catalog.loadTable(ref.toIdentifier());
    assertThat(LogTables.isLogTable(deletions.properties())).isTrue();
    assertThat(policies.forTable(deletions).trigger().commits())
        .isEqualTo(MaintenancePolicy.LOG_TABLE_TRIGGER_COMMITS);
    assertThat(MaintenanceRun.of(catalog, policies).table(ref).execute())
        .singleElement()
        .satisfies(o -> assertThat(o.detail()).isEqualTo("ran: never maintained"));

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

  @Test
  void aRunDropsLeaseAndRunRowsPastTheirRetentionAndKeepsTheRest() throws Exception {
    String namespace = lakehouse.namespace() + "_sys_retain";
    MaintenancePolicy.Policies policies = defaultPolicies(namespace);
    Instant now = Instant.now();
    RunLog runs = RunLog.open(catalog, namespace);
    runs.record(
        List.of(
            runEntry("old", "db.a", now.minus(RunLog.RETENTION).minus(Duration.ofDays(1))),
            runEntry("recent", "db.a", now.minus(RunLog.RETENTION).plus(Duration.ofDays(1))),
            runEntry("old", "db.b", now.minus(Duration.ofDays(400)))));
    TableLeases leases = TableLeases.open(catalog, namespace);
    Table leaseTable = catalog.loadTable(TableIdentifier.of(namespace, TableLeases.TABLE));
    Duration past = TableLeases.RETENTION.plus(Duration.ofDays(1));
    Duration within = TableLeases.RETENTION.minus(Duration.ofDays(1));
    Commits.appendToLog(
        leaseTable,
        RecordFiles.write(
            leaseTable,
            List.of(
                leaseRow("db.a", "gone", now.minus(past)),
                leaseRow("db.a", "kept", now.minus(within)),
                leaseRow("db.b", "gone", now.minus(past))),
            LogTables.APPEND_FORMAT));
    // a lease taken for a year long ago still holds: retention goes by when a lease expires
    Commits.appendToLog(
        leaseTable,
        RecordFiles.write(
            leaseTable,
            List.of(
                leaseRow(
                    "db.c",
                    "long",
                    now.minus(Duration.ofDays(300)),
                    now.plus(Duration.ofDays(65)))),
            LogTables.APPEND_FORMAT));
    for (String name : List.of(RunLog.TABLE, TableLeases.TABLE)) {
      Map<String, String> properties =
          catalog.loadTable(TableIdentifier.of(namespace, name)).properties();
      assertThat(policies.forTable(namespace + "." + name, properties).operations())
          .as(name)
          .contains(Operation.RETAIN);
    }

    List<MaintenanceRun.TableOutcome> outcomes =
        MaintenanceRun.of(catalog, policies)
            .ignoreTriggers()
            .table(new TableRef(namespace, RunLog.TABLE))
            .table(new TableRef(namespace, TableLeases.TABLE))
            .execute();

    assertThat(outcomes)
        .allSatisfy(o -> assertThat(o.outcome()).as(o.toString()).isEqualTo(RunLog.Outcome.OK));
    assertThat(runs.entries("db.a")).extracting(RunLog.Entry::runId).containsExactly("recent");
    assertThat(runs.entries("db.b")).isEmpty();
    leaseTable.refresh();
    List<String> tokens = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(leaseTable).build()) {
      rows.forEach(row -> tokens.add(row.getField("table_name") + "/" + row.getField("token")));
    }
    // this run's own leases (taken and released) are recent and stay too
    assertThat(tokens).contains("db.a/kept", "db.c/long").doesNotContain("db.a/gone", "db.b/gone");
    assertThat(leases.acquire("db.c", "other", Duration.ofMinutes(1))).isEmpty();
    // and what was dropped is on record
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    for (String name : List.of(RunLog.TABLE, TableLeases.TABLE)) {
      assertThat(ledger.history(namespace + "." + name))
          .as(name)
          .isNotEmpty()
          .allSatisfy(e -> assertThat(e.reason()).isEqualTo(LedgerEntry.Reason.RETENTION));
    }
  }

  @Test
  void aLogTableWithBrokenRetentionPropertiesFailsAloneAndTheRunGoesOn() {
    String namespace = lakehouse.namespace() + "_sys_broken";
    MaintenancePolicy.Policies policies = defaultPolicies(namespace);
    RunLog.open(catalog, namespace);
    DeletionLedger.open(catalog, namespace);
    Table runs = catalog.loadTable(TableIdentifier.of(namespace, RunLog.TABLE));
    runs.updateProperties().set(LogTables.RETENTION_MAX_AGE_PROPERTY, "a quarter").commit();
    TableRef broken = new TableRef(namespace, RunLog.TABLE);
    TableRef fine = new TableRef(namespace, DeletionLedger.TABLE);

    List<MaintenanceRun.TableOutcome> outcomes =
        MaintenanceRun.of(catalog, policies).ignoreTriggers().table(broken).table(fine).execute();

    assertThat(outcomes)
        .extracting(MaintenanceRun.TableOutcome::table, MaintenanceRun.TableOutcome::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(broken.toString(), RunLog.Outcome.FAILED),
            org.assertj.core.groups.Tuple.tuple(fine.toString(), RunLog.Outcome.OK));
    assertThat(outcomes.get(0).detail())
        .isEqualTo(
            "could not start: %s: table property floe.log.retention-max-age: 'a quarter' is not a"
                    .formatted(broken)
                + " positive duration (e.g. 90d)");
    // and the failure is on record
    assertThat(RunLog.open(catalog, namespace).entries(broken.toString()))
        .extracting(RunLog.Entry::outcome)
        .containsExactly(RunLog.Outcome.FAILED);
  }

  private static RunLog.Entry runEntry(String runId, String table, Instant finished) {
    return new RunLog.Entry(
        runId, table, "run", RunLog.Outcome.OK, "ok", finished.minusSeconds(5), finished);
  }

  private static Record leaseRow(String table, String token, Instant expires) {
    return leaseRow(table, token, expires.minus(Duration.ofMinutes(30)), expires);
  }

  private static Record leaseRow(String table, String token, Instant recorded, Instant expires) {
    GenericRecord row = GenericRecord.create(TableLeases.SCHEMA);
    row.setField("table_name", table);
    row.setField("owner", "test");
    row.setField("token", token);
    row.setField("state", "held");
    row.setField("expires_at", SystemTables.time(expires));
    row.setField("recorded_at", SystemTables.time(recorded));
    return row;
  }

  /** The default policies, with maintenance's own tables in {@code namespace}. */
  private static MaintenancePolicy.Policies defaultPolicies(String namespace) {
    return MaintenancePolicy.read(
        FloeConfig.parse(
            "floe.yaml",
            "maintenance: {ledger-namespace: %s}".formatted(namespace),
            n -> null,
            Path.of("")));
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
