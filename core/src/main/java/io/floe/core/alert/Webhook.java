package io.floe.core.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Posts a message to a Slack-compatible incoming webhook as {@code {"text": "..."}}: what the
 * quality gate says about a failed verdict and maintenance about a failed table.
 */
public final class Webhook {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Webhook() {}

  /**
   * What to tell the user when {@link #post} failed: the alert is lost, the outcome it was about
   * stands. E.g. {@code the failure alert was not sent: webhook http://... unreachable:
   * ConnectException}.
   */
  public static String notSent(RuntimeException failure) {
    return "the failure alert was not sent: " + failure.getMessage();
  }

  /**
   * @throws IllegalStateException when the webhook is unreachable or answers other than 2xx
   */
  public static void post(String url, String text) {
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
            "webhook %s answered %d: %s".formatted(url, response.statusCode(), response.body()));
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the webhook message", e);
    } catch (IOException e) {
      // the HTTP client's connection failures often carry no message, only their type
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new IllegalStateException("webhook " + url + " unreachable: " + why, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted posting to webhook", e);
    }
  }
}
