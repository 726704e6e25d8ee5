package io.floe.catalog.rest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.rest.Endpoint;

/**
 * The HTTP routes the server answers. Paths follow the Iceberg REST specification without the
 * optional {@code {prefix}} segment, which the server does not advertise.
 */
enum Route {
  CONFIG("GET", "/v1/config"),
  LIST_NAMESPACES(Endpoint.V1_LIST_NAMESPACES),
  CREATE_NAMESPACE(Endpoint.V1_CREATE_NAMESPACE),
  LOAD_NAMESPACE(Endpoint.V1_LOAD_NAMESPACE),
  NAMESPACE_EXISTS(Endpoint.V1_NAMESPACE_EXISTS),
  DROP_NAMESPACE(Endpoint.V1_DELETE_NAMESPACE),
  UPDATE_NAMESPACE(Endpoint.V1_UPDATE_NAMESPACE),
  LIST_TABLES(Endpoint.V1_LIST_TABLES),
  CREATE_TABLE(Endpoint.V1_CREATE_TABLE),
  LOAD_TABLE(Endpoint.V1_LOAD_TABLE),
  TABLE_EXISTS(Endpoint.V1_TABLE_EXISTS),
  UPDATE_TABLE(Endpoint.V1_UPDATE_TABLE),
  DROP_TABLE(Endpoint.V1_DELETE_TABLE),
  RENAME_TABLE(Endpoint.V1_RENAME_TABLE),
  REGISTER_TABLE(Endpoint.V1_REGISTER_TABLE),
  // Accepted but not advertised: clients only send metrics to servers that list this endpoint.
  REPORT_METRICS(Endpoint.V1_REPORT_METRICS.httpMethod(), Endpoint.V1_REPORT_METRICS.path()),
  LIST_VIEWS(Endpoint.V1_LIST_VIEWS),
  CREATE_VIEW(Endpoint.V1_CREATE_VIEW),
  LOAD_VIEW(Endpoint.V1_LOAD_VIEW),
  VIEW_EXISTS(Endpoint.V1_VIEW_EXISTS),
  UPDATE_VIEW(Endpoint.V1_UPDATE_VIEW),
  DROP_VIEW(Endpoint.V1_DELETE_VIEW),
  RENAME_VIEW(Endpoint.V1_RENAME_VIEW),
  REGISTER_VIEW(Endpoint.V1_REGISTER_VIEW);

  private static final String PREFIX_SEGMENT = "/{prefix}";

  private final String method;
  private final List<String> segments;
  private final Optional<Endpoint> advertised;

  Route(Endpoint endpoint) {
    this(endpoint.httpMethod(), endpoint.path(), Optional.of(endpoint));
  }

  Route(String method, String path) {
    this(method, path, Optional.empty());
  }

  Route(String method, String path, Optional<Endpoint> advertised) {
    this.method = method;
    this.segments = List.of(path.replace(PREFIX_SEGMENT, "").substring(1).split("/"));
    this.advertised = advertised;
  }

  /** The endpoints {@code GET /v1/config} lists, so clients know what they may call. */
  static List<Endpoint> advertisedEndpoints() {
    List<Endpoint> endpoints = new ArrayList<>();
    for (Route route : values()) {
      route.advertised.ifPresent(endpoints::add);
    }
    return endpoints;
  }

  /** The HTTP method of this route. */
  String method() {
    return method;
  }

  /** The path variables of {@code rawSegments} (still percent-encoded) when it has this shape. */
  Optional<PathVariables> match(List<String> rawSegments) {
    if (rawSegments.size() != segments.size()) {
      return Optional.empty();
    }
    Map<String, String> variables = new HashMap<>();
    for (int i = 0; i < segments.size(); i++) {
      String expected = segments.get(i);
      String actual = rawSegments.get(i);
      if (expected.startsWith("{") && expected.endsWith("}")) {
        if (actual.isEmpty()) {
          return Optional.empty();
        }
        variables.put(expected.substring(1, expected.length() - 1), actual);
      } else if (!expected.equals(actual)) {
        return Optional.empty();
      }
    }
    return Optional.of(new PathVariables(variables));
  }
}
