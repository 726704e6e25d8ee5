package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

/** Which tables a run visits (pure selection logic, on Iceberg's in-memory catalog). */
class MaintenanceTargetsTest {
  private static final Schema SCHEMA =
      new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));

  @Test
  void allTablesIncludesMaintenancesOwnTablesLastAndNamedTablesOnce() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("targets", Map.of());
    create(catalog, "ops", "deletions");
    create(catalog, "ops", "runs");
    create(catalog, "bronze", "orders");
    create(catalog, "silver", "facts");

    List<TableRef> named = List.of(new TableRef("silver", "facts"));
    assertThat(MaintenanceRun.targets(catalog, named, false, "ops")).isEqualTo(named);

    List<TableRef> all = MaintenanceRun.targets(catalog, named, true, "ops");
    assertThat(all)
        .hasSize(4)
        .startsWith(new TableRef("silver", "facts"))
        .contains(new TableRef("bronze", "orders"));
    assertThat(all.subList(2, 4))
        .containsExactlyInAnyOrder(new TableRef("ops", "deletions"), new TableRef("ops", "runs"));
  }

  @Test
  void allTablesIncludesThoseOfNestedNamespacesAndLeavesOutOnesNoReferenceCanName() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("targets", Map.of());
    create(catalog, Namespace.of("analytics"), "visits");
    create(catalog, Namespace.of("analytics", "sales"), "orders");
    create(catalog, Namespace.of("analytics", "sales", "eu"), "returns");
    create(catalog, Namespace.of("ops", "floe"), "deletions");
    create(catalog, Namespace.of("odd.name"), "table");

    List<TableRef> all = MaintenanceRun.targets(catalog, List.of(), true, "ops.floe");

    assertThat(all)
        .containsExactlyInAnyOrder(
            TableRef.parse("analytics.visits"),
            TableRef.parse("analytics.sales.orders"),
            TableRef.parse("analytics.sales.eu.returns"),
            TableRef.parse("ops.floe.deletions"));
    assertThat(all.get(3)).isEqualTo(TableRef.parse("ops.floe.deletions"));
  }

  private static void create(InMemoryCatalog catalog, Namespace namespace, String name) {
    for (int depth = 1; depth <= namespace.length(); depth++) {
      Namespace level = Namespace.of(java.util.Arrays.copyOf(namespace.levels(), depth));
      if (!catalog.namespaceExists(level)) {
        catalog.createNamespace(level);
      }
    }
    catalog.createTable(TableIdentifier.of(namespace, name), SCHEMA, PartitionSpec.unpartitioned());
  }

  private static void create(InMemoryCatalog catalog, String namespace, String name) {
    if (!catalog.namespaceExists(Namespace.of(namespace))) {
      catalog.createNamespace(Namespace.of(namespace));
    }
    catalog.createTable(TableIdentifier.of(namespace, name), SCHEMA, PartitionSpec.unpartitioned());
  }
}
