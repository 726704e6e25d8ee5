package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.TableRef;
import io.floe.core.config.DataSizes;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.maintenance.DeletionLedger;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.maintenance.RemovedFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;

/** What every maintenance command needs: the catalog, the table, its policy and the ledger. */
final class MaintenanceAccess implements AutoCloseable {
  final FloeConfig config;
  final RESTCatalog catalog;
  final MaintenancePolicy.Policies policies;

  private MaintenanceAccess(
      FloeConfig config, RESTCatalog catalog, MaintenancePolicy.Policies policies) {
    this.config = config;
    this.catalog = catalog;
    this.policies = policies;
  }

  static MaintenanceAccess open(Floe floe) {
    FloeConfig config = floe.options.load();
    MaintenancePolicy.Policies policies = MaintenancePolicy.read(config);
    RESTCatalog catalog = StackAccess.running(config).catalogConnection().open("floe-maintenance");
    return new MaintenanceAccess(config, catalog, policies);
  }

  static TableRef parse(String table) {
    try {
      return TableRef.parse(table);
    } catch (IllegalArgumentException e) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, e.getMessage());
    }
  }

  Table load(TableRef ref) {
    try {
      return catalog.loadTable(ref.toIdentifier());
    } catch (NoSuchTableException e) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "table " + ref + " does not exist");
    }
  }

  /** The table's policy: the config's, layered as {@link MaintenancePolicy.Policies} says. */
  MaintenancePolicy policy(Table table) {
    return policies.forTable(table);
  }

  DeletionLedger ledger() {
    return DeletionLedger.open(catalog, policies.ledgerNamespace());
  }

  @Override
  public void close() {
    try {
      catalog.close();
    } catch (IOException e) {
      // closing a REST client only releases its HTTP pool
    }
  }

  /** One line per file a destructive command removed (or would remove), with its size and why. */
  static void printFiles(PrintWriter out, String verb, List<RemovedFile> files) {
    out.printf("%s %s%n", verb, counted(files.size(), "file"));
    for (RemovedFile file : files) {
      out.printf(
          "  %s (%s; %s)%n",
          file.path(),
          file.size() < 0 ? "size not recorded" : DataSizes.describe(file.size()),
          file.cause());
    }
  }
}
