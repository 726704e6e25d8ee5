package io.floe.quality;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Posts a failed verdict to a Slack-compatible incoming webhook: {@code {"text": "..."}}. */
final class Webhook {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Webhook() {}

  static void post(String url, Verdict verdict) {
    String text =
        ":x: Floe quality gate FAILED for %s at snapshot %d%s: %s%s"
            .formatted(
                verdict.table(),
                verdict.snapshotId(),
                verdict.ref().map(r -> " (" + r + ")").orElse(""),
                Reports.failures(verdict),
                verdict.report().map(r -> " (report: " + r + ")").orElse(""));
    try {
      String body = JSON.writeValueAsString(Map.of("text", text));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(10))
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body))
              .build();
      HttpResponse<String> response =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(5))
              .build()
              .send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            "webhook answered %d: %s".formatted(response.statusCode(), response.body()));
      }
    } catch (IOException e) {
      throw new IllegalStateException("webhook " + url + " unreachable: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted posting to webhook", e);
    }
  }
}
