package io.floe.stack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/** Small HTTP checks used as readiness and health probes. */
final class HttpProbe {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private HttpProbe() {}

  /** The status code of GET {@code uri}, or empty when nothing answers. */
  static Optional<Integer> status(String uri, Optional<String> bearerToken) {
    return get(uri, bearerToken).map(HttpResponse::statusCode);
  }

  /** The response to GET {@code uri}, or empty when nothing answers. */
  static Optional<HttpResponse<String>> get(String uri, Optional<String> bearerToken) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(5)).GET();
    bearerToken.ifPresent(token -> request.header("Authorization", "Bearer " + token));
    try {
      return Optional.of(CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString()));
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
