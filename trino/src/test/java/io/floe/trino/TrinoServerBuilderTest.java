package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.JavaRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that refuse to start Trino before any process exists. */
class TrinoServerBuilderTest {
  private static final FloeException EXITED =
      new FloeException(ErrorCode.SERVICE_FAILED, "Trino exited with code 100");

  /** The lines of Trino 476's log that tell a port was taken (from a real failed start). */
  private static final String TRINO_BIND_FAILURE =
      """
      2026-11-24T09:11:57.865Z\tERROR\tmain\tio.trino.server.Server\tUnable to create injector, see the following errors:

      2) [Guice/ErrorInjectingConstructor]: UncheckedIOException: Failed to bind to /127.0.0.1:8080
        at io.airlift.http.server.HttpServerModule.configure(HttpServerModule.java:62)
      Caused by: UncheckedIOException: Failed to bind to /127.0.0.1:8080
      Caused by: BindException: Address already in use
      \tat java.base/sun.nio.ch.Net.bind0(Native Method)
      """;

  @TempDir Path dataDir;

  @Test
  void refusesADirectoryThatIsNotATrinoInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> TrinoServer.builder().installDir(empty).dataDir(dataDir).start())
        .isInstanceOfSatisfying(
            FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_INSTALLED))
        .hasMessageContaining("lib");
  }

  @Test
  void refusesAJavaOlderThanTrinoNeeds(@TempDir Path install) throws Exception {
    Files.createDirectories(install.resolve("lib"));
    Files.createDirectories(install.resolve("plugin/iceberg"));
    // the JDK running the tests is 17, too old for Trino 476
    Path java17 = JavaRuntimes.current();

    assertThatThrownBy(
            () ->
                TrinoServer.builder().installDir(install).dataDir(dataDir).javaHome(java17).start())
        .isInstanceOfSatisfying(
            FloeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.MISSING_PREREQUISITE))
        .hasMessageContaining("JDK 24");
  }

  @Test
  void startsAtMostOnce(@TempDir Path empty) {
    TrinoServer.Builder builder = TrinoServer.builder().installDir(empty).dataDir(dataDir);
    assertThatThrownBy(builder::start).isInstanceOf(FloeException.class);

    assertThatThrownBy(builder::start).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void quotesTrinosErrorLineWhenStartFails() {
    List<String> output =
        List.of(
            "2026-01-01T00:00:00.000Z\tINFO\tmain\tBootstrap\tnode.environment floe",
            "2026-01-01T00:00:01.000Z\tERROR\tmain\tio.trino.server.Server\t"
                + "Environment variable is not set: FLOE_CATALOG_URI",
            "java.lang.RuntimeException: Environment variable is not set: FLOE_CATALOG_URI",
            "\tat io.trino.server.Server.start(Server.java:90)");
    FloeException reported = TrinoServer.withTrinoError(EXITED, 8080, output);

    assertThat(reported.code()).isEqualTo(ErrorCode.SERVICE_FAILED);
    assertThat(reported)
        .hasMessageStartingWith("Trino exited with code 100")
        .hasMessageEndingWith("Trino: Environment variable is not set: FLOE_CATALOG_URI")
        .hasCause(EXITED);
  }

  @Test
  void aPortTakenBeforeTrinoBindsItIsReportedAsInUse() {
    List<String> output = List.of(TRINO_BIND_FAILURE.split("\n"));
    FloeException reported = TrinoServer.withTrinoError(EXITED, 8080, output);

    assertThat(reported.code()).isEqualTo(ErrorCode.PORT_IN_USE);
    assertThat(reported)
        .hasMessageStartingWith("port 8080 for Trino was taken before Trino could bind it")
        .hasMessageContaining("set trino.port to another port (0 picks a free one)")
        .hasMessageEndingWith("Trino exited with code 100")
        .hasCause(EXITED);
  }
}
