package io.floe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The {@code trino} section: the Trino that serves Floe's tables and views.
 *
 * @param deployment embedded (Floe starts Trino 476) or external (an existing cluster)
 * @param url the JDBC URL of an external Trino, e.g. {@code jdbc:trino://trino:8443?SSL=true}
 * @param user the user Floe connects as
 * @param password the password, for external clusters with authentication
 * @param port the HTTP port of the embedded Trino (0 picks a free one)
 * @param heap the maximum heap of the embedded Trino, e.g. {@code 2G}
 * @param catalog the name of the Iceberg catalog in Trino
 */
public record TrinoConfig(
    Deployment deployment,
    Optional<String> url,
    String user,
    Optional<String> password,
    int port,
    String heap,
    String catalog) {
  public static final String DEPLOYMENT = "deployment";
  public static final Deployment DEPLOYMENT_DEFAULT = Deployment.EMBEDDED;
  public static final String URL = "url";
  public static final String USER = "user";
  public static final String USER_DEFAULT = "admin";
  public static final String PASSWORD = "password";
  public static final String PORT = "port";
  public static final int PORT_DEFAULT = 8080;
  public static final String HEAP = "heap";
  public static final String HEAP_DEFAULT = "2G";
  public static final String CATALOG = "catalog";
  public static final String CATALOG_DEFAULT = "iceberg";

  public TrinoConfig {
    requireNonNull(deployment, "deployment is null");
    requireNonNull(url, "url is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    requireNonNull(heap, "heap is null");
    requireNonNull(catalog, "catalog is null");
  }

  static TrinoConfig read(ConfigNode node) {
    node.allowOnly(DEPLOYMENT, URL, USER, PASSWORD, PORT, HEAP, CATALOG);
    Deployment deployment = node.enumValue(DEPLOYMENT, Deployment.class, DEPLOYMENT_DEFAULT);
    Optional<String> url = node.optionalString(URL);
    if (deployment == Deployment.EXTERNAL && url.isEmpty()) {
      throw node.error(node.key(URL), "required when trino.deployment is external");
    }
    if (url.isPresent() && !url.get().startsWith("jdbc:trino://")) {
      throw node.error(
          node.key(URL),
          "'%s' is not a Trino JDBC URL (jdbc:trino://host:port)".formatted(url.get()));
    }
    String heap = node.string(HEAP, HEAP_DEFAULT);
    if (!heap.matches("\\d+[MG]")) {
      throw node.error(
          node.key(HEAP),
          "'%s' is not a heap size; use a number with M or G, e.g. 2G".formatted(heap));
    }
    return new TrinoConfig(
        deployment,
        url,
        node.string(USER, USER_DEFAULT),
        node.optionalString(PASSWORD),
        node.integer(PORT, PORT_DEFAULT, 0, 65535),
        heap,
        node.string(CATALOG, CATALOG_DEFAULT));
  }
}
