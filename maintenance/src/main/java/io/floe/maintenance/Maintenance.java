package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * Table maintenance on Iceberg: each operation is a single-use builder ending in {@code execute()}
 * that returns an immutable result. Destructive operations ({@link #expire}, {@link
 * #removeOrphans}, {@link #retain}) need a {@link DeletionLedger} unless they run as a dry run, and
 * refuse settings below their safety floors unless forced.
 *
 * <pre>{@code
 * Maintenance.compact(table).targetFileSize(128 << 20).execute();
 * Maintenance.expire(table).policy(policy).ledger(ledger).execute();
 * Maintenance.removeOrphans(table).policy(policy).ledger(ledger).dryRun().execute();
 * }</pre>
 */
public final class Maintenance {
  private Maintenance() {}

  /** Health of {@code table} measured from its metadata, with the default small-file threshold. */
  public static TableHealth health(Catalog catalog, TableRef table) {
    return health(load(catalog, table), MaintenancePolicy.defaults());
  }

  public static TableHealth health(Table table, MaintenancePolicy policy) {
    return HealthCheck.measure(requireNonNull(table, "table is null"), policy);
  }

  public static Compaction compact(Table table) {
    return new Compaction(table);
  }

  public static Expiry expire(Table table) {
    return new Expiry(table);
  }

  public static OrphanRemoval removeOrphans(Table table) {
    return new OrphanRemoval(table);
  }

  public static OrphanRestore restoreOrphans(Table table) {
    return new OrphanRestore(table);
  }

  public static Retention retain(Table table) {
    return new Retention(table);
  }

  public static ManifestRewrite rewriteManifests(Table table) {
    return new ManifestRewrite(table);
  }

  static Table load(Catalog catalog, TableRef table) {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(table, "table is null");
    return catalog.loadTable(table.toIdentifier());
  }
}
