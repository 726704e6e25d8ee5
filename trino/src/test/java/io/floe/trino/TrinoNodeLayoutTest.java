package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrinoNodeLayoutTest {
  @TempDir Path dataDir;
  private final Path install = Path.of("/opt/trino-476");

  private TrinoNodeLayout layout(String heap, Map<String, String> catalogOverrides) {
    return new TrinoNodeLayout(
        install,
        dataDir,
        18080,
        HeapSize.parse(heap),
        catalogOverrides,
        List.of(),
        Optional.empty());
  }

  @Test
  void sizesQueryMemoryAsSixtyPercentOfTheHeap() {
    Map<String, String> config = layout("2G", Map.of()).configProperties();

    assertThat(config)
        .containsEntry("query.max-memory-per-node", "1228MB")
        .containsEntry("query.max-memory", "1228MB");
    assertThat(layout("1536m", Map.of()).configProperties())
        .containsEntry("query.max-memory-per-node", "921MB");
  }

  @Test
  void configuresASingleCoordinatorOnLoopback() {
    TrinoNodeLayout layout = layout("2G", Map.of());

    assertThat(layout.configProperties())
        .containsEntry("coordinator", "true")
        .containsEntry("node-scheduler.include-coordinator", "true")
        .containsEntry("http-server.http.port", "18080")
        .containsEntry("discovery.uri", "http://127.0.0.1:18080")
        .containsEntry("plugin.dir", "/opt/trino-476/plugin")
        .containsEntry("catalog.config-dir", dataDir.resolve("etc/catalog").toString());
    assertThat(layout.nodeProperties())
        .containsEntry("node.environment", "floe")
        .containsEntry("node.internal-address", "127.0.0.1")
        .containsEntry("node.bind-ip", "127.0.0.1")
        .containsEntry("node.data-dir", dataDir.resolve("data").toString());
  }

  @Test
  void keepsTheNodeIdForTheSameDataDirectory(@TempDir Path otherDataDir) {
    String id = layout("2G", Map.of()).nodeId();

    assertThat(layout("4G", Map.of()).nodeId()).isEqualTo(id);
    assertThat(
            new TrinoNodeLayout(
                    install,
                    otherDataDir,
                    1,
                    HeapSize.parse("2G"),
                    Map.of(),
                    List.of(),
                    Optional.empty())
                .nodeId())
        .isNotEqualTo(id);
    assertThat(id).matches("[A-Za-z0-9][A-Za-z0-9_-]*");
  }

  @Test
  void passesWhatTrinosLauncherWouldPass() {
    TrinoNodeLayout layout = layout("2G", Map.of());

    assertThat(layout.jvmOptions())
        .contains(
            "-Xmx2048M",
            "-XX:+UseG1GC",
            "-XX:+EnableDynamicAgentLoading",
            "-Djdk.attach.allowAttachSelf=true",
            "-Djava.io.tmpdir=" + dataDir.resolve("tmp"),
            "-Djna.tmpdir=" + dataDir.resolve("tmp"),
            "-Dnode.id=" + layout.nodeId(),
            "-Dnode.internal-address=127.0.0.1",
            "-Dconfig=" + dataDir.resolve("etc/config.properties"),
            "-Dlog.levels-file=" + dataDir.resolve("etc/log.properties"));
  }

  @Test
  void writesEtcWithTheCatalogTemplateAndOverrides() throws Exception {
    TrinoNodeLayout layout =
        layout(
            "2G",
            Map.of(
                "iceberg.file-format", "ORC",
                "iceberg.expire-snapshots.min-retention", "0s"));

    layout.write();

    assertThat(dataDir.resolve("etc/node.properties")).content().contains("node.environment=floe");
    assertThat(dataDir.resolve("etc/config.properties"))
        .content()
        .contains("query.max-memory-per-node=1228MB");
    assertThat(dataDir.resolve("etc/log.properties")).content().contains("Bootstrap=WARN");
    String catalog = Files.readString(dataDir.resolve("etc/catalog/iceberg.properties"));
    assertThat(catalog)
        .contains("iceberg.file-format=ORC")
        .doesNotContain("iceberg.file-format=PARQUET")
        .endsWith("iceberg.expire-snapshots.min-retention=0s\n");
    for (String variable : IcebergCatalogProperties.ENVIRONMENT_VARIABLES) {
      assertThat(catalog).contains("${ENV:" + variable + "}");
    }
    assertThat(Files.isDirectory(dataDir.resolve("data"))).isTrue();
    assertThat(Files.isDirectory(dataDir.resolve("tmp"))).isTrue();
  }

  @Test
  void installsAccessRulesAndReadOnlyCatalogsAndRemovesThemWhenDropped() throws Exception {
    new TrinoNodeLayout(
            install,
            dataDir,
            18080,
            HeapSize.parse("2G"),
            Map.of(),
            List.of("iceberg_audit"),
            Optional.of("{\"catalogs\": []}"))
        .write();

    Path etc = dataDir.resolve("etc");
    assertThat(etc.resolve("config.properties"))
        .content()
        .contains("access-control.config-files=" + etc.resolve("access-control.properties"));
    assertThat(etc.resolve("access-control.properties"))
        .content()
        .contains("access-control.name=file", "security.config-file=" + etc.resolve("rules.json"));
    assertThat(etc.resolve("rules.json")).hasContent("{\"catalogs\": []}");
    assertThat(etc.resolve("catalog/iceberg_audit.properties"))
        .content()
        .contains("connector.name=iceberg")
        .endsWith("iceberg.security=READ_ONLY\n");
    assertThat(etc.resolve("catalog/iceberg.properties"))
        .content()
        .doesNotContain("iceberg.security");

    layout("2G", Map.of()).write();

    assertThat(etc.resolve("access-control.properties")).doesNotExist();
    assertThat(etc.resolve("rules.json")).doesNotExist();
    assertThat(etc.resolve("catalog/iceberg_audit.properties")).doesNotExist();
    assertThat(etc.resolve("config.properties")).content().doesNotContain("access-control");
  }

  @Test
  void rejectsHeapsThatAreNotSizesOrTooSmall() {
    assertThatThrownBy(() -> HeapSize.parse("2 gigs"))
        .isInstanceOfSatisfying(
            FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
        .hasMessageContaining("2 gigs");
    assertThatThrownBy(() -> HeapSize.parse("256M")).hasMessageContaining("at least 512M");
  }
}
