package io.floe.core.config;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;

/** A configuration file that cannot be used; the message names the file, the key and the fix. */
public final class ConfigException extends FloeException {
  public ConfigException(String message) {
    super(ErrorCode.INVALID_CONFIG, message);
  }

  public ConfigException(String message, Throwable cause) {
    super(ErrorCode.INVALID_CONFIG, message, cause);
  }
}
