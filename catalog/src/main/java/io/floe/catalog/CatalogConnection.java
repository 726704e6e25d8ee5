package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.auth.OAuth2Properties;

/**
 * How to reach an Iceberg REST catalog: Floe's embedded one or any other (Polaris, Nessie,
 * Lakekeeper, Gravitino, Glue/S3 Tables REST endpoints).
 *
 * <p>Authentication is either a bearer {@code token} or an OAuth2 client {@code credential} ({@code
 * id:secret}) exchanged at {@code oauth2ServerUri}, never both. {@code properties} are passed to
 * the client as they are (for example {@code s3.endpoint}, {@code scope}, {@code header.*}); the
 * named fields take precedence over keys of the same name in them.
 *
 * @param uri the catalog's base URI, e.g. {@code http://127.0.0.1:8181}
 * @param warehouse the warehouse location or name; empty to let the catalog choose
 */
public record CatalogConnection(
    String uri,
    Optional<String> token,
    Optional<String> credential,
    Optional<String> oauth2ServerUri,
    String warehouse,
    Map<String, String> properties) {

  public CatalogConnection {
    requireNonNull(uri, "uri is null");
    requireNonNull(token, "token is null");
    requireNonNull(credential, "credential is null");
    requireNonNull(oauth2ServerUri, "oauth2ServerUri is null");
    requireNonNull(warehouse, "warehouse is null");
    properties = Map.copyOf(requireNonNull(properties, "properties is null"));
    if (uri.isBlank()) {
      throw new IllegalArgumentException("catalog uri is empty");
    }
    if (token.isPresent() && credential.isPresent()) {
      throw new IllegalArgumentException(
          "catalog %s: set either a token or an OAuth2 credential, not both".formatted(uri));
    }
    if (oauth2ServerUri.isPresent() && credential.isEmpty()) {
      throw new IllegalArgumentException(
          "catalog %s: an OAuth2 server URI needs an OAuth2 credential".formatted(uri));
    }
  }

  /** A connection without authentication or extra properties. */
  public static CatalogConnection of(String uri, String warehouse) {
    return new CatalogConnection(
        uri, Optional.empty(), Optional.empty(), Optional.empty(), warehouse, Map.of());
  }

  /** This connection authenticated with the bearer {@code token} instead. */
  public CatalogConnection withToken(String token) {
    return new CatalogConnection(
        uri, Optional.of(token), Optional.empty(), Optional.empty(), warehouse, properties);
  }

  /**
   * Connects a new Iceberg REST client named {@code name}; the caller closes it.
   *
   * @throws FloeException {@link ErrorCode#AUTHENTICATION_FAILED} when the catalog rejects the
   *     token or credential, {@link ErrorCode#SERVICE_UNREACHABLE} when nothing answers at {@link
   *     #uri}, {@link ErrorCode#SERVICE_FAILED} when the catalog answers with another error
   */
  public RESTCatalog open(String name) {
    requireNonNull(name, "name is null");
    RESTCatalog catalog = new RESTCatalog();
    try {
      catalog.initialize(name, clientProperties());
      return catalog;
    } catch (RuntimeException e) {
      FloeException failure = explain(e);
      closeAfterFailure(catalog, failure);
      throw failure;
    }
  }

  /** The properties {@link #open} initializes the client with. */
  Map<String, String> clientProperties() {
    Map<String, String> merged = new HashMap<>();
    // Metrics reports would go to an endpoint many catalogs lack and add noise when clients close.
    merged.put(RESTCatalogProperties.METRICS_REPORTING_ENABLED, "false");
    merged.putAll(properties);
    merged.put(CatalogProperties.URI, uri);
    if (!warehouse.isBlank()) {
      merged.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    }
    token.ifPresent(value -> merged.put(OAuth2Properties.TOKEN, value));
    credential.ifPresent(value -> merged.put(OAuth2Properties.CREDENTIAL, value));
    oauth2ServerUri.ifPresent(value -> merged.put(OAuth2Properties.OAUTH2_SERVER_URI, value));
    return merged;
  }

  private FloeException explain(RuntimeException e) {
    String secret = credential.isPresent() ? "OAuth2 credential" : "token";
    if (e instanceof NotAuthorizedException) {
      String what =
          token.isEmpty() && credential.isEmpty()
              ? "requires authentication; set a token or an OAuth2 credential"
              : "rejected the " + secret;
      return new FloeException(
          ErrorCode.AUTHENTICATION_FAILED, "Iceberg REST catalog at %s %s".formatted(uri, what), e);
    }
    if (e instanceof ForbiddenException) {
      return new FloeException(
          ErrorCode.AUTHENTICATION_FAILED,
          "Iceberg REST catalog at %s accepted the %s but denies it access".formatted(uri, secret),
          e);
    }
    if (hasIoCause(e)) {
      return new FloeException(
          ErrorCode.SERVICE_UNREACHABLE,
          "Iceberg REST catalog at %s is unreachable: %s".formatted(uri, rootMessage(e)),
          e);
    }
    return new FloeException(
        ErrorCode.SERVICE_FAILED,
        "Iceberg REST catalog at %s failed: %s".formatted(uri, e.getMessage()),
        e);
  }

  private static boolean hasIoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof IOException) {
        return true;
      }
    }
    return false;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null) {
      root = root.getCause();
    }
    return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
  }

  private static void closeAfterFailure(RESTCatalog catalog, FloeException failure) {
    try {
      catalog.close();
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /** Hides the token and credential, which must not reach logs. */
  @Override
  public String toString() {
    return ("CatalogConnection[uri=%s, token=%s, credential=%s, oauth2ServerUri=%s,"
            + " warehouse=%s, properties=%s]")
        .formatted(
            uri,
            token.map(t -> "***").orElse("none"),
            credential.map(c -> "***").orElse("none"),
            oauth2ServerUri.orElse("none"),
            warehouse,
            properties.keySet());
  }
}
