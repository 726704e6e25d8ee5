package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.TableRef;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import io.floe.trino.InterfaceView;
import io.floe.trino.InterfaceViews;
import io.floe.trino.ViewSyncResult;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The access roles, as real Trino users over JDBC against the embedded stack's generated rules:
 * {@code bi} reads interface views only, {@code auditor} reads everything but writes nothing.
 */
@ExtendWith(LakehouseExtension.class)
class ServingAccessTest {
  private static StackEndpoints endpoints;
  private static String catalog;
  private static TableRef table;
  private static String rawTable;
  private static String viewName;
  private static String otherViewName;

  @BeforeAll
  static void publishATableAndItsViews(Lakehouse lakehouse) throws Exception {
    endpoints = lakehouse.endpoints();
    catalog = endpoints.trinoCatalog();
    table = new TableRef(lakehouse.namespace(), "order_report");
    rawTable = "%s.%s.%s".formatted(catalog, table.namespace(), table.name());
    try (RESTCatalog rest = endpoints.catalogConnection().open("test")) {
      Table gold = GoldFixture.createOrderReport(rest, table);
      GoldFixture.appendOnAuditBranch(
          gold,
          "run1",
          List.of(
              GoldFixture.orderDay(LocalDate.of(2026, 3, 1), 4, "400.00"),
              GoldFixture.orderDay(LocalDate.of(2026, 3, 2), 2, "50.00")),
          Map.of());
      GoldFixture.publish(gold, "run1", Instant.parse("2026-03-02T23:00:00Z"));
    }
    viewName = lakehouse.namespace() + "_orders";
    otherViewName = lakehouse.namespace() + "_busy_days";
    List<InterfaceView> views =
        List.of(
            new InterfaceView(
                viewName,
                "SELECT day, order_count, total_revenue FROM " + rawTable,
                Optional.of("orders per day"),
                Optional.of("analytics")),
            new InterfaceView(
                otherViewName,
                "SELECT day FROM " + rawTable + " WHERE order_count > 3",
                Optional.empty(),
                Optional.empty()));
    try (Connection admin = endpoints.openTrino()) {
      ViewSyncResult result = InterfaceViews.sync(admin, catalog, views);
      assertThat(result.failed()).isEmpty();
    }
  }

  @Test
  void biSelectsEveryInterfaceView() throws SQLException {
    assertThat(
            query(
                "bi",
                "SELECT day, order_count FROM %s.interface.%s ORDER BY day",
                catalog,
                viewName))
        .containsExactly("2026-03-01|4", "2026-03-02|2");
    assertThat(query("bi", "SELECT day FROM %s.interface.%s", catalog, otherViewName))
        .containsExactly("2026-03-01");
  }

  @Test
  void biIsDeniedRawTablesMetadataTablesOtherSchemasAndDdl() {
    String ns = catalog + "." + table.namespace();
    List<String> denied =
        List.of(
            "SELECT * FROM " + rawTable,
            "SELECT * FROM %s.\"%s$snapshots\"".formatted(ns, table.name()),
            "SELECT * FROM %s.\"%s$refs\"".formatted(ns, table.name()),
            "SELECT * FROM %s.\"%s$history\"".formatted(ns, table.name()),
            "SELECT * FROM %s FOR VERSION AS OF 'published-20260302T230000Z'".formatted(rawTable),
            "SHOW CREATE VIEW %s.interface.%s".formatted(catalog, viewName),
            "CREATE TABLE %s.interface.sneaky (x int)".formatted(catalog),
            "CREATE VIEW %s.interface.sneaky AS SELECT * FROM %s".formatted(catalog, rawTable),
            "CREATE OR REPLACE VIEW %s.interface.%s AS SELECT 1 AS x".formatted(catalog, viewName),
            "DROP VIEW %s.interface.%s".formatted(catalog, viewName),
            "INSERT INTO %s VALUES (DATE '2026-01-01', 1, 1, 1)".formatted(rawTable),
            "DELETE FROM " + rawTable,
            "CREATE SCHEMA %s.bi_schema".formatted(catalog),
            "ALTER TABLE %s EXECUTE expire_snapshots(retention_threshold => '0s')"
                .formatted(rawTable),
            "SELECT * FROM system.runtime.queries",
            "CALL %s.system.rollback_to_snapshot('%s', '%s', 1)"
                .formatted(catalog, table.namespace(), table.name()));
    for (String sql : denied) {
      assertThatThrownBy(() -> query("bi", sql), sql)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
    }
  }

  @Test
  void biDiscoversExactlyTheInterfaceViewsThroughJdbcMetadata() throws SQLException {
    try (Connection bi = endpoints.openTrinoAs("bi", Optional.empty())) {
      DatabaseMetaData metadata = bi.getMetaData();
      List<String> tables = new ArrayList<>();
      try (ResultSet rows = metadata.getTables(null, null, "%", null)) {
        while (rows.next()) {
          tables.add(
              "%s.%s.%s %s"
                  .formatted(
                      rows.getString("TABLE_CAT"),
                      rows.getString("TABLE_SCHEM"),
                      rows.getString("TABLE_NAME"),
                      rows.getString("TABLE_TYPE")));
        }
      }
      // other test classes may add their own interface views; besides those, only Trino's own
      // metadata appears: information_schema (which access rules do not govern) and system.jdbc
      // (which BI users must read for this very call)
      assertThat(tables)
          .contains(
              "%s.interface.%s VIEW".formatted(catalog, viewName),
              "%s.interface.%s VIEW".formatted(catalog, otherViewName))
          .allMatch(
              row ->
                  (row.startsWith(catalog + ".interface.") && row.endsWith(" VIEW"))
                      || row.contains(".information_schema.")
                      || row.startsWith("system.jdbc."),
              "an interface view or Trino metadata")
          .noneMatch(row -> row.contains(table.namespace() + "."));

      List<String> columns = new ArrayList<>();
      try (ResultSet rows = metadata.getColumns(catalog, "interface", viewName, "%")) {
        while (rows.next()) {
          columns.add(rows.getString("COLUMN_NAME") + " " + rows.getString("TYPE_NAME"));
        }
      }
      assertThat(columns)
          .containsExactly("day date", "order_count bigint", "total_revenue decimal(18,2)");

      try (ResultSet rows = metadata.getColumns(catalog, table.namespace(), table.name(), "%")) {
        assertThat(rows.next()).as("columns of a raw table").isFalse();
      }
      List<String> schemas = new ArrayList<>();
      try (ResultSet rows = metadata.getSchemas(catalog, "%")) {
        while (rows.next()) {
          schemas.add(rows.getString("TABLE_SCHEM"));
        }
      }
      assertThat(schemas).contains("interface").doesNotContain(table.namespace());
    }
  }

  @Test
  void auditorReadsTablesViewsAndHistoryButWritesNothing() throws SQLException {
    String auditCatalog = catalog + "_audit";
    String ns = auditCatalog + "." + table.namespace();
    String rawTable = ns + "." + table.name();
    assertThat(query("auditor", "SELECT count(*) FROM " + rawTable)).containsExactly("2");
    assertThat(query("auditor", "SELECT count(*) FROM %s.\"%s$snapshots\"", ns, table.name()))
        .containsExactly("1");
    assertThat(
            query(
                "auditor", "SELECT name FROM %s.\"%s$refs\" WHERE type = 'TAG'", ns, table.name()))
        .containsExactly("published-20260302T230000Z");
    assertThat(query("auditor", "SELECT count(*) FROM %s.interface.%s", auditCatalog, viewName))
        .containsExactly("2");
    assertThat(
            query(
                "auditor",
                "SELECT count(*) FROM %s FOR VERSION AS OF 'published-20260302T230000Z'",
                rawTable))
        .containsExactly("2");
    List<String> denied =
        List.of(
            "INSERT INTO %s VALUES (DATE '2026-01-01', 1, 1, 1)".formatted(rawTable),
            "DELETE FROM " + rawTable,
            "CREATE TABLE %s.copy AS SELECT * FROM %s".formatted(ns, rawTable),
            "DROP TABLE " + rawTable,
            "CREATE OR REPLACE VIEW %s.interface.%s AS SELECT 1 AS x"
                .formatted(auditCatalog, viewName),
            "ALTER TABLE %s EXECUTE expire_snapshots(retention_threshold => '0s')"
                .formatted(rawTable),
            // auditors read through the audit catalog only
            "SELECT count(*) FROM " + ServingAccessTest.rawTable,
            "CALL %s.system.rollback_to_snapshot('%s', '%s', 1)"
                .formatted(auditCatalog, table.namespace(), table.name()),
            "ALTER TABLE %s EXECUTE optimize".formatted(rawTable));
    for (String sql : denied) {
      assertThatThrownBy(() -> query("auditor", sql), sql)
          .isInstanceOf(SQLException.class)
          .hasMessageContaining("Access Denied");
    }
  }

  @Test
  void aUserWithoutARoleReadsNothing() {
    assertThatThrownBy(
            () -> query("mallory", "SELECT count(*) FROM %s.interface.%s", catalog, viewName))
        .hasMessageContaining("Access Denied");
  }

  private static List<String> query(String user, String sql, Object... args) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection connection = endpoints.openTrinoAs(user, Optional.empty());
        Statement statement = connection.createStatement();
        ResultSet result = run(statement, args.length == 0 ? sql : sql.formatted(args))) {
      if (result == null) {
        return rows;
      }
      int columns = result.getMetaData().getColumnCount();
      while (result.next()) {
        List<String> values = new ArrayList<>();
        for (int i = 1; i <= columns; i++) {
          values.add(String.valueOf(result.getObject(i)));
        }
        rows.add(String.join("|", values));
      }
    }
    return rows;
  }

  /** Runs any statement (queries and DDL alike); the result set of a query, else null. */
  private static ResultSet run(Statement statement, String sql) throws SQLException {
    return statement.execute(sql) ? statement.getResultSet() : null;
  }
}
