package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.JavaRuntimes;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that refuse to start Trino before any process exists. */
class TrinoServerBuilderTest {
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
                TrinoServer.builder()
                    .installDir(install)
                    .dataDir(dataDir)
                    .javaHome(java17)
                    .start())
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
}
