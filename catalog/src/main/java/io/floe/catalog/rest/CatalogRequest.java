package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * One parsed HTTP request to the catalog.
 *
 * @param route the operation the method and path select
 * @param path the variables of the path
 * @param query the decoded query parameters; the first value wins when a name repeats
 * @param body the raw request body, empty when there is none
 */
record CatalogRequest(Route route, PathVariables path, Map<String, String> query, byte[] body) {
  CatalogRequest {
    requireNonNull(route, "route is null");
    requireNonNull(path, "path is null");
    query = Map.copyOf(requireNonNull(query, "query is null"));
    requireNonNull(body, "body is null");
  }

  /** The query parameter {@code name}, if present. */
  Optional<String> queryParameter(String name) {
    return Optional.ofNullable(query.get(name));
  }
}
