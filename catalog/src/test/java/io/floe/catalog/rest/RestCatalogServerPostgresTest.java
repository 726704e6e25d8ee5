package io.floe.catalog.rest;

import static io.floe.catalog.rest.RestCatalogServerTest.serverOn;
import static org.assertj.core.api.Assertions.assertThat;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog server on a real PostgreSQL instead of its default SQLite file. */
class RestCatalogServerPostgresTest {
  @TempDir static Path dir;
  private static EmbeddedPostgres postgres;

  @BeforeAll
  static void startPostgres() throws Exception {
    postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).start();
  }

  @AfterAll
  static void stopPostgres() throws Exception {
    if (postgres != null) {
      postgres.close();
    }
  }

  @Test
  void keepsTheCatalogInPostgresAcrossRestarts() throws Exception {
    String jdbcUri = postgres.getJdbcUrl("postgres", "postgres");

    RestCatalogServerRestartTest.survivesARestart(
        () -> serverOn(dir, jdbcUri).jdbcUser("postgres").jdbcPassword("postgres"));

    // the rows are in PostgreSQL, in Iceberg's JDBC catalog schema
    List<String> tables = new ArrayList<>();
    try (Connection connection = postgres.getPostgresDatabase().getConnection();
        Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT table_namespace || '.' || table_name FROM iceberg_tables")) {
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
    }
    assertThat(tables).contains("silver.orders");
  }
}
