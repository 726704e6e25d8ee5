package io.floe.trino;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.Ports;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/** One real Trino for the class, with a catalog whose REST service does not exist. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TrinoServerTest {
  private static final String UNREACHABLE = "http://127.0.0.1:1";

  @TempDir static Path dataDir;
  @TempDir static Path otherDataDir;
  private static TrinoServer server;
  // the first free port the server is handed, taken by another listener all through its start
  private static int takenPort;

  @BeforeAll
  static void startServer() throws IOException {
    Path install =
        Path.of(RuntimeLayout.discover().property("floe-trino", "install").orElseThrow());
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      takenPort = taken.getLocalPort();
      Iterator<Integer> freePorts = List.of(takenPort, Ports.anyFree()).iterator();
      server = builder(install).freePorts(freePorts::next).start();
    }
  }

  private static TrinoServer.Builder builder(Path install) {
    return TrinoServer.builder()
        .installDir(install)
        .dataDir(dataDir)
        .catalogEnvironment(
            Map.of(
                IcebergCatalogProperties.CATALOG_URI, UNREACHABLE,
                IcebergCatalogProperties.CATALOG_TOKEN, "test-token",
                IcebergCatalogProperties.WAREHOUSE, "s3://warehouse/",
                IcebergCatalogProperties.S3_ENDPOINT, UNREACHABLE,
                IcebergCatalogProperties.S3_ACCESS_KEY, "access",
                IcebergCatalogProperties.S3_SECRET_KEY, "secret",
                IcebergCatalogProperties.S3_REGION, "us-east-1"))
        .extraCatalogProperties(Map.of("iceberg.expire-snapshots.min-retention", "0s"));
  }

  @AfterAll
  static void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  @Order(1)
  void answersSelectOneOverJdbc() throws SQLException {
    assertThat(query("SELECT 1")).containsExactly("1");
    assertThat(server.jdbcUrl()).isEqualTo("jdbc:trino://127.0.0.1:" + server.httpPort());
  }

  @Test
  @Order(1)
  void onPortZeroTriesAnotherFreePortWhenTheFirstIsTaken() {
    assertThat(server.httpPort()).isPositive().isNotEqualTo(takenPort);
  }

  @Test
  @Order(2)
  void refusesConnectionsOnEveryAddressButLoopback() throws SocketException {
    List<InetAddress> external =
        NetworkInterface.networkInterfaces()
            .flatMap(NetworkInterface::inetAddresses)
            .filter(address -> !address.isLoopbackAddress() && !address.isLinkLocalAddress())
            .toList();
    for (InetAddress address : external) {
      assertThatThrownBy(
              () -> {
                try (Socket socket = new Socket()) {
                  socket.connect(new InetSocketAddress(address, server.httpPort()), 2_000);
                }
              })
          .as("Trino must not answer on %s", address)
          .isInstanceOf(IOException.class);
    }
  }

  @Test
  @Order(2)
  void listsTheIcebergCatalog() throws SQLException {
    assertThat(query("SHOW CATALOGS")).contains(IcebergCatalogProperties.CATALOG_NAME);
  }

  @Test
  @Order(3)
  void installsTheCatalogTemplateWithPlaceholdersUnresolved() throws Exception {
    String installed = Files.readString(dataDir.resolve("etc/catalog/iceberg.properties"));

    assertThat(installed)
        .contains("iceberg.rest-catalog.uri=${ENV:FLOE_CATALOG_URI}")
        .contains("iceberg.rest-catalog.oauth2.token=${ENV:FLOE_CATALOG_TOKEN}")
        .contains("iceberg.expire-snapshots.min-retention=0s")
        .doesNotContain(UNREACHABLE)
        .doesNotContain("test-token");
  }

  @Test
  @Order(4)
  void reportsACatalogThatCannotBeReachedWithoutWaitingForTheTimeout() throws SQLException {
    try (Connection connection = connect()) {
      assertThatThrownBy(
              () ->
                  CatalogReadiness.await(
                      connection, IcebergCatalogProperties.CATALOG_NAME, Duration.ofSeconds(60)))
          .isInstanceOfSatisfying(
              FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_FAILED))
          .hasMessageContaining("does not answer");
    }
  }

  @Test
  @Order(5)
  void refusesASecondServerOnTheSamePort() {
    assertThatThrownBy(
            () ->
                TrinoServer.builder()
                    .installDir(
                        Path.of(
                            RuntimeLayout.discover()
                                .property("floe-trino", "install")
                                .orElseThrow()))
                    .dataDir(otherDataDir)
                    .httpPort(server.httpPort())
                    .start())
        .isInstanceOfSatisfying(
            FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE))
        .hasMessageContaining(TrinoServer.PORT_SETTING);
  }

  @Test
  @Order(6)
  void closeEndsTheProcess() {
    long pid = server.pid();

    server.close();

    assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty();
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(), "floe", null);
  }

  private static List<String> query(String sql) throws SQLException {
    try (Connection connection = connect();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<String> values = new ArrayList<>();
      while (result.next()) {
        values.add(result.getString(1));
      }
      return values;
    }
  }
}
