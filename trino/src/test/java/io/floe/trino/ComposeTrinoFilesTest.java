package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.config.TrinoConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * docker-compose's Trino must be configured like the embedded one: the checked-in files equal what
 * Floe renders, and the compose file mounts every one of them.
 */
class ComposeTrinoFilesTest {
  /** Maven runs the tests in the module directory; the repository root is its parent. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @Test
  void checkedInFilesEqualTheRendering() throws IOException {
    Map<String, String> rendered = ComposeTrinoFiles.render(TrinoConfig.USER_DEFAULT);
    for (Map.Entry<String, String> file : rendered.entrySet()) {
      Path checkedIn = ROOT.resolve(ComposeTrinoFiles.DIRECTORY).resolve(file.getKey());
      assertThat(checkedIn)
          .as(
              "%s is stale: run io.floe.trino.ComposeTrinoFiles from the repository root",
              checkedIn)
          .exists();
      assertThat(Files.readString(checkedIn))
          .as(
              "%s is stale: run io.floe.trino.ComposeTrinoFiles from the repository root",
              checkedIn)
          .isEqualTo(file.getValue());
    }
  }

  @Test
  void composeMountsEveryFileAndTheSharedCatalog() throws IOException {
    String compose = Files.readString(ROOT.resolve("docker-compose.yml"));
    for (String name : ComposeTrinoFiles.render(TrinoConfig.USER_DEFAULT).keySet()) {
      assertThat(compose)
          .contains("./docker/trino/" + name + ":" + ComposeTrinoFiles.ETC + "/" + name + ":ro");
    }
    assertThat(compose)
        .contains(
            "./trino/src/main/resources"
                + IcebergCatalogProperties.RESOURCE
                + ":"
                + ComposeTrinoFiles.ETC
                + "/catalog/iceberg.properties:ro");
    for (String variable : IcebergCatalogProperties.ENVIRONMENT_VARIABLES) {
      assertThat(compose).contains(variable + ":");
    }
  }

  @Test
  void auditCatalogIsTheSharedCatalogMadeReadOnly() {
    String audit =
        ComposeTrinoFiles.render(TrinoConfig.USER_DEFAULT).get("catalog/iceberg_audit.properties");
    assertThat(audit)
        .startsWith(IcebergCatalogProperties.template())
        .endsWith("iceberg.security=READ_ONLY\n");
  }
}
