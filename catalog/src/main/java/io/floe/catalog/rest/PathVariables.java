package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.BadRequestException;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTUtil;

/**
 * The variables of a matched request path, decoded on demand.
 *
 * <p>Namespace levels arrive joined by the unit separator, percent-encoded as {@code %1F}, which is
 * the separator clients use unless the server's config says otherwise.
 *
 * @param raw variable name (without braces) to its percent-encoded value
 */
record PathVariables(Map<String, String> raw) {
  private static final String NAMESPACE_SEPARATOR =
      RESTCatalogProperties.NAMESPACE_SEPARATOR_DEFAULT;

  PathVariables {
    raw = Map.copyOf(requireNonNull(raw, "raw is null"));
  }

  /** The {@code {namespace}} variable. */
  Namespace namespace() {
    return RESTUtil.decodeNamespaceAsPathSegment(variable("namespace"), NAMESPACE_SEPARATOR);
  }

  /** The table named by the {@code {namespace}} and {@code {table}} variables. */
  TableIdentifier table() {
    return TableIdentifier.of(namespace(), RESTUtil.decodePathSegment(variable("table")));
  }

  /** The view named by the {@code {namespace}} and {@code {view}} variables. */
  TableIdentifier view() {
    return TableIdentifier.of(namespace(), RESTUtil.decodePathSegment(variable("view")));
  }

  private String variable(String name) {
    String value = raw.get(name);
    if (value == null) {
      throw new BadRequestException("Missing path variable %s", name);
    }
    return value;
  }
}
