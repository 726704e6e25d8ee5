package io.floe.trino;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Whether a starting Trino accepts queries: {@code /v1/info} says it has finished starting, then
 * {@code SELECT 1} succeeds. Each check is one cheap attempt; the caller polls.
 */
final class TrinoReadiness {
  private static final Pattern STARTED = Pattern.compile("\"starting\"\\s*:\\s*false");
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);

  private final URI info;
  private final String jdbcUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(REQUEST_TIMEOUT).build();

  TrinoReadiness(int port, String jdbcUrl) {
    this.info = URI.create("http://127.0.0.1:" + port + "/v1/info");
    this.jdbcUrl = jdbcUrl;
  }

  boolean isReady() {
    return hasStarted() && answersQueries();
  }

  private boolean hasStarted() {
    HttpRequest request = HttpRequest.newBuilder(info).timeout(REQUEST_TIMEOUT).GET().build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 && STARTED.matcher(response.body()).find();
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean answersQueries() {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, user());
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery("SELECT 1")) {
      return result.next() && result.getInt(1) == 1;
    } catch (SQLException e) {
      return false;
    }
  }

  static Properties user() {
    Properties properties = new Properties();
    properties.setProperty("user", "floe");
    return properties;
  }
}
