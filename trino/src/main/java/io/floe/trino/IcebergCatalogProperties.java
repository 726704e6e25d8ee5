package io.floe.trino;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Floe's Iceberg catalog file for Trino, {@value #RESOURCE}: the single source of truth shared by
 * the embedded server and docker-compose.
 *
 * <p>The file refers to the catalog and object store only through Trino's {@code ${ENV:NAME}}
 * substitution, so it is installed verbatim and the values travel in the Trino process environment.
 * Every variable named by {@link #ENVIRONMENT_VARIABLES} must be set (possibly to an empty string)
 * in that environment, or Trino refuses to load the catalog.
 */
public final class IcebergCatalogProperties {
  /** The name of the catalog in SQL: {@code iceberg.<schema>.<table>}. */
  public static final String CATALOG_NAME = "iceberg";

  /** The class-path resource holding the template. */
  public static final String RESOURCE = "/io/floe/trino/catalog/iceberg.properties";

  /** The REST catalog's base URI, for example {@code http://127.0.0.1:8181}. */
  public static final String CATALOG_URI = "FLOE_CATALOG_URI";

  /** The bearer token sent to the REST catalog. */
  public static final String CATALOG_TOKEN = "FLOE_CATALOG_TOKEN";

  /** The warehouse the REST catalog serves, for example {@code s3://warehouse/}. */
  public static final String WAREHOUSE = "FLOE_WAREHOUSE";

  public static final String S3_ENDPOINT = "FLOE_S3_ENDPOINT";
  public static final String S3_ACCESS_KEY = "FLOE_S3_ACCESS_KEY";
  public static final String S3_SECRET_KEY = "FLOE_S3_SECRET_KEY";
  public static final String S3_REGION = "FLOE_S3_REGION";

  /** Every environment variable the template refers to. */
  public static final List<String> ENVIRONMENT_VARIABLES =
      List.of(
          CATALOG_URI,
          CATALOG_TOKEN,
          WAREHOUSE,
          S3_ENDPOINT,
          S3_ACCESS_KEY,
          S3_SECRET_KEY,
          S3_REGION);

  private IcebergCatalogProperties() {}

  /** The template exactly as shipped, with its {@code ${ENV:...}} placeholders. */
  public static String template() {
    try (InputStream in = IcebergCatalogProperties.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new FloeException(
            ErrorCode.INTERNAL_ERROR, "resource " + RESOURCE + " is missing from floe-trino");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot read " + RESOURCE + ": " + e, e);
    }
  }

  /** Set on read-only catalogs: the connector itself refuses writes and table procedures. */
  static final String SECURITY = "iceberg.security";

  /**
   * The read-only variant of the catalog, as auditors get it: {@link #withOverrides} plus security.
   */
  static String readOnly(Map<String, String> overrides) {
    Map<String, String> readOnly = new LinkedHashMap<>(overrides);
    readOnly.put(SECURITY, "READ_ONLY");
    return withOverrides(readOnly);
  }

  /**
   * The template with {@code overrides} applied: a key already in the template gets the new value
   * in place, other keys are appended in the order given. Placeholders stay unresolved.
   */
  static String withOverrides(Map<String, String> overrides) {
    Map<String, String> pending = new LinkedHashMap<>(overrides);
    List<String> lines = new ArrayList<>();
    for (String line : template().lines().toList()) {
      int equals = line.indexOf('=');
      String key = line.startsWith("#") || equals < 0 ? null : line.substring(0, equals).trim();
      if (key != null && pending.containsKey(key)) {
        lines.add(key + "=" + pending.remove(key));
      } else {
        lines.add(line);
      }
    }
    pending.forEach((key, value) -> lines.add(key + "=" + value));
    return String.join("\n", lines) + "\n";
  }
}
