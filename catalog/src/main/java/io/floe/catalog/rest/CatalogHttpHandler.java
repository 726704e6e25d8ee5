package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.rest.responses.ErrorResponse;
import org.apache.iceberg.rest.responses.ErrorResponseParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns HTTP exchanges into {@link CatalogRequest}s and their outcomes into HTTP responses:
 * authentication, routing, error mapping and serialization, around {@link CatalogOperations}.
 */
final class CatalogHttpHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(CatalogHttpHandler.class);
  private static final String JSON = "application/json";
  private static final int NO_BODY = -1;

  private final BearerTokenCheck tokenCheck;
  private final CatalogOperations operations;
  private final RestJson json;
  private final AtomicLong requests = new AtomicLong();

  CatalogHttpHandler(BearerTokenCheck tokenCheck, CatalogOperations operations, RestJson json) {
    this.tokenCheck = requireNonNull(tokenCheck, "tokenCheck is null");
    this.operations = requireNonNull(operations, "operations is null");
    this.json = requireNonNull(json, "json is null");
  }

  /** How many requests this handler has received. */
  long requestCount() {
    return requests.get();
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    try (exchange) {
      serve(exchange);
    } catch (IOException e) {
      // the client closed the connection; nobody is left to answer
      LOG.debug("cannot answer {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String rawPath = exchange.getRequestURI().getRawPath();
    if (!tokenCheck.accepts(
        Optional.ofNullable(exchange.getRequestHeaders().getFirst("Authorization")))) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer");
      sendError(exchange, error(401, "NotAuthorizedException", "Missing or invalid bearer token"));
      return;
    }

    List<String> segments = segments(rawPath);
    List<Route> pathMatches = new ArrayList<>();
    for (Route route : Route.values()) {
      Optional<PathVariables> variables = route.match(segments);
      if (variables.isEmpty()) {
        continue;
      }
      if (route.method().equals(method)) {
        answer(exchange, route, variables.get());
        return;
      }
      pathMatches.add(route);
    }

    if (pathMatches.isEmpty()) {
      sendError(
          exchange,
          error(404, "NotFoundException", "No route for %s %s".formatted(method, rawPath)));
    } else {
      exchange
          .getResponseHeaders()
          .add("Allow", String.join(", ", pathMatches.stream().map(Route::method).toList()));
      sendError(
          exchange,
          error(405, "MethodNotAllowed", "Method %s not allowed on %s".formatted(method, rawPath)));
    }
  }

  private void answer(HttpExchange exchange, Route route, PathVariables variables)
      throws IOException {
    Reply reply;
    try {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      reply =
          operations.perform(
              new CatalogRequest(
                  route, variables, query(exchange.getRequestURI().getRawQuery()), body));
    } catch (RuntimeException e) {
      ErrorResponse error = ErrorMapping.toResponse(e);
      if (ErrorMapping.isServerFault(error)) {
        LOG.error(
            "{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), e);
      } else {
        LOG.debug(
            "{} {} answered {}: {}", route, exchange.getRequestURI(), error.code(), e.toString());
      }
      sendError(exchange, error);
      return;
    }

    if (reply.body().isEmpty() || isHead(exchange)) {
      exchange.sendResponseHeaders(reply.status(), NO_BODY);
      return;
    }
    send(exchange, reply.status(), json.write(reply.body().get()));
  }

  private static ErrorResponse error(int status, String type, String message) {
    return ErrorResponse.builder().responseCode(status).withType(type).withMessage(message).build();
  }

  private static void sendError(HttpExchange exchange, ErrorResponse error) throws IOException {
    if (isHead(exchange)) {
      exchange.sendResponseHeaders(error.code(), NO_BODY);
      return;
    }
    send(
        exchange, error.code(), ErrorResponseParser.toJson(error).getBytes(StandardCharsets.UTF_8));
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", JSON);
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
  }

  private static boolean isHead(HttpExchange exchange) {
    return "HEAD".equals(exchange.getRequestMethod());
  }

  private static List<String> segments(String rawPath) {
    String trimmed = rawPath;
    while (trimmed.startsWith("/")) {
      trimmed = trimmed.substring(1);
    }
    while (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    // keep empty segments so that "a//b" does not match "a/b"
    return List.of(trimmed.split("/", -1));
  }

  private static Map<String, String> query(String rawQuery) {
    Map<String, String> parameters = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      String name = equals < 0 ? pair : pair.substring(0, equals);
      String value = equals < 0 ? "" : pair.substring(equals + 1);
      parameters.putIfAbsent(decode(name), decode(value));
    }
    return parameters;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text, StandardCharsets.UTF_8);
  }
}
