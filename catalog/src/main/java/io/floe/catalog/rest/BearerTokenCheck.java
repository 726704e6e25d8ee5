package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Decides whether a request's {@code Authorization} header carries the server's bearer token. With
 * no token configured every request is accepted.
 */
final class BearerTokenCheck {
  private static final String SCHEME = "Bearer ";

  private final Optional<byte[]> expected;

  BearerTokenCheck(Optional<String> token) {
    this.expected =
        requireNonNull(token, "token is null").map(t -> t.getBytes(StandardCharsets.UTF_8));
  }

  /** Whether a request with this {@code Authorization} header value (absent if none) may pass. */
  boolean accepts(Optional<String> authorization) {
    if (expected.isEmpty()) {
      return true;
    }
    return authorization
        .filter(value -> value.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
        .map(value -> value.substring(SCHEME.length()).strip().getBytes(StandardCharsets.UTF_8))
        // constant-time, so response timing does not reveal how much of a guess was right
        .map(presented -> MessageDigest.isEqual(presented, expected.get()))
        .orElse(false);
  }
}
