package io.floe.maintenance;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Duration;

/**
 * The one check behind every destructive operation's minimum age: refuse a configured age below the
 * floor unless forced, with an error naming the setting to raise.
 */
final class SafetyFloor {
  private SafetyFloor() {}

  /**
   * @param setting where the age is set, e.g. {@code maintenance.snapshot-max-age}
   * @param operation what refuses, e.g. {@code expiry}
   * @param why why younger files or snapshots must stay
   */
  static void require(
      String table,
      String setting,
      Duration configured,
      Duration floor,
      String operation,
      String why,
      boolean force) {
    if (!force && configured.compareTo(floor) < 0) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s: %s is %s; %s refuses less than %s (%s); raise it or pass --force"
              .formatted(table, setting, configured, operation, floor, why));
    }
  }
}
