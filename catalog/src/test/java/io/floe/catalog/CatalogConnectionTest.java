package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.rest.RestCatalogServer;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.Ports;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogConnectionTest {
  private static final String TOKEN = "s3cret-token";
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;
  private RestCatalogServer server;

  @BeforeEach
  void start() {
    server =
        RestCatalogServer.builder()
            .warehouse("memory://" + dir + "/warehouse")
            .jdbcUri("jdbc:sqlite:" + dir.resolve("catalog.db"))
            .token(TOKEN)
            .catalogProperties(
                Map.of(CatalogProperties.FILE_IO_IMPL, InMemoryFileIO.class.getName()))
            .clientDefaults(Map.of(CatalogProperties.FILE_IO_IMPL, InMemoryFileIO.class.getName()))
            .start();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void correctTokenConnects() throws Exception {
    try (RESTCatalog catalog = CatalogConnection.of(server.uri(), "").withToken(TOKEN).open("t")) {
      catalog.createNamespace(Namespace.of("bronze"));
      assertThat(catalog.listNamespaces()).containsExactly(Namespace.of("bronze"));
    }
  }

  @Test
  void wrongTokenIsRejected() {
    assertThatThrownBy(() -> CatalogConnection.of(server.uri(), "").withToken("guess").open("t"))
        .isInstanceOfSatisfying(
            FloeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
        .hasMessageContaining(server.uri())
        .hasMessageContaining("rejected the token")
        .hasMessageNotContaining("\n");
  }

  @Test
  void missingTokenIsRejected() {
    assertThatThrownBy(() -> CatalogConnection.of(server.uri(), "").open("t"))
        .isInstanceOfSatisfying(
            FloeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.AUTHENTICATION_FAILED))
        .hasMessageContaining("requires authentication");
  }

  @Test
  void everyRouteAnswers401WithoutTheToken() throws Exception {
    for (String path : new String[] {"/v1/config", "/v1/namespaces", "/v1/namespaces/x/tables/y"}) {
      HttpResponse<String> anonymous = send(HttpRequest.newBuilder(uri(path)));
      HttpResponse<String> wrong =
          send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer guess"));

      assertThat(anonymous.statusCode()).as(path).isEqualTo(401);
      assertThat(wrong.statusCode()).as(path).isEqualTo(401);
      assertThat(wrong.body()).contains("\"type\":\"NotAuthorizedException\"");
    }
    HttpResponse<String> authorized =
        send(HttpRequest.newBuilder(uri("/v1/config")).header("Authorization", "Bearer " + TOKEN));
    assertThat(authorized.statusCode()).isEqualTo(200);
  }

  @Test
  void unreachableCatalogIsReported() {
    String nowhere = "http://127.0.0.1:" + Ports.anyFree();

    assertThatThrownBy(() -> CatalogConnection.of(nowhere, "").open("t"))
        .isInstanceOfSatisfying(
            FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.SERVICE_UNREACHABLE))
        .hasMessageContaining(nowhere)
        .hasMessageContaining("unreachable");
  }

  @Test
  void rejectsTokenAndCredentialTogether() {
    assertThatThrownBy(
            () ->
                new CatalogConnection(
                    "http://catalog",
                    Optional.of("t"),
                    Optional.of("id:secret"),
                    Optional.empty(),
                    "",
                    Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not both");
  }

  @Test
  void passesCredentialAndHidesSecrets() {
    CatalogConnection connection =
        new CatalogConnection(
            "http://catalog",
            Optional.empty(),
            Optional.of("id:secret"),
            Optional.of("http://idp/token"),
            "lake",
            Map.of("scope", "PRINCIPAL_ROLE:ALL", "uri", "http://ignored"));

    assertThat(connection.clientProperties())
        .containsEntry("uri", "http://catalog")
        .containsEntry("warehouse", "lake")
        .containsEntry("credential", "id:secret")
        .containsEntry("oauth2-server-uri", "http://idp/token")
        .containsEntry("scope", "PRINCIPAL_ROLE:ALL")
        .containsEntry("rest-metrics-reporting-enabled", "false")
        .doesNotContainKey("token");
    assertThat(connection.toString()).doesNotContain("secret");
  }

  private URI uri(String path) {
    return URI.create(server.uri() + path);
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
    return HTTP.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
