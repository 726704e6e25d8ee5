package io.floe.examples;

import static io.floe.examples.ExamplePipelines.trino;
import static io.floe.examples.ExamplePipelines.trinoLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.examples.junit.UpstreamExtension;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A PostgreSQL transaction writes a row whose watermark is below what an ingest then reads up to,
 * and commits only after that ingest: the lookback window picks it up on the next run, once, while
 * every other version in the window (already in bronze) is not written again. The same table read
 * without lookback misses the row for good.
 */
@ExtendWith({LakehouseExtension.class, UpstreamExtension.class})
class JdbcLookbackTest {
  private static final String T0 = "2026-03-01 12:00:00+00";

  @Test
  void aRowCommittedLateBelowTheWatermarkLandsOnceWithLookback(
      Lakehouse lakehouse, EcommerceUpstream upstream) throws Exception {
    String name = lakehouse.namespace();
    StackEndpoints stack = lakehouse.endpoints();
    upstream.createDatabase(name);
    PipelineConfig pipeline =
        PipelineConfig.parse(
            "(lookback test)",
            """
            pipeline:
              bronze-namespace: %s
              sources:
                shop:
                  kind: postgres
                  database: %s
                  tables: {items: {}}
                shop_without_lookback:
                  kind: postgres
                  database: %s
                  lookback: 0s
                  tables: {items: {target: items_without_lookback}}
            """
                .formatted(name, name, name),
            k -> null);

    try (Connection writer = connect(upstream, name);
        Connection longTransaction = connect(upstream, name)) {
      execute(
          writer,
          "CREATE TABLE items (id bigint PRIMARY KEY, label varchar, updated_at timestamptz NOT NULL)",
          insertAt(1, "a", 0),
          insertAt(2, "b", 1),
          insertAt(3, "c", 2));
      // the long transaction stamps its row at 30 s, then stays open past the first ingest
      longTransaction.setAutoCommit(false);
      execute(longTransaction, insertAt(4, "late", 30));
      execute(writer, insertAt(5, "e", 60), updateAt(1, "a2", 60));

      IngestReport first = ingest(lakehouse, upstream, pipeline);
      assertThat(rows(first, name, "items")).isEqualTo(4);
      assertThat(rows(first, name, "items_without_lookback")).isEqualTo(4);

      longTransaction.commit();
      execute(writer, insertAt(6, "f", 90), updateAt(2, "b2", 90));
    }

    IngestReport second = ingest(lakehouse, upstream, pipeline);
    // the late row 4 and the two new versions; 1, 2 (old), 3 and 5 are reread and dropped
    assertThat(rows(second, name, "items")).isEqualTo(3);
    assertThat(rows(second, name, "items_without_lookback")).isEqualTo(2);

    long snapshots = snapshotCount(stack, TableIdentifier.of(name, "items"));
    IngestReport third = ingest(lakehouse, upstream, pipeline);
    assertThat(rows(third, name, "items")).isZero();
    assertThat(snapshotCount(stack, TableIdentifier.of(name, "items")))
        .as("a run that only rereads the lookback window commits nothing")
        .isEqualTo(snapshots);

    assertThat(
            trino(
                stack,
                "SELECT id, label FROM iceberg.%s.items ORDER BY id, updated_at".formatted(name)))
        .containsExactly(
            List.of(1L, "a2"),
            List.of(2L, "b"),
            List.of(2L, "b2"),
            List.of(3L, "c"),
            List.of(4L, "late"),
            List.of(5L, "e"),
            List.of(6L, "f"));
    assertThat(
            trinoLong(
                stack,
                "SELECT count(*) FROM iceberg.%s.items_without_lookback WHERE id = 4"
                    .formatted(name)))
        .as("without lookback the late row is never read")
        .isZero();
  }

  private static String insertAt(long id, String label, int seconds) {
    return "INSERT INTO items VALUES (%d, '%s', '%s'::timestamptz + interval '%d seconds')"
        .formatted(id, label, T0, seconds);
  }

  private static String updateAt(long id, String label, int seconds) {
    return "UPDATE items SET label = '%s', updated_at = '%s'::timestamptz + interval '%d seconds' WHERE id = %d"
        .formatted(label, T0, seconds, id);
  }

  private static IngestReport ingest(
      Lakehouse lakehouse, EcommerceUpstream upstream, PipelineConfig pipeline) {
    return IngestStage.of(pipeline, lakehouse.endpoints(), lakehouse.sparkJobs())
        .upstream(upstream.endpoints())
        .home(lakehouse.config().home())
        .run();
  }

  private static long rows(IngestReport report, String namespace, String table) {
    return report.table(namespace + "." + table).orElseThrow().rows();
  }

  private static long snapshotCount(StackEndpoints stack, TableIdentifier id) throws Exception {
    try (RESTCatalog catalog = stack.catalogConnection().open("lookback-test")) {
      int count = 0;
      for (var ignored : catalog.loadTable(id).snapshots()) {
        count++;
      }
      return count;
    }
  }

  private static Connection connect(EcommerceUpstream upstream, String database)
      throws SQLException {
    var endpoints = upstream.endpoints();
    return DriverManager.getConnection(
        endpoints.jdbcUrl(database), endpoints.postgresUser(), endpoints.postgresPassword());
  }

  private static void execute(Connection connection, String... statements) throws SQLException {
    try (Statement statement = connection.createStatement()) {
      for (String sql : statements) {
        statement.execute(sql);
      }
    }
  }
}
