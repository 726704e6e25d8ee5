package io.floe.catalog.rest;

import static io.floe.catalog.rest.RestCatalogServerTest.SCHEMA;
import static io.floe.catalog.rest.RestCatalogServerTest.SORT_ORDER;
import static io.floe.catalog.rest.RestCatalogServerTest.SPEC;
import static io.floe.catalog.rest.RestCatalogServerTest.connect;
import static io.floe.catalog.rest.RestCatalogServerTest.serverOn;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.function.Supplier;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestCatalogServerRestartTest {
  private static final Namespace NS = Namespace.of("silver");
  private static final TableIdentifier TABLE = TableIdentifier.of(NS, "orders");
  private static final TableIdentifier VIEW = TableIdentifier.of(NS, "orders_view");

  @TempDir Path dir;

  @Test
  void namespacesTablesAndViewsSurviveARestart() throws Exception {
    survivesARestart(() -> serverOn(dir));
  }

  /** The server {@code servers} builds twice, on the same catalog database. */
  static void survivesARestart(Supplier<RestCatalogServer.Builder> servers) throws Exception {
    PartitionSpec spec;
    SortOrder sortOrder;
    try (RestCatalogServer server = servers.get().start();
        RESTCatalog catalog = connect(server)) {
      catalog.createNamespace(NS);
      Table table =
          catalog
              .buildTable(TABLE, SCHEMA)
              .withPartitionSpec(SPEC)
              .withSortOrder(SORT_ORDER)
              .create();
      spec = table.spec();
      sortOrder = table.sortOrder();
      catalog
          .buildView(VIEW)
          .withSchema(SCHEMA)
          .withDefaultNamespace(NS)
          .withQuery("trino", "SELECT * FROM silver.orders")
          .create();
    }

    try (RestCatalogServer server = servers.get().start();
        RESTCatalog catalog = connect(server)) {
      assertThat(catalog.listNamespaces()).containsExactly(NS);
      assertThat(catalog.listTables(NS)).containsExactly(TABLE);
      assertThat(catalog.listViews(NS)).containsExactly(VIEW);
      Table table = catalog.loadTable(TABLE);
      assertThat(table.spec()).isEqualTo(spec);
      assertThat(table.sortOrder()).isEqualTo(sortOrder);
      assertThat(catalog.loadView(VIEW).sqlFor("trino").sql())
          .isEqualTo("SELECT * FROM silver.orders");
    }
  }
}
