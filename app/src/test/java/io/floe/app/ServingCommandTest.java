package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code floe views} and {@code floe audit} against a Trino configured as external (the test
 * stack's), the way a production deployment points Floe at its own cluster.
 */
@ExtendWith(LakehouseExtension.class)
class ServingCommandTest {
  @TempDir Path dir;

  @Test
  void syncsViewsAndAuditsThroughAnExternalTrino(Lakehouse lakehouse) throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String ns = lakehouse.namespace();
    TableRef ref = new TableRef(ns, "order_report");
    String firstTag;
    String secondTag;
    try (RESTCatalog rest = endpoints.catalogConnection().open("test")) {
      Table table = GoldFixture.createOrderReport(rest, ref);
      GoldFixture.appendOnAuditBranch(
          table,
          "run1",
          List.of(GoldFixture.orderDay(LocalDate.of(2026, 3, 1), 4, "400.00")),
          Map.of(Refs.SUMMARY_VERDICT, "pass"));
      firstTag = GoldFixture.publish(table, "run1", Instant.parse("2026-03-01T23:00:00Z"));
      GoldFixture.appendOnAuditBranch(
          table,
          "run2",
          List.of(GoldFixture.orderDay(LocalDate.of(2026, 3, 2), 2, "50.00")),
          Map.of(Refs.SUMMARY_VERDICT, "pass"));
      secondTag = GoldFixture.publish(table, "run2", Instant.parse("2026-03-02T23:00:00Z"));
    }
    Path config = dir.resolve("floe.yaml");
    Files.writeString(
        config,
        "home: %s%n".formatted(dir.resolve("home"))
            + endpoints.externalConfig()
            + """
            views:
              %s_daily:
                sql: SELECT day, order_count FROM iceberg.%s.order_report
                comment: Orders per day
                owner: analytics
              %s_broken:
                sql: SELECT * FROM iceberg.%s.no_such_table
            """
                .formatted(ns, ns, ns, ns));
    String c = config.toString();

    FloeCommandTest.Outcome sync = FloeCommandTest.floe("--config", c, "views", "sync");
    assertThat(sync.exitCode()).as(sync.err()).isEqualTo(3);
    assertThat(sync.out())
        .contains("created  iceberg.interface.%s_daily".formatted(ns))
        .contains("failed   iceberg.interface.%s_broken".formatted(ns));
    assertThat(sync.err().strip())
        .isEqualTo("floe: 1 of 2 interface views failed: %s_broken".formatted(ns));

    FloeCommandTest.Outcome history =
        FloeCommandTest.floe("--config", c, "audit", "history", ref.toString());
    assertThat(history.exitCode()).as(history.err()).isZero();
    assertThat(history.out())
        .contains("History of %s (2 snapshots".formatted(ref))
        .contains("2026-03-01T23:00:00Z", firstTag, "2026-03-02T23:00:00Z", secondTag, "main")
        .contains("pass", "run1", "run2", "append");

    FloeCommandTest.Outcome query =
        FloeCommandTest.floe(
            "--config",
            c,
            "audit",
            "query",
            "SELECT day, order_count FROM iceberg.interface.%s_daily ORDER BY day".formatted(ns),
            "--as-of",
            firstTag,
            "--show-sql");
    assertThat(query.exitCode()).as(query.err()).isZero();
    assertThat(query.out())
        .contains("As of " + firstTag + ":")
        .contains("FOR VERSION AS OF")
        .contains("2026-03-01  4")
        .doesNotContain("2026-03-02  2")
        .contains("(1 row)");

    FloeCommandTest.Outcome diff =
        FloeCommandTest.floe("--config", c, "audit", "diff", ref.toString(), firstTag, secondTag);
    assertThat(diff.exitCode()).as(diff.err()).isZero();
    assertThat(diff.out()).contains("1 added, 0 removed").contains("2026-03-02  2");

    FloeCommandTest.Outcome notAQuery =
        FloeCommandTest.floe(
            "--config",
            c,
            "audit",
            "query",
            "DROP TABLE iceberg.%s.order_report".formatted(ns),
            "--as-of",
            firstTag);
    assertThat(notAQuery.exitCode()).isEqualTo(2);
    assertThat(notAQuery.err().strip())
        .isEqualTo(
            "floe: an audit query must be read-only (SELECT, WITH, VALUES or TABLE), not 'DROP'");

    FloeCommandTest.Outcome badTable =
        FloeCommandTest.floe("--config", c, "audit", "history", "order_report");
    assertThat(badTable.exitCode()).isEqualTo(2);
    assertThat(badTable.err()).contains("expected <namespace>.<table>");

    FloeCommandTest.Outcome rules = FloeCommandTest.floe("--config", c, "views", "rules");
    assertThat(rules.exitCode()).isZero();
    assertThat(rules.out()).contains("\"catalogs\"", "\"interface\"", "iceberg_audit");
  }
}
