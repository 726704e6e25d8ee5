package io.floe.maintenance;

import java.time.Duration;
import java.time.Instant;
import org.apache.iceberg.Table;

/** The maintenance runs the kill -9 test interrupts, identical in the child and in the rerun. */
final class KillScenarios {
  static final MaintenancePolicy COMPACT = Policies.of("{min-input-files: 2}");
  static final MaintenancePolicy EXPIRE =
      Policies.of("{snapshot-max-age: 1ms, min-snapshots: 1, audit-branch-max-age: 1d}");
  // a grace period longer than the test, so a rerun never purges what the killed run quarantined
  static final MaintenancePolicy ORPHANS =
      Policies.of("{orphan-min-age: 1h, quarantine-grace: 1d}");
  static final Instant RETAIN_NOW = Instant.parse("2026-01-10T00:00:00Z");
  static final MaintenancePolicy.RetentionRule SEVEN_DAYS =
      new MaintenancePolicy.RetentionRule("ts", Duration.ofDays(7));

  private KillScenarios() {}

  static String run(String operation, Table table, DeletionLedger ledger) {
    return switch (operation) {
      case "compact" -> Maintenance.compact(table).policy(COMPACT).execute().toString();
      case "expire" ->
          Maintenance.expire(table)
              .policy(EXPIRE)
              .forceBelowFloor()
              .ledger(ledger)
              .execute()
              .toString();
      case "orphans" ->
          Maintenance.removeOrphans(table)
              .policy(ORPHANS)
              .forceBelowFloor()
              .now(Instant.now().plus(Duration.ofHours(2)))
              .ledger(ledger)
              .execute()
              .toString();
      case "retain" ->
          Maintenance.retain(table)
              .rule(SEVEN_DAYS)
              .now(RETAIN_NOW)
              .ledger(ledger)
              .execute()
              .toString();
      default -> throw new IllegalArgumentException("unknown operation " + operation);
    };
  }
}
