package io.floe.quality;

/** What a failing check does to the verdict. */
public enum Severity {
  /** A failure (or error) blocks publishing. */
  ERROR,
  /** A failure is reported but does not block publishing. */
  WARN
}
