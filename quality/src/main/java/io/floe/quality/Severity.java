package io.floe.quality;

/** What a failing check does to the verdict. */
public enum Severity {
  /** A failure (or error) blocks publishing. */
  ERROR,
  /** A failure is reported but does not block publishing. */
  WARN;

  /** As a suite writes it: {@code error} or {@code warn}. */
  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
