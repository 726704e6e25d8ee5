package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.core.config.ConfigException;
import io.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code access} and {@code views} sections: defaults, mapping and one-line errors. */
class ServingConfigTest {
  private static FloeConfig config(String yaml) {
    return FloeConfig.parse("floe.yaml", yaml, Map.<String, String>of()::get, Path.of("/tmp"));
  }

  @Test
  void accessDefaultsToAdminBiAndAuditorUsers() {
    AccessConfig access = AccessConfig.read(config("{}"));
    assertThat(access).isEqualTo(AccessConfig.defaults("admin", "iceberg"));
    assertThat(access.enabled()).isTrue();
    assertThat(access.admins()).containsExactly("admin");
    assertThat(access.bi().users()).containsExactly("bi");
    assertThat(access.auditor().users()).containsExactly("auditor");
    assertThat(access.auditCatalog()).isEqualTo("iceberg_audit");
  }

  @Test
  void accessMapsEveryKey() {
    AccessConfig access =
        AccessConfig.read(
            config(
                """
                trino: {user: floe, catalog: lake}
                access:
                  enabled: false
                  admin-users: [ops]
                  bi: {users: [ana, metabase], groups: [analysts]}
                  auditor: {users: [kim], groups: [audit], catalog: lake_ro}
                """));
    assertThat(access.enabled()).isFalse();
    assertThat(access.admins()).containsExactly("floe", "ops");
    assertThat(access.bi())
        .isEqualTo(new AccessConfig.Role(List.of("ana", "metabase"), List.of("analysts")));
    assertThat(access.auditor()).isEqualTo(new AccessConfig.Role(List.of("kim"), List.of("audit")));
    assertThat(access.auditCatalog()).isEqualTo("lake_ro");
  }

  @Test
  void accessErrorsNameFileAndKey() {
    assertThatThrownBy(() -> AccessConfig.read(config("access: {bi: {users: [admin]}}")))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "floe.yaml: access.bi.users: user 'admin' is already admin; each user holds one role");
    assertThatThrownBy(() -> AccessConfig.read(config("access: {auditor: {users: ['a b']}}")))
        .hasMessage(
            "floe.yaml: access.auditor.users: 'a b' is not a user or group name (letters, digits, _ . @ -)");
    assertThatThrownBy(() -> AccessConfig.read(config("access: {bi: {role: x}}")))
        .hasMessage("floe.yaml: access.bi.role: unknown key; allowed keys here are groups, users");
    assertThatThrownBy(() -> AccessConfig.read(config("access: {auditor: {catalog: iceberg}}")))
        .hasMessageContaining(
            "access.auditor.catalog: 'iceberg' must be a lower-case catalog name other than iceberg");
  }

  @Test
  void rulesGiveEachRoleOnlyWhatItNeeds() throws Exception {
    AccessConfig access =
        AccessConfig.read(
            config("access: {admin-users: [ops.team], bi: {users: [bi], groups: [analysts]}}"));
    JsonNode rules = new ObjectMapper().readTree(AccessRules.render(access, "iceberg"));

    assertThat(rules.get("catalogs").toString())
        .isEqualTo(
            "[{\"user\":\"admin|ops\\\\.team\",\"allow\":\"all\"},"
                + "{\"user\":\"auditor\",\"catalog\":\"(iceberg_audit|system)\",\"allow\":\"read-only\"},"
                + "{\"user\":\"bi\",\"catalog\":\"(iceberg|system)\",\"allow\":\"read-only\"},"
                + "{\"group\":\"analysts\",\"catalog\":\"(iceberg|system)\",\"allow\":\"read-only\"}]");
    assertThat(rules.get("schemas").toString())
        .isEqualTo("[{\"user\":\"admin|ops\\\\.team\",\"owner\":true}]");
    JsonNode tables = rules.get("tables");
    assertThat(tables.get(0).get("privileges").toString()).contains("OWNERSHIP", "GRANT_SELECT");
    assertThat(tables.get(1).toString())
        .isEqualTo(
            "{\"user\":\"auditor\",\"catalog\":\"iceberg_audit\",\"privileges\":[\"SELECT\"]}");
    assertThat(tables.get(2).toString())
        .isEqualTo(
            "{\"user\":\"bi\",\"catalog\":\"iceberg\",\"schema\":\"interface\",\"table\":\"[^$]+\",\"privileges\":[\"SELECT\"]}");
    assertThat(rules.get("procedures").toString()).doesNotContain("bi", "auditor");
    assertThat(rules.get("queries").get(1).toString()).isEqualTo("{\"allow\":[\"execute\"]}");
  }

  @Test
  void viewsDefaultToTheEcommerceReports() {
    List<InterfaceView> views = InterfaceViews.read(config("trino: {catalog: lake}"));
    assertThat(views)
        .extracting(InterfaceView::name)
        .containsExactly("category_report", "order_report");
    assertThat(views.get(0).sql())
        .isEqualTo(
            "SELECT day, category_id, category_name, avg_revenue, median_revenue, item_count"
                + " FROM \"lake\".gold.category_report");
    assertThat(InterfaceViews.read(config("views: {}"))).isEmpty();
  }

  @Test
  void viewsMapNameSqlCommentAndOwner() {
    List<InterfaceView> views =
        InterfaceViews.read(
            config(
                """
                views:
                  interface.daily:
                    sql: "SELECT day FROM iceberg.gold.order_report;"
                    comment: Days with orders
                    owner: analytics
                  weekly: {sql: "WITH w AS (SELECT 1 AS x) SELECT x FROM w"}
                """));
    assertThat(views)
        .containsExactly(
            new InterfaceView(
                "daily",
                "SELECT day FROM iceberg.gold.order_report",
                java.util.Optional.of("Days with orders"),
                java.util.Optional.of("analytics")),
            new InterfaceView(
                "weekly",
                "WITH w AS (SELECT 1 AS x) SELECT x FROM w",
                java.util.Optional.empty(),
                java.util.Optional.empty()));
    assertThat(views.get(0).storedComment()).contains("Days with orders (owner: analytics)");
    assertThat(InterfaceViews.createStatement("iceberg", views.get(0)))
        .isEqualTo(
            "CREATE OR REPLACE VIEW \"iceberg\".\"interface\".\"daily\" COMMENT 'Days with orders (owner: analytics)'"
                + " SECURITY DEFINER AS SELECT day FROM iceberg.gold.order_report");
  }

  @Test
  void viewErrorsNameFileAndKey() {
    assertThatThrownBy(() -> InterfaceViews.read(config("views: {gold.x: {sql: SELECT 1}}")))
        .hasMessage(
            "floe.yaml: views.gold.x: views live in the interface schema; name them <view> or interface.<view>");
    assertThatThrownBy(() -> InterfaceViews.read(config("views: {Daily: {sql: SELECT 1}}")))
        .hasMessageContaining("views.Daily: 'Daily' is not a view name");
    assertThatThrownBy(() -> InterfaceViews.read(config("views: {daily: {comment: x}}")))
        .hasMessage("floe.yaml: views.daily.sql: required: the query the view runs");
    assertThatThrownBy(() -> InterfaceViews.read(config("views: {daily: {sql: DROP TABLE x}}")))
        .hasMessage(
            "floe.yaml: views.daily.sql: must be a query starting with SELECT or WITH, not 'DROP'");
    assertThatThrownBy(
            () -> InterfaceViews.read(config("views: {daily: {sql: SELECT 1, owners: x}}")))
        .hasMessageContaining("views.daily.owners: unknown key");
  }
}
