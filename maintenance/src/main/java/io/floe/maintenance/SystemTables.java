package io.floe.maintenance;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/** Maintenance's own Iceberg tables (ledger, runs, leases), created on first use. */
final class SystemTables {
  private SystemTables() {}

  static Table ensure(
      Catalog catalog, String namespace, String name, Schema schema, PartitionSpec spec) {
    TableIdentifier id = TableIdentifier.of(namespace, name);
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(Namespace.of(namespace))) {
      try {
        namespaces.createNamespace(Namespace.of(namespace));
      } catch (AlreadyExistsException raced) {
        // another run created it first
      }
    }
    try {
      return catalog.createTable(
          id,
          schema,
          spec,
          java.util.Map.of("format-version", "2", "commit.retry.num-retries", "20"));
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
