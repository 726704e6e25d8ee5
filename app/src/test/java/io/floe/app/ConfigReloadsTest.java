package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.config.FloeConfig;
import io.floe.maintenance.MaintenancePolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigReloadsTest {
  @TempDir Path dir;

  @Test
  void anEditAppliesAtTheNextReadAndABrokenOneKeepsTheLastGoodConfiguration() throws Exception {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(file, "maintenance:\n  snapshot-max-age: 5d\n");
    GlobalOptions options = new GlobalOptions();
    options.config = file;
    StringWriter err = new StringWriter();
    ConfigReloads reloads = new ConfigReloads(options::load, options.load(), new PrintWriter(err));
    assertThat(maxAge(reloads.current())).isEqualTo(Duration.ofDays(5));

    Files.writeString(file, "maintenance:\n  snapshot-max-age: 2d\n");
    assertThat(maxAge(reloads.current())).isEqualTo(Duration.ofDays(2));
    assertThat(err.toString()).isEmpty();

    // a mistake anywhere in the file, even in a section maintenance does not read
    Files.writeString(
        file,
        "maintenance:\n  snapshot-max-age: 1d\nviews:\n  orders: {sql: 'SELECT 1', colour: red}\n");
    assertThat(maxAge(reloads.current())).isEqualTo(Duration.ofDays(2));
    assertThat(maxAge(reloads.current())).isEqualTo(Duration.ofDays(2));
    assertThat(err.toString())
        .containsOnlyOnce("floe: warning: " + file + ": views.orders.colour: unknown key")
        .contains("keeping the configuration read before until it is fixed");

    Files.writeString(file, "maintenance:\n  snapshot-max-age: 1d\n");
    assertThat(maxAge(reloads.current())).isEqualTo(Duration.ofDays(1));
    assertThat(err.toString()).contains("floe: the configuration is valid again; using it");
  }

  private static Duration maxAge(FloeConfig config) {
    return MaintenancePolicy.read(config).defaults().snapshotMaxAge();
  }
}
