package io.floe.core.error;

import static java.util.Objects.requireNonNull;

/**
 * A failure Floe can explain in one line. The message is what the user sees on the terminal; the
 * cause (with its stack trace) goes to the log only.
 */
public class FloeException extends RuntimeException {
  private final ErrorCode code;

  public FloeException(ErrorCode code, String message) {
    super(requireNonNull(message, "message is null"));
    this.code = requireNonNull(code, "code is null");
  }

  public FloeException(ErrorCode code, String message, Throwable cause) {
    super(requireNonNull(message, "message is null"), cause);
    this.code = requireNonNull(code, "code is null");
  }

  public ErrorCode code() {
    return code;
  }

  public ErrorCategory category() {
    return code.category();
  }

  public int exitCode() {
    return code.category().exitCode();
  }
}
