package io.floe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigNodeTest {
  private static FloeConfig parse(String yaml) {
    return FloeConfig.parse("floe.yaml", yaml, Map.of("MAX", "9")::get, Path.of("/p"));
  }

  @Test
  void moduleSectionsAreKeptForTheirOwners() {
    FloeConfig config =
        parse(
            """
            tables:
              silver.orders:
                quality:
                  checks:
                    - {type: row-count, min: 1, max: "${MAX}"}
                    - {type: unique, columns: [order_id, line]}
              gold.report: {}
            maintenance:
              target-file-size: 128MB
              ratio: 0.75
            """);
    ConfigNode tables = config.section("tables");
    assertThat(tables.names()).containsExactly("silver.orders", "gold.report");
    List<ConfigNode> checks = tables.section("silver.orders").section("quality").list("checks");
    assertThat(checks).hasSize(2);
    assertThat(checks.get(0).longValue("max", 0, 0, 100)).isEqualTo(9);
    assertThat(checks.get(1).stringList("columns")).containsExactly("order_id", "line");
    assertThat(checks.get(1).path()).isEqualTo("tables.silver.orders.quality.checks[1]");
    assertThat(config.section("maintenance").dataSize("target-file-size", 0)).isEqualTo(128L << 20);
    assertThat(config.section("maintenance").decimal("ratio", 0)).isEqualTo(0.75);
    assertThat(config.section("views").isPresent()).isFalse();
    assertThat(config.section("views").names()).isEmpty();
  }

  @Test
  void assignmentsFromACommandLineReadAsASection() {
    ConfigNode node =
        ConfigNode.ofAssignments(
            "--set",
            List.of(
                "snapshot-max-age=2d",
                "min-snapshots = 10",
                "retention.column=order_ts",
                "retention.max-age=90d",
                "operations=[compact, expire]",
                "quarantine-location=s3://bucket/q?x=1"),
            name -> null);
    assertThat(node.duration("snapshot-max-age", null)).hasDays(2);
    assertThat(node.integer("min-snapshots", 0, 0, 100)).isEqualTo(10);
    assertThat(node.section("retention").string("column", null)).isEqualTo("order_ts");
    assertThat(node.section("retention").duration("max-age", null)).hasDays(90);
    assertThat(node.stringList("operations")).containsExactly("compact", "expire");
    assertThat(node.string("quarantine-location", null)).isEqualTo("s3://bucket/q?x=1");
    assertThatThrownBy(() -> node.integer("snapshot-max-age", 0, 0, 1))
        .hasMessage("--set: snapshot-max-age: '2d' is not a whole number");
    assertThatThrownBy(() -> ConfigNode.ofAssignments("--set", List.of("min-snapshots"), n -> null))
        .hasMessage("--set: 'min-snapshots' is not KEY=VALUE (e.g. snapshot-max-age=2d)");
    assertThatThrownBy(() -> ConfigNode.ofAssignments("--set", List.of("=3"), n -> null))
        .hasMessageContaining("is not KEY=VALUE");
  }

  @Test
  void errorsNameFileAndFullKey() {
    FloeConfig config =
        parse(
            """
            tables:
              t:
                quality:
                  checks: {type: unique}
                maintenance:
                  size: lots
            """);
    ConfigNode table = config.section("tables").section("t");
    assertThatThrownBy(() -> table.section("quality").list("checks"))
        .hasMessage("floe.yaml: tables.t.quality.checks: expected a list, found a section");
    assertThatThrownBy(() -> table.section("maintenance").dataSize("size", 0))
        .hasMessageContaining("floe.yaml: tables.t.maintenance.size: 'lots' is not a size");
    assertThatThrownBy(() -> parse("nonsense: 1"))
        .hasMessageContaining("floe.yaml: nonsense: unknown key")
        .hasMessageContaining("tables");
  }

  @Test
  void dataSizesUseBinaryUnits() {
    assertThat(DataSizes.parse("512MB")).contains(512L << 20);
    assertThat(DataSizes.parse("1g")).contains(1L << 30);
    assertThat(DataSizes.parse("4096")).contains(4096L);
    assertThat(DataSizes.parse("1.5GB")).isEmpty();
    assertThat(DataSizes.format(128L << 20)).isEqualTo("128MB");
    assertThat(DataSizes.format(1000)).isEqualTo("1000B");
  }

  @Test
  void dataSizesAreDescribedForPeopleToOneDecimal() {
    assertThat(DataSizes.describe(0)).isEqualTo("0 B");
    assertThat(DataSizes.describe(1023)).isEqualTo("1023 B");
    assertThat(DataSizes.describe(1024)).isEqualTo("1.0 KB");
    assertThat(DataSizes.describe(1536)).isEqualTo("1.5 KB");
    assertThat(DataSizes.describe(12_345_678)).isEqualTo("11.8 MB");
    // one decimal would round 1023.99 KB up to 1024.0 KB: it is 1.0 MB
    assertThat(DataSizes.describe((1L << 20) - 10)).isEqualTo("1.0 MB");
    assertThat(DataSizes.describe(3L << 40)).isEqualTo("3.0 TB");
    assertThat(DataSizes.describe(Long.MAX_VALUE)).isEqualTo("8.0 EB");
  }
}
