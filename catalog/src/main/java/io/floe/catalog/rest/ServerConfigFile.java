package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import org.apache.iceberg.CatalogProperties;

/**
 * The settings of a {@link RestCatalogServerMain} process, read once from a {@code .properties}
 * file.
 *
 * <p>{@value #PORT}, {@value #WAREHOUSE}, {@value #JDBC_URI}, {@value #JDBC_USER}, {@value
 * #JDBC_PASSWORD} and {@value #TOKEN} configure the server; every other key is a property of the
 * server's catalog, and the FileIO keys among them ({@code s3.*}, {@value #CLIENT_REGION}, {@code
 * io-impl}) are also pushed to clients, so that clients need only the catalog's URI.
 *
 * @param catalogProperties the keys besides the server's own
 * @param clientDefaults the FileIO keys among {@code catalogProperties}
 */
record ServerConfigFile(
    int port,
    String warehouse,
    String jdbcUri,
    Optional<String> jdbcUser,
    Optional<String> jdbcPassword,
    Optional<String> token,
    Map<String, String> catalogProperties,
    Map<String, String> clientDefaults) {

  static final String PORT = "port";
  static final String PORT_DEFAULT = "0";
  static final String WAREHOUSE = "warehouse";
  static final String JDBC_URI = "jdbc.uri";
  static final String JDBC_USER = "jdbc.user";
  static final String JDBC_PASSWORD = "jdbc.password";
  static final String TOKEN = "token";
  static final String CLIENT_REGION = "client.region";
  private static final String S3_PREFIX = "s3.";
  private static final Set<String> SERVER_KEYS =
      Set.of(PORT, WAREHOUSE, JDBC_URI, JDBC_USER, JDBC_PASSWORD, TOKEN);

  ServerConfigFile {
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(jdbcUri, "jdbcUri is null");
    requireNonNull(jdbcUser, "jdbcUser is null");
    requireNonNull(jdbcPassword, "jdbcPassword is null");
    requireNonNull(token, "token is null");
    catalogProperties = Map.copyOf(requireNonNull(catalogProperties, "catalogProperties is null"));
    clientDefaults = Map.copyOf(requireNonNull(clientDefaults, "clientDefaults is null"));
  }

  /**
   * Reads {@code file}.
   *
   * @throws FloeException {@link ErrorCode#INVALID_CONFIG} naming the file and key when a required
   *     key is missing or a value is malformed
   */
  static ServerConfigFile load(Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INVALID_CONFIG,
          "cannot read the REST catalog configuration %s: %s".formatted(file, e.getMessage()),
          e);
    }
    Map<String, String> values = new HashMap<>();
    properties
        .stringPropertyNames()
        .forEach(key -> values.put(key, properties.getProperty(key).strip()));
    return parse(file, values);
  }

  static ServerConfigFile parse(Path file, Map<String, String> values) {
    Map<String, String> catalogProperties = new HashMap<>();
    Map<String, String> clientDefaults = new HashMap<>();
    values.forEach(
        (key, value) -> {
          if (SERVER_KEYS.contains(key)) {
            return;
          }
          catalogProperties.put(key, value);
          if (isForClients(key)) {
            clientDefaults.put(key, value);
          }
        });
    return new ServerConfigFile(
        port(file, values.getOrDefault(PORT, PORT_DEFAULT)),
        required(file, values, WAREHOUSE),
        required(file, values, JDBC_URI),
        optional(values, JDBC_USER),
        optional(values, JDBC_PASSWORD),
        optional(values, TOKEN),
        catalogProperties,
        clientDefaults);
  }

  /** A builder for the server these settings describe. */
  RestCatalogServer.Builder toBuilder() {
    RestCatalogServer.Builder builder =
        RestCatalogServer.builder()
            .port(port)
            .warehouse(warehouse)
            .jdbcUri(jdbcUri)
            .catalogProperties(catalogProperties)
            .clientDefaults(clientDefaults);
    jdbcUser.ifPresent(builder::jdbcUser);
    jdbcPassword.ifPresent(builder::jdbcPassword);
    token.ifPresent(builder::token);
    return builder;
  }

  private static boolean isForClients(String key) {
    return key.startsWith(S3_PREFIX)
        || key.equals(CLIENT_REGION)
        || key.equals(CatalogProperties.FILE_IO_IMPL);
  }

  private static int port(Path file, String value) {
    try {
      int port = Integer.parseInt(value);
      if (port >= 0 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below with the allowed values
    }
    throw new FloeException(
        ErrorCode.INVALID_CONFIG,
        "%s: %s must be a port number 0..65535 (0 picks a free port), got '%s'"
            .formatted(file, PORT, value));
  }

  private static String required(Path file, Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new FloeException(ErrorCode.INVALID_CONFIG, "%s: %s is required".formatted(file, key));
    }
    return value;
  }

  private static Optional<String> optional(Map<String, String> values, String key) {
    return Optional.ofNullable(values.get(key)).filter(value -> !value.isEmpty());
  }
}
