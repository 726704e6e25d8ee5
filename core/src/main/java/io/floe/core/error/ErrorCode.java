package io.floe.core.error;

/** Every error Floe reports, each with the category that says who must act on it. */
public enum ErrorCode {
  INVALID_CONFIG(ErrorCategory.USER),
  INVALID_ARGUMENT(ErrorCategory.USER),
  PORT_IN_USE(ErrorCategory.USER),
  MISSING_PREREQUISITE(ErrorCategory.USER),
  NOT_INSTALLED(ErrorCategory.USER),
  STACK_NOT_RUNNING(ErrorCategory.USER),
  /** A table's data file Floe cannot read faithfully (say, columns it cannot match to fields). */
  UNREADABLE_DATA_FILE(ErrorCategory.USER),
  AUTHENTICATION_FAILED(ErrorCategory.EXTERNAL),
  SERVICE_FAILED(ErrorCategory.EXTERNAL),
  SERVICE_UNREACHABLE(ErrorCategory.EXTERNAL),
  JOB_FAILED(ErrorCategory.EXTERNAL),
  INTERNAL_ERROR(ErrorCategory.INTERNAL);

  private final ErrorCategory category;

  ErrorCode(ErrorCategory category) {
    this.category = category;
  }

  public ErrorCategory category() {
    return category;
  }
}
