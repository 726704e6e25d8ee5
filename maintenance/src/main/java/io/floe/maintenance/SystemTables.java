package io.floe.maintenance;

import io.floe.catalog.LogTables;
import io.floe.catalog.Namespaces;
import io.floe.catalog.TableRef;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/**
 * Maintenance's own Iceberg tables (ledger, runs, leases), created on first use as log tables
 * ({@link LogTables}).
 */
final class SystemTables {
  private SystemTables() {}

  static Table ensure(
      Catalog catalog, String namespace, String name, Schema schema, PartitionSpec spec) {
    return ensure(catalog, namespace, name, schema, spec, Map.of());
  }

  /**
   * The table, created with the log-table properties and {@code defaults} (say its {@link
   * LogTables#retention}); an existing one gets whatever of them it lacks.
   */
  static Table ensure(
      Catalog catalog,
      String namespace,
      String name,
      Schema schema,
      PartitionSpec spec,
      Map<String, String> defaults) {
    TableRef ref = new TableRef(namespace, name);
    TableIdentifier id = ref.toIdentifier();
    if (catalog.tableExists(id)) {
      // a table created by an earlier Floe gets the log-table properties and partitioning once
      return LogTables.adopt(
          catalog.loadTable(id),
          schema,
          spec,
          defaults,
          MaintenancePolicy.SECTION + "." + MaintenancePolicy.LEDGER_NAMESPACE);
    }
    Namespaces.createFor(catalog, ref);
    try {
      Map<String, String> properties = LogTables.creationProperties(defaults);
      properties.put(TableProperties.FORMAT_VERSION, "2");
      return catalog.createTable(id, schema, spec, properties);
    } catch (AlreadyExistsException raced) {
      return catalog.loadTable(id);
    }
  }

  static OffsetDateTime time(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(Object value) {
    return ((OffsetDateTime) value).toInstant();
  }
}
