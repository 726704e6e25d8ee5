package io.floe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code catalog} section: which Iceberg REST catalog holds Floe's tables.
 *
 * @param deployment embedded (Floe's own REST server) or external (any REST catalog)
 * @param uri the REST endpoint of an external catalog
 * @param token a bearer token for the catalog; the embedded one generates its own when absent
 * @param credential an OAuth2 client credential {@code id:secret}, for catalogs that issue tokens
 * @param oauth2ServerUri where to exchange the credential, when not the catalog's own endpoint
 * @param warehouse the warehouse location or name passed to the catalog
 * @param port the port of the embedded catalog server (0 picks a free one)
 * @param jdbcUri where the embedded catalog keeps its state; a SQLite file in the home by default
 * @param properties further catalog client properties, passed through unchanged
 */
public record CatalogConfig(
    Deployment deployment,
    Optional<String> uri,
    Optional<String> token,
    Optional<String> credential,
    Optional<String> oauth2ServerUri,
    String warehouse,
    int port,
    Optional<String> jdbcUri,
    Optional<String> jdbcUser,
    Optional<String> jdbcPassword,
    Map<String, String> properties) {
  public static final String DEPLOYMENT = "deployment";
  public static final Deployment DEPLOYMENT_DEFAULT = Deployment.EMBEDDED;
  public static final String URI = "uri";
  public static final String TOKEN = "token";
  public static final String CREDENTIAL = "credential";
  public static final String OAUTH2_SERVER_URI = "oauth2-server-uri";
  public static final String WAREHOUSE = "warehouse";
  public static final String WAREHOUSE_DEFAULT = "s3://warehouse/";
  public static final String PORT = "port";
  public static final int PORT_DEFAULT = 8181;
  public static final String JDBC_URI = "jdbc-uri";
  public static final String JDBC_USER = "jdbc-user";
  public static final String JDBC_PASSWORD = "jdbc-password";
  public static final String PROPERTIES = "properties";

  public CatalogConfig {
    requireNonNull(deployment, "deployment is null");
    requireNonNull(uri, "uri is null");
    requireNonNull(token, "token is null");
    requireNonNull(credential, "credential is null");
    requireNonNull(oauth2ServerUri, "oauth2ServerUri is null");
    requireNonNull(warehouse, "warehouse is null");
    requireNonNull(jdbcUri, "jdbcUri is null");
    requireNonNull(jdbcUser, "jdbcUser is null");
    requireNonNull(jdbcPassword, "jdbcPassword is null");
    properties = Map.copyOf(properties);
  }

  static CatalogConfig read(ConfigNode node) {
    node.allowOnly(
        DEPLOYMENT,
        URI,
        TOKEN,
        CREDENTIAL,
        OAUTH2_SERVER_URI,
        WAREHOUSE,
        PORT,
        JDBC_URI,
        JDBC_USER,
        JDBC_PASSWORD,
        PROPERTIES);
    Deployment deployment = node.enumValue(DEPLOYMENT, Deployment.class, DEPLOYMENT_DEFAULT);
    Optional<String> uri = node.optionalString(URI);
    if (deployment == Deployment.EXTERNAL && uri.isEmpty()) {
      throw node.error(node.key(URI), "required when catalog.deployment is external");
    }
    return new CatalogConfig(
        deployment,
        uri,
        node.optionalString(TOKEN),
        node.optionalString(CREDENTIAL),
        node.optionalString(OAUTH2_SERVER_URI),
        node.string(WAREHOUSE, WAREHOUSE_DEFAULT),
        node.integer(PORT, PORT_DEFAULT, 0, 65535),
        node.optionalString(JDBC_URI),
        node.optionalString(JDBC_USER),
        node.optionalString(JDBC_PASSWORD),
        node.stringMap(PROPERTIES));
  }
}
