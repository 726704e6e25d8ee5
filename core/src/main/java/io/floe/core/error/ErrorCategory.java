package io.floe.core.error;

/**
 * Who has to act on an error. The category decides the exit code of the {@code floe} command and
 * whether retrying can help.
 */
public enum ErrorCategory {
  /** The user's input or configuration is wrong; retrying the same thing fails the same way. */
  USER(2),
  /** A service Floe talks to (object store, catalog, Trino, Spark) failed or is unreachable. */
  EXTERNAL(3),
  /** A bug or broken invariant inside Floe. */
  INTERNAL(4);

  private final int exitCode;

  ErrorCategory(int exitCode) {
    this.exitCode = exitCode;
  }

  /** The exit code of the {@code floe} command for an error of this category. */
  public int exitCode() {
    return exitCode;
  }
}
