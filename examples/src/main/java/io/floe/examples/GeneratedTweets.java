package io.floe.examples;

import static java.util.Objects.requireNonNull;

/**
 * A generated tweets TSV: its data lines (without the header), how many of them are malformed
 * (wrong column count or bad values, for the quarantine), its size and SHA-256.
 */
public record GeneratedTweets(long lines, long malformed, long bytes, String sha256) {
  public GeneratedTweets {
    requireNonNull(sha256, "sha256 is null");
  }

  public long valid() {
    return lines - malformed;
  }
}
