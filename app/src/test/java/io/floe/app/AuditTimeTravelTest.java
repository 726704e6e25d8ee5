package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.error.FloeException;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import io.floe.trino.AuditDiff;
import io.floe.trino.AuditHistory;
import io.floe.trino.AuditQuery;
import io.floe.trino.InterfaceView;
import io.floe.trino.InterfaceViews;
import io.floe.trino.SnapshotEntry;
import io.floe.trino.ViewSyncResult;
import java.sql.Connection;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Write-audit-publish as the pipeline does it (pure-Java Iceberg), seen through Trino: interface
 * views show only published data, and audits read any earlier publish back exactly.
 */
@ExtendWith(LakehouseExtension.class)
class AuditTimeTravelTest {

  @Test
  void viewsShowOnlyPublishedDataAndAuditsReadEveryPublishBack(Lakehouse lakehouse)
      throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String catalog = endpoints.trinoCatalog();
    TableRef ref = new TableRef(lakehouse.namespace(), "order_report");
    String view = lakehouse.namespace() + "_order_report";
    List<InterfaceView> views =
        List.of(
            new InterfaceView(
                view,
                "SELECT day, order_count, total_revenue FROM %s.%s.%s"
                    .formatted(catalog, ref.namespace(), ref.name()),
                Optional.empty(),
                Optional.empty()));
    String viewQuery = "SELECT * FROM %s.interface.%s ORDER BY day".formatted(catalog, view);

    try (RESTCatalog rest = endpoints.catalogConnection().open("test");
        Connection admin = endpoints.openTrino()) {
      Table table = GoldFixture.createOrderReport(rest, ref);
      long first =
          GoldFixture.appendOnAuditBranch(
              table,
              "run1",
              List.of(
                  GoldFixture.orderDay(LocalDate.of(2026, 3, 1), 4, "400.00"),
                  GoldFixture.orderDay(LocalDate.of(2026, 3, 2), 2, "50.00")),
              Map.of(Refs.SUMMARY_VERDICT, "pass"));
      String firstTag = GoldFixture.publish(table, "run1", Instant.parse("2026-03-02T23:00:00Z"));
      ViewSyncResult created = InterfaceViews.sync(admin, catalog, views);
      assertThat(created.views())
          .extracting(ViewSyncResult.SyncedView::status)
          .containsExactly(ViewSyncResult.Status.CREATED);
      List<String> firstPublish = asBi(endpoints, viewQuery);
      assertThat(firstPublish).containsExactly("2026-03-01|4|400.00", "2026-03-02|2|50.00");

      // a run whose gate fails: its snapshot stays on its audit branch, main never moves, and
      // nothing records the verdict but the gate's metric history
      long failed =
          GoldFixture.appendOnAuditBranch(
              table,
              "run_bad",
              List.of(GoldFixture.orderDay(LocalDate.of(2026, 3, 3), 1, "999999999.00")),
              Map.of());
      TableRef results = new TableRef(lakehouse.namespace(), "audit_results");
      QualityConfig gate =
          QualityConfig.DEFAULT.withTables(
              results, new TableRef(lakehouse.namespace(), "audit_states"));
      // evaluated twice: the latest evaluation's verdict is the snapshot's
      assertThat(evaluate(rest, ref, gate, failed, "row-count: {min: 1}").passed()).isTrue();
      assertThat(
              evaluate(rest, ref, gate, failed, "max: {column: total_revenue, max: 100000}")
                  .passed())
          .isFalse();
      // a run that will pass, not yet published
      long second =
          GoldFixture.appendOnAuditBranch(
              table,
              "run2",
              List.of(GoldFixture.orderDay(LocalDate.of(2026, 3, 3), 3, "90.00")),
              Map.of(Refs.SUMMARY_VERDICT, "pass"));
      assertThat(asBi(endpoints, viewQuery)).isEqualTo(firstPublish);
      assertThat(InterfaceViews.sync(admin, catalog, views).views())
          .extracting(ViewSyncResult.SyncedView::status)
          .containsExactly(ViewSyncResult.Status.REPLACED);
      assertThat(asBi(endpoints, viewQuery)).isEqualTo(firstPublish);

      String secondTag = GoldFixture.publish(table, "run2", Instant.parse("2026-03-03T23:00:00Z"));
      List<String> secondPublish = asBi(endpoints, viewQuery);
      assertThat(secondPublish)
          .containsExactly("2026-03-01|4|400.00", "2026-03-02|2|50.00", "2026-03-03|3|90.00");

      // an audit of the view as of each publish returns exactly what BI users saw then
      String auditSql = "SELECT * FROM %s.interface.%s ORDER BY day".formatted(catalog, view);
      assertThat(audit(admin, catalog, views, auditSql, firstTag).rows().lines())
          .isEqualTo(firstPublish);
      assertThat(audit(admin, catalog, views, auditSql, secondTag).rows().lines())
          .isEqualTo(secondPublish);
      // a time resolves to the latest publish at or before it; a date to the end of that day
      assertThat(audit(admin, catalog, views, auditSql, "2026-03-03T12:00:00Z").rows().lines())
          .isEqualTo(firstPublish);
      assertThat(audit(admin, catalog, views, auditSql, "2026-03-02").rows().lines())
          .isEqualTo(firstPublish);
      assertThat(audit(admin, catalog, views, auditSql, "2026-03-03").rows().lines())
          .isEqualTo(secondPublish);
      assertThat(audit(admin, catalog, views, auditSql, Long.toString(first)).rows().lines())
          .isEqualTo(firstPublish);
      AuditQuery.Result aliased =
          audit(
              admin,
              catalog,
              views,
              "SELECT o.day FROM %s.interface.%s o WHERE o.order_count > 1 ORDER BY o.day"
                  .formatted(catalog, view),
              firstTag);
      assertThat(aliased.rows().lines()).containsExactly("2026-03-01", "2026-03-02");
      assertThat(aliased.sql()).contains("FOR VERSION AS OF " + first);
      assertThat(aliased.snapshots()).containsValue(first);
      // the failed run's data stays inspectable on its branch
      assertThat(
              audit(
                      admin,
                      catalog,
                      views,
                      "SELECT count(*) FROM %s.%s.%s"
                          .formatted(catalog, ref.namespace(), ref.name()),
                      Refs.auditBranch("run_bad"))
                  .rows()
                  .lines())
          .containsExactly("3");

      assertThatThrownBy(() -> audit(admin, catalog, views, auditSql, "published-19990101T000000Z"))
          .isInstanceOf(FloeException.class)
          .hasMessageContaining("no tag or branch 'published-19990101T000000Z'")
          .hasMessageContaining(secondTag);
      assertThatThrownBy(() -> audit(admin, catalog, views, auditSql, "2020-01-01"))
          .hasMessageContaining("had no published snapshot at 2020-01-01T23:59:59.999Z");
      assertThatThrownBy(() -> audit(admin, catalog, views, auditSql, Long.toString(first + 1)))
          .hasMessageContaining("has no snapshot " + (first + 1));

      AuditDiff.Result diff =
          AuditDiff.on(admin, catalog, ref).from(firstTag).to(secondTag).execute();
      assertThat(diff.fromSnapshot()).isEqualTo(first);
      assertThat(diff.toSnapshot()).isEqualTo(second);
      assertThat(diff.added().lines()).containsExactly("2026-03-03|3|90.00|30.00");
      assertThat(diff.removed().lines()).isEmpty();
      AuditDiff.Result backwards =
          AuditDiff.on(admin, catalog, ref).from(secondTag).to(firstTag).execute();
      assertThat(backwards.added().lines()).isEmpty();
      assertThat(backwards.removed().lines()).containsExactly("2026-03-03|3|90.00|30.00");
      assertThat(diff.added().count()).isEqualTo(1);
      assertThat(diff.removed().count()).isZero();
      // reading no rows still counts them (by a count query, not by fetching them)
      AuditDiff.Result countedOnly =
          AuditDiff.on(admin, catalog, ref).from(firstTag).to(secondTag).maxRows(0).execute();
      assertThat(countedOnly.added().count()).isEqualTo(1);
      assertThat(countedOnly.added().lines()).isEmpty();
      assertThat(countedOnly.added().rows().more()).isTrue();
      assertThat(countedOnly.removed().count()).isZero();
      assertThat(countedOnly.removed().rows().more()).isFalse();
      // a query reads at most maxRows rows and says whether there were more
      AuditQuery.Result firstRow =
          AuditQuery.on(admin, catalog)
              .sql(auditSql)
              .asOf(secondTag)
              .views(views)
              .maxRows(1)
              .execute();
      assertThat(firstRow.rows().lines()).containsExactly(secondPublish.get(0));
      assertThat(firstRow.rows().more()).isTrue();
      assertThat(audit(admin, catalog, views, auditSql, secondTag).rows().more()).isFalse();
      // values read as Trino prints them: a timestamp keeps its microseconds, bytes are hex
      assertThat(
              audit(
                      admin,
                      catalog,
                      views,
                      ("SELECT TIMESTAMP '2026-03-03 10:00:00.123456', X'0A0B', min(day)"
                              + " FROM %s.interface.%s")
                          .formatted(catalog, view),
                      secondTag)
                  .rows()
                  .lines())
          .containsExactly("2026-03-03 10:00:00.123456|0x0A0B|2026-03-01");

      List<SnapshotEntry> history = AuditHistory.read(admin, catalog, ref, Optional.of(results));
      assertThat(history)
          .extracting(SnapshotEntry::snapshotId)
          .containsExactly(first, failed, second);
      SnapshotEntry one = history.get(0);
      assertThat(one.published()).isTrue();
      assertThat(one.publishedAt()).contains(Instant.parse("2026-03-02T23:00:00Z"));
      assertThat(one.tags()).containsExactly(firstTag);
      assertThat(one.verdict()).contains("pass");
      assertThat(one.runId()).contains("run1");
      assertThat(one.addedRecords()).contains(2L);
      assertThat(one.totalRecords()).contains(2L);
      assertThat(one.operation()).isEqualTo("append");
      SnapshotEntry bad = history.get(1);
      assertThat(bad.published()).isFalse();
      assertThat(bad.publishedAt()).isEmpty();
      assertThat(bad.branches()).containsExactly(Refs.auditBranch("run_bad"));
      assertThat(bad.verdict()).contains("fail");
      SnapshotEntry two = history.get(2);
      assertThat(two.published()).isTrue();
      assertThat(two.tags()).containsExactly(secondTag);
      assertThat(two.branches()).containsExactlyInAnyOrder(Refs.MAIN, Refs.auditBranch("run2"));
      assertThat(two.totalRecords()).contains(3L);
      assertThat(two.publishedAt()).contains(Instant.parse("2026-03-03T23:00:00Z"));
      // without the metric history only the verdicts in snapshot summaries are known
      assertThat(AuditHistory.read(admin, catalog, ref))
          .extracting(SnapshotEntry::verdict)
          .containsExactly(Optional.of("pass"), Optional.empty(), Optional.of("pass"));
      // a history table that does not exist gives no verdicts, and no error
      assertThat(
              AuditHistory.read(
                  admin,
                  catalog,
                  ref,
                  Optional.of(new TableRef(lakehouse.namespace(), "no_such_results"))))
          .extracting(SnapshotEntry::verdict)
          .containsExactly(Optional.of("pass"), Optional.empty(), Optional.of("pass"));
    }
  }

  private static Verdict evaluate(
      RESTCatalog catalog, TableRef ref, QualityConfig config, long snapshot, String check) {
    Suite suite = Suites.parse(ref, ConfigNode.parse("test", "checks: [" + check + "]", n -> null));
    return QualityGate.check(catalog, ref).suite(suite).config(config).snapshot(snapshot).execute();
  }

  private static AuditQuery.Result audit(
      Connection connection, String catalog, List<InterfaceView> views, String sql, String asOf) {
    return AuditQuery.on(connection, catalog).sql(sql).asOf(asOf).views(views).execute();
  }

  private static List<String> asBi(StackEndpoints endpoints, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Connection bi = endpoints.openTrinoAs("bi", Optional.empty());
        Statement statement = bi.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
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
}
