package io.floe.app;

import static io.floe.app.FloeCommandTest.floe;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.stack.StackEndpoints;
import io.floe.stack.StackState;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code floe up}, {@code status}, {@code down} as a user runs them: a detached supervisor owns the
 * stack, state survives a restart, and no process outlives its parent.
 */
class StackLifecycleTest {
  @TempDir Path dir;

  @Test
  void upStatusDownRestartAndKillLeaveNothingBehind() throws Exception {
    Path config = dir.resolve("floe.yaml");
    Files.writeString(
        config,
        "home: %s\ncatalog: {port: 0}\nstorage: {port: 0}\ntrino: {port: 0, heap: 1G}\n"
            .formatted(dir.resolve("home")));
    Path home = dir.resolve("home");

    FloeCommandTest.Outcome up = floe("--config", config.toString(), "up");
    assertThat(up.exitCode()).as(up.err()).isZero();
    assertThat(up.out())
        .contains("S3 endpoint", "REST catalog", "Trino JDBC", "jdbc:trino://127.0.0.1:");

    FloeCommandTest.Outcome again = floe("--config", config.toString(), "up");
    assertThat(again.exitCode()).isZero();
    assertThat(again.out()).contains("already running");

    FloeCommandTest.Outcome status = floe("--config", config.toString(), "status", "--json");
    assertThat(status.exitCode()).as(status.out()).isZero();
    assertThat(status.out())
        .contains("\"healthy\" : true", "\"name\" : \"trino\"", "\"trinoJdbc\"");

    StackState first = StackState.read(home).orElseThrow();
    try (RESTCatalog catalog = first.endpoints().catalogConnection().open("lifecycle")) {
      catalog.createNamespace(Namespace.of("survives_restart"));
    }

    FloeCommandTest.Outcome down = floe("--config", config.toString(), "down");
    assertThat(down.exitCode()).isZero();
    assertThat(down.out()).contains("stopped");
    assertAllExited(pids(first));
    assertThat(StackState.read(home)).isEmpty();

    assertThat(floe("--config", config.toString(), "up").exitCode()).isZero();
    StackState second = StackState.read(home).orElseThrow();
    try (RESTCatalog catalog = second.endpoints().catalogConnection().open("lifecycle")) {
      assertThat(catalog.namespaceExists(Namespace.of("survives_restart"))).isTrue();
    }

    wrongCatalogTokenIsOneLineAndExitThree(second.endpoints());

    // kill -9 of the supervisor: every service notices its parent is gone and exits
    ProcessHandle.of(second.supervisorPid()).orElseThrow().destroyForcibly();
    assertAllExited(pids(second));
    FloeCommandTest.Outcome after = floe("--config", config.toString(), "status");
    assertThat(after.exitCode()).isEqualTo(3);
  }

  @Test
  void busyPortIsOneLineNamingTheSetting() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Path config = dir.resolve("floe.yaml");
      Files.writeString(
          config,
          "home: %s\nstorage: {port: %d}\ncatalog: {port: 0}\ntrino: {port: 0}\n"
              .formatted(dir.resolve("home"), busy.getLocalPort()));
      FloeCommandTest.Outcome up = floe("--config", config.toString(), "up");
      assertThat(up.exitCode()).isEqualTo(2);
      assertThat(up.err().strip())
          .contains("port " + busy.getLocalPort() + " for S3 server is already in use")
          .contains("storage.port")
          .doesNotContain("\n");
    }
  }

  private void wrongCatalogTokenIsOneLineAndExitThree(StackEndpoints endpoints) throws Exception {
    Path config = dir.resolve("wrong-token.yaml");
    Files.writeString(
        config,
        """
        home: %s
        catalog: {deployment: external, uri: '%s', token: not-the-token}
        storage: {deployment: external, endpoint: '%s', access-key: '%s', secret-key: '%s'}
        trino: {deployment: external, url: '%s'}
        """
            .formatted(
                dir.resolve("client-home"),
                endpoints.catalogUri(),
                endpoints.s3Endpoint(),
                endpoints.s3AccessKey(),
                endpoints.s3SecretKey(),
                endpoints.trinoJdbcUrl()));
    FloeCommandTest.Outcome run = floe("--config", config.toString(), "run");
    assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
    assertThat(run.err().strip())
        .contains(endpoints.catalogUri())
        .containsIgnoringCase("token")
        .doesNotContain("\n");
  }

  private static List<Long> pids(StackState state) {
    List<Long> pids = new java.util.ArrayList<>();
    pids.add(state.supervisorPid());
    state.services().stream().filter(s -> s.pid() > 0).forEach(s -> pids.add(s.pid()));
    assertThat(pids).hasSize(4);
    return pids;
  }

  private static void assertAllExited(List<Long> pids) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    while (Instant.now().isBefore(deadline) && pids.stream().anyMatch(StackLifecycleTest::alive)) {
      Thread.sleep(100);
    }
    assertThat(pids).noneMatch(StackLifecycleTest::alive);
  }

  private static boolean alive(long pid) {
    return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
  }
}
