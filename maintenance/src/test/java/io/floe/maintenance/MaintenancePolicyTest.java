package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.LogTables;
import io.floe.core.config.ConfigException;
import io.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MaintenancePolicyTest {

  @Test
  void pinsEveryDefault() {
    MaintenancePolicy policy =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", "{}", n -> null, Path.of("")))
            .defaults();
    assertThat(policy).isEqualTo(MaintenancePolicy.defaults());
    assertThat(policy.operations())
        .isEqualTo(EnumSet.of(Operation.COMPACT, Operation.REWRITE_MANIFESTS, Operation.EXPIRE));
    assertThat(policy.targetFileSize()).isEqualTo(128L << 20);
    assertThat(policy.smallFileThreshold()).isEqualTo(96L << 20);
    assertThat(policy.minInputFiles()).isEqualTo(5);
    assertThat(policy.maxGroupSize()).isEqualTo(1L << 30);
    assertThat(policy.snapshotMaxAge()).isEqualTo(Duration.ofDays(5));
    assertThat(policy.minSnapshots()).isEqualTo(3);
    assertThat(policy.auditBranchMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(policy.publishedTagMaxAge()).isEmpty();
    assertThat(policy.orphanMinAge()).isEqualTo(Duration.ofDays(3));
    assertThat(policy.quarantineGrace()).isEqualTo(Duration.ofDays(7));
    assertThat(policy.quarantineLocation()).isEmpty();
    assertThat(policy.manifestMinCount()).isEqualTo(50);
    assertThat(policy.retention()).isEmpty();
    assertThat(policy.trigger())
        .isEqualTo(new Trigger(Optional.of(Duration.ofHours(24)), Optional.empty(), 0, 0));
    assertThat(policy.leaseDuration()).isEqualTo(Duration.ofMinutes(30));
    assertThat(policy.compactionExecutor()).isEqualTo(MaintenancePolicy.CompactionExecutor.LOCAL);
  }

  @Test
  void tablesOverrideTheGlobalDefaults() {
    String yaml =
        """
        maintenance:
          target-file-size: 256MB
          orphan-min-age: 5d
          ledger-namespace: ops
        tables:
          bronze.clickstream:
            quality: {anything: owned-by-quality}
            maintenance:
              operations: [retain, compact, expire, orphans]
              retention: {column: event_ts, max-age: 90d}
              triggers: {cron: "0 3 * * *", commits: 50, small-files: 200}
              published-tag-max-age: 365d
              compaction-executor: spark
        """;
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    assertThat(policies.ledgerNamespace()).isEqualTo("ops");
    assertThat(policies.parallelism()).isEqualTo(MaintenancePolicy.PARALLELISM_DEFAULT);
    assertThat(read("maintenance: {parallelism: 1}").parallelism()).isEqualTo(1);
    MaintenancePolicy clicks = policies.forTable("bronze.clickstream", Map.of());
    assertThat(clicks.targetFileSize()).isEqualTo(256L << 20);
    assertThat(clicks.orphanMinAge()).isEqualTo(Duration.ofDays(5));
    assertThat(clicks.operations())
        .containsExactlyInAnyOrder(
            Operation.RETAIN, Operation.COMPACT, Operation.EXPIRE, Operation.ORPHANS);
    assertThat(clicks.retention())
        .contains(new MaintenancePolicy.RetentionRule("event_ts", Duration.ofDays(90)));
    assertThat(clicks.trigger())
        .isEqualTo(new Trigger(Optional.empty(), Optional.of("0 3 * * *"), 50, 200));
    assertThat(clicks.publishedTagMaxAge()).contains(Duration.ofDays(365));
    assertThat(clicks.compactionExecutor()).isEqualTo(MaintenancePolicy.CompactionExecutor.SPARK);
    assertThat(policies.forTable("silver.fact_orders", Map.of()).compactionExecutor())
        .isEqualTo(MaintenancePolicy.CompactionExecutor.LOCAL);
    assertThat(policies.forTable("silver.fact_orders", Map.of()).targetFileSize())
        .isEqualTo(256L << 20);
  }

  @Test
  void logTablesExpireSnapshotsAfterAnHourAndAreDueAfterAHundredCommits() {
    String yaml =
        """
        maintenance:
          target-file-size: 256MB
          snapshot-max-age: 30d
        tables:
          floe_quality.results:
            maintenance:
              min-snapshots: 50
        """;
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    Map<String, String> log = LogTables.PROPERTIES;

    MaintenancePolicy ledger = policies.forTable("floe_maintenance.deletions", log);
    assertThat(ledger.snapshotMaxAge()).isEqualTo(Duration.ofHours(1));
    assertThat(ledger.minSnapshots()).isEqualTo(10);
    assertThat(ledger.trigger())
        .isEqualTo(new Trigger(Optional.of(Duration.ofHours(24)), Optional.empty(), 100, 0));
    // everything else is the global policy
    assertThat(ledger.targetFileSize()).isEqualTo(256L << 20);
    assertThat(ledger.operations()).isEqualTo(MaintenancePolicy.OPERATIONS_DEFAULT);

    // the table's own section still wins, over the log-table policy
    MaintenancePolicy results = policies.forTable("floe_quality.results", log);
    assertThat(results.minSnapshots()).isEqualTo(50);
    assertThat(results.snapshotMaxAge()).isEqualTo(Duration.ofHours(1));

    // the same name without the marker is an ordinary table
    assertThat(policies.forTable("floe_maintenance.deletions", Map.of()).snapshotMaxAge())
        .isEqualTo(Duration.ofDays(30));
    assertThat(
            policies
                .forTable("floe_maintenance.deletions", Map.of(LogTables.KIND_PROPERTY, "other"))
                .snapshotMaxAge())
        .isEqualTo(Duration.ofDays(30));

    // a global commit trigger lower than the log tables' own is kept
    MaintenancePolicy.Policies eager = read("maintenance: {triggers: {commits: 20}}");
    assertThat(eager.forTable("floe_maintenance.runs", log).trigger())
        .isEqualTo(new Trigger(Optional.empty(), Optional.empty(), 20, 0));
  }

  @Test
  void aLogTableWithRetentionPropertiesDropsOldRowsBeforeItsOtherOperations() {
    MaintenancePolicy.Policies policies =
        read(
            """
            maintenance: {operations: [compact, expire]}
            tables:
              floe_maintenance.runs:
                maintenance:
                  retention: {column: finished_at, max-age: 400d}
            """);
    Map<String, String> leasesProperties = new java.util.HashMap<>(LogTables.PROPERTIES);
    leasesProperties.putAll(LogTables.retention("expires_at", Duration.ofDays(7)));
    assertThat(leasesProperties)
        .containsEntry(LogTables.RETENTION_MAX_AGE_PROPERTY, "7d")
        .containsEntry(LogTables.RETENTION_COLUMN_PROPERTY, "expires_at");

    MaintenancePolicy leases = policies.forTable("floe_maintenance.leases", leasesProperties);
    assertThat(leases.retention())
        .contains(
            new MaintenancePolicy.RetentionRule(
                "expires_at", Duration.ofDays(7), "table property floe.log.retention-max-age"));
    assertThat(leases.operations())
        .containsExactlyInAnyOrder(Operation.RETAIN, Operation.COMPACT, Operation.EXPIRE);
    // the rest of the log-table policy still applies
    assertThat(leases.snapshotMaxAge()).isEqualTo(MaintenancePolicy.LOG_TABLE_SNAPSHOT_MAX_AGE);

    // a log table without them keeps every row; an ordinary table's properties are not read
    assertThat(policies.forTable("floe_quality.results", LogTables.PROPERTIES).retention())
        .isEmpty();
    assertThat(
            policies
                .forTable("db.orders", LogTables.retention("expires_at", Duration.ofDays(7)))
                .retention())
        .isEmpty();

    // the table's own section overrides the properties
    Map<String, String> runsProperties = new java.util.HashMap<>(LogTables.PROPERTIES);
    runsProperties.putAll(LogTables.retention("finished_at", Duration.ofDays(90)));
    assertThat(policies.forTable("floe_maintenance.runs", runsProperties).retention())
        .contains(new MaintenancePolicy.RetentionRule("finished_at", Duration.ofDays(400)));
  }

  @Test
  void brokenRetentionPropertiesOfALogTableNameTheTableAndTheProperty() {
    MaintenancePolicy.Policies policies = read("maintenance: {}");
    Map<String, String> onlyColumn = new java.util.HashMap<>(LogTables.PROPERTIES);
    onlyColumn.put(LogTables.RETENTION_COLUMN_PROPERTY, "expires_at");
    assertThatThrownBy(() -> policies.forTable("floe_maintenance.leases", onlyColumn))
        .hasMessage(
            "floe_maintenance.leases: table property floe.log.retention-max-age is missing"
                + " (set both it and floe.log.retention-column, or neither)");

    Map<String, String> badAge = new java.util.HashMap<>(onlyColumn);
    badAge.put(LogTables.RETENTION_MAX_AGE_PROPERTY, "a week");
    assertThatThrownBy(() -> policies.forTable("floe_maintenance.leases", badAge))
        .hasMessage(
            "floe_maintenance.leases: table property floe.log.retention-max-age: 'a week' is not"
                + " a positive duration (e.g. 90d)");
  }

  @Test
  void errorsNameTheFileTheKeyAndTheAllowedValues() {
    assertThatThrownBy(() -> read("maintenance: {target-file-size: big}"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "floe.yaml: maintenance.target-file-size: 'big' is not a size; use a number with B, KB, MB, GB or TB (e.g. 512MB)");
    assertThatThrownBy(() -> read("maintenance: {operations: [compact, vacuum]}"))
        .hasMessage(
            "floe.yaml: maintenance.operations: 'vacuum' is not allowed; allowed values are retain, compact, rewrite-manifests, expire, orphans");
    assertThatThrownBy(() -> read("maintenance: {snapshot-age: 3d}"))
        .hasMessageStartingWith(
            "floe.yaml: maintenance.snapshot-age: unknown key; allowed keys here are");
    assertThatThrownBy(
            () -> read("tables: {bronze.t: {maintenance: {triggers: {cron: 'every day'}}}}"))
        .hasMessageContaining(
            "floe.yaml: tables.bronze.t.maintenance.triggers.cron: 'every day' is not a 5-field cron expression");
    assertThatThrownBy(() -> read("tables: {bronze.t: {maintenance: {retention: {max-age: 30d}}}}"))
        .hasMessage(
            "floe.yaml: tables.bronze.t.maintenance.retention.column: is required: the timestamp or date column");
    assertThatThrownBy(() -> read("maintenance: {small-file-ratio: 2}"))
        .hasMessage(
            "floe.yaml: maintenance.small-file-ratio: 2.0 is out of range; allowed values are > 0 and <= 1");
    assertThatThrownBy(() -> read("maintenance: {compaction-executor: yarn}"))
        .hasMessage(
            "floe.yaml: maintenance.compaction-executor: 'yarn' is not allowed; allowed values are local, spark");
    assertThatThrownBy(() -> read("maintenance: {parallelism: 0}"))
        .hasMessageStartingWith("floe.yaml: maintenance.parallelism: 0 is out of range");
    // how many tables a pass maintains at once is the pass's, not a table's
    assertThatThrownBy(() -> read("tables: {bronze.t: {maintenance: {parallelism: 2}}}"))
        .hasMessageStartingWith(
            "floe.yaml: tables.bronze.t.maintenance.parallelism: unknown key; allowed keys here are");
    assertThatThrownBy(() -> read("maintenance: {quarantine-location: quarantine}"))
        .hasMessageContaining(
            "maintenance.quarantine-location: 'quarantine' is not a location such as s3://bucket/quarantine/");
  }

  private static MaintenancePolicy.Policies read(String yaml) {
    return MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
  }
}
