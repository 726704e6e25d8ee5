package io.floe.stack;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.CatalogConnection;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * How to reach every part of a lakehouse, embedded or not: the object store, the REST catalog and
 * Trino, with their credentials. Clients (pure Java, Spark jobs, Trino) are configured from this
 * one value so they always agree.
 */
public record StackEndpoints(
    String s3Endpoint,
    String s3AccessKey,
    String s3SecretKey,
    String s3Region,
    boolean s3PathStyleAccess,
    String warehouse,
    String catalogUri,
    Optional<String> catalogToken,
    Optional<String> catalogCredential,
    Optional<String> catalogOauth2ServerUri,
    Map<String, String> catalogProperties,
    String trinoJdbcUrl,
    String trinoUser,
    Optional<String> trinoPassword,
    String trinoCatalog) {

  public StackEndpoints {
    requireNonNull(s3Endpoint, "s3Endpoint is null");
    requireNonNull(s3AccessKey, "s3AccessKey is null");
    requireNonNull(s3SecretKey, "s3SecretKey is null");
    requireNonNull(s3Region, "s3Region is null");
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(catalogUri, "catalogUri is null");
    requireNonNull(catalogToken, "catalogToken is null");
    requireNonNull(catalogCredential, "catalogCredential is null");
    requireNonNull(catalogOauth2ServerUri, "catalogOauth2ServerUri is null");
    catalogProperties = Map.copyOf(catalogProperties);
    requireNonNull(trinoJdbcUrl, "trinoJdbcUrl is null");
    requireNonNull(trinoUser, "trinoUser is null");
    requireNonNull(trinoPassword, "trinoPassword is null");
    requireNonNull(trinoCatalog, "trinoCatalog is null");
  }

  /**
   * These endpoints with Trino at {@code jdbcUrl}, for a Trino whose port is known once it runs.
   */
  public StackEndpoints withTrinoJdbcUrl(String jdbcUrl) {
    return new StackEndpoints(
        s3Endpoint,
        s3AccessKey,
        s3SecretKey,
        s3Region,
        s3PathStyleAccess,
        warehouse,
        catalogUri,
        catalogToken,
        catalogCredential,
        catalogOauth2ServerUri,
        catalogProperties,
        jdbcUrl,
        trinoUser,
        trinoPassword,
        trinoCatalog);
  }

  /** The S3 client settings Iceberg's S3FileIO understands. */
  public Map<String, String> s3FileIoProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("io-impl", "org.apache.iceberg.aws.s3.S3FileIO");
    if (!s3Endpoint.isEmpty()) {
      properties.put("s3.endpoint", s3Endpoint);
    }
    properties.put("s3.path-style-access", Boolean.toString(s3PathStyleAccess));
    properties.put("s3.access-key-id", s3AccessKey);
    properties.put("s3.secret-access-key", s3SecretKey);
    properties.put("client.region", s3Region);
    return properties;
  }

  /** The connection pure-Java code uses to open the REST catalog. */
  public CatalogConnection catalogConnection() {
    Map<String, String> properties = new LinkedHashMap<>(s3FileIoProperties());
    properties.putAll(catalogProperties);
    return new CatalogConnection(
        catalogUri, catalogToken, catalogCredential, catalogOauth2ServerUri, warehouse, properties);
  }

  /** Spark settings that register the REST catalog as {@code catalogName}, with S3 access. */
  public Map<String, String> sparkCatalogConf(String catalogName) {
    String prefix = "spark.sql.catalog." + catalogName;
    Map<String, String> conf = new LinkedHashMap<>();
    conf.put(
        "spark.sql.extensions",
        "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    conf.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    conf.put(prefix + ".type", "rest");
    conf.put(prefix + ".uri", catalogUri);
    conf.put(prefix + ".warehouse", warehouse);
    conf.put(prefix + ".rest-metrics-reporting-enabled", "false");
    catalogToken.ifPresent(token -> conf.put(prefix + ".token", token));
    catalogCredential.ifPresent(credential -> conf.put(prefix + ".credential", credential));
    catalogOauth2ServerUri.ifPresent(uri -> conf.put(prefix + ".oauth2-server-uri", uri));
    s3FileIoProperties().forEach((key, value) -> conf.put(prefix + "." + key, value));
    catalogProperties.forEach((key, value) -> conf.put(prefix + "." + key, value));
    conf.put("spark.sql.defaultCatalog", catalogName);
    return conf;
  }

  /**
   * The {@code catalog}, {@code storage} and {@code trino} sections of a floe.yaml that point a
   * Floe process at these endpoints as external services, e.g. a {@code ./floe} command run against
   * a running stack; other sections may follow.
   */
  public String externalConfig() {
    return """
        catalog: {deployment: external, uri: %s, warehouse: %s%s}
        storage: {deployment: external, endpoint: %s, access-key: %s, secret-key: %s, region: %s, path-style-access: %s}
        trino: {deployment: external, url: %s, user: %s%s}
        """
        .formatted(
            quoted(catalogUri),
            quoted(warehouse),
            catalogToken.map(token -> ", token: " + quoted(token)).orElse(""),
            quoted(s3Endpoint),
            quoted(s3AccessKey),
            quoted(s3SecretKey),
            quoted(s3Region),
            s3PathStyleAccess,
            quoted(trinoJdbcUrl),
            quoted(trinoUser),
            trinoPassword.map(password -> ", password: " + quoted(password)).orElse(""));
  }

  /** A YAML single-quoted scalar. */
  private static String quoted(String value) {
    return "'" + value.replace("'", "''") + "'";
  }

  /** A new JDBC connection to Trino as {@link #trinoUser()}. */
  public Connection openTrino() throws SQLException {
    return openTrinoAs(trinoUser, trinoPassword);
  }

  /** A new JDBC connection to Trino as another user (for access-control checks). */
  public Connection openTrinoAs(String user, Optional<String> password) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    password.ifPresent(p -> properties.setProperty("password", p));
    return DriverManager.getConnection(trinoJdbcUrl, properties);
  }
}
