package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.TableRef;
import io.floe.core.error.FloeException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The rewriting rule of {@code floe audit query}, on text only. */
class TimeTravelRewriterTest {
  private final Map<String, Long> snapshots =
      new HashMap<>(
          Map.of("iceberg.gold.orders", 9_000_000_001L, "iceberg.gold.items", 9_000_000_002L));
  private final List<InterfaceView> views =
      List.of(
          new InterfaceView(
              "daily",
              "SELECT day, n FROM iceberg.gold.orders",
              Optional.empty(),
              Optional.empty()));

  private String rewrite(String sql) {
    return rewriter(Optional.empty()).rewrite(sql);
  }

  private TimeTravelRewriter rewriter(Optional<TableRef> only) {
    return new TimeTravelRewriter(
        Set.of("iceberg"), views, only, table -> snapshots.get(table.toString()));
  }

  @Test
  void addsAVersionClauseToEveryThreePartTableName() {
    assertThat(
            rewrite(
                "SELECT * FROM iceberg.gold.orders o JOIN \"iceberg\".\"gold\".\"items\" i ON o.id = i.id"))
        .isEqualTo(
            "SELECT * FROM iceberg.gold.orders FOR VERSION AS OF 9000000001 o JOIN"
                + " \"iceberg\".\"gold\".\"items\" FOR VERSION AS OF 9000000002 i ON o.id = i.id");
    assertThat(rewrite("select count(*) from ICEBERG.Gold.Orders"))
        .isEqualTo("select count(*) from ICEBERG.Gold.Orders FOR VERSION AS OF 9000000001");
  }

  @Test
  void leavesStringsCommentsColumnsOtherCatalogsAndMetadataTablesAlone() {
    String sql =
        "SELECT 'iceberg.gold.orders', iceberg.gold.orders.day -- iceberg.gold.items\n"
            + "FROM /* iceberg.gold.items */ iceberg.gold.orders, hive.gold.items,"
            + " iceberg.gold.\"orders$snapshots\"";
    assertThat(rewrite(sql))
        .isEqualTo(
            "SELECT 'iceberg.gold.orders', iceberg.gold.orders.day -- iceberg.gold.items\n"
                + "FROM /* iceberg.gold.items */ iceberg.gold.orders FOR VERSION AS OF 9000000001,"
                + " hive.gold.items, iceberg.gold.\"orders$snapshots\"");
  }

  @Test
  void expandsDeclaredInterfaceViewsKeepingOrAddingTheAlias() {
    assertThat(rewrite("SELECT * FROM iceberg.interface.daily WHERE n > 1"))
        .isEqualTo(
            "SELECT * FROM (SELECT day, n FROM iceberg.gold.orders FOR VERSION AS OF 9000000001)"
                + " AS \"daily\" WHERE n > 1");
    assertThat(rewrite("SELECT d.day FROM iceberg.interface.daily d"))
        .isEqualTo(
            "SELECT d.day FROM (SELECT day, n FROM iceberg.gold.orders FOR VERSION AS OF 9000000001) d");
    assertThatThrownBy(() -> rewrite("SELECT * FROM iceberg.interface.unknown"))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining(
            "iceberg.interface.unknown is not an interface view declared in floe.yaml");
  }

  @Test
  void onlyTableLimitsTheRewrite() {
    assertThat(
            rewriter(Optional.of(TableRef.parse("gold.items")))
                .rewrite("SELECT * FROM iceberg.gold.orders, iceberg.gold.items"))
        .isEqualTo(
            "SELECT * FROM iceberg.gold.orders, iceberg.gold.items FOR VERSION AS OF 9000000002");
  }

  @Test
  void refusesQueriesWithNothingToTimeTravelOrTheirOwnClause() {
    assertThatThrownBy(() -> rewrite("SELECT * FROM gold.orders"))
        .hasMessageContaining("names no table as <catalog>.<schema>.<table> (catalog iceberg)");
    assertThatThrownBy(() -> rewrite("SELECT * FROM iceberg.gold.orders FOR VERSION AS OF 1"))
        .hasMessageContaining("already has a FOR ... AS OF clause");
  }

  @Test
  void smallSnapshotIdsStayBigints() {
    assertThat(TimeTravelRewriter.versionLiteral(42)).isEqualTo("CAST(42 AS BIGINT)");
    assertThat(TimeTravelRewriter.versionLiteral(9_000_000_001L)).isEqualTo("9000000001");
  }

  @Test
  void parsesEveryFormOfAsOf() {
    assertThat(AsOf.parse("8591726334416743087"))
        .isEqualTo(new AsOf.Snapshot(8591726334416743087L));
    assertThat(AsOf.parse("published-20260302T230000Z"))
        .isEqualTo(new AsOf.Tag("published-20260302T230000Z"));
    assertThat(AsOf.parse("2026-03-03T10:15:00Z"))
        .isEqualTo(new AsOf.At(Instant.parse("2026-03-03T10:15:00Z")));
    assertThat(AsOf.parse("2026-03-03T10:15:00+01:00"))
        .isEqualTo(new AsOf.At(Instant.parse("2026-03-03T09:15:00Z")));
    assertThat(AsOf.parse("2026-03-03 10:15"))
        .isEqualTo(new AsOf.At(Instant.parse("2026-03-03T10:15:00Z")));
    assertThat(AsOf.parse("2026-03-03"))
        .isEqualTo(new AsOf.At(Instant.parse("2026-03-03T23:59:59.999Z")));
    assertThatThrownBy(() -> AsOf.parse("2026-13-03"))
        .hasMessageContaining("is not a snapshot id, time");
    assertThat(PublishTags.time("published-20260302T230000Z"))
        .contains(Instant.parse("2026-03-02T23:00:00Z"));
    assertThat(PublishTags.time("audit_run1")).isEmpty();
  }
}
