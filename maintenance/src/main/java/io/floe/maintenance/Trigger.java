package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.Optional;

/**
 * When the scheduler runs a table's maintenance: any one condition that holds is enough. Triggers
 * are data, so {@code floe maintain} (one-shot) and the daemon decide the same way.
 *
 * @param interval run when the last successful run is at least this old
 * @param cron a Unix cron expression (5 fields, UTC); run when a scheduled time passed since the
 *     last run
 * @param commits run when at least this many snapshots were committed since the last run (0 = off)
 * @param smallFiles run when main has at least this many small data files (0 = off)
 */
public record Trigger(
    Optional<Duration> interval, Optional<String> cron, int commits, int smallFiles) {
  public Trigger {
    requireNonNull(interval, "interval is null");
    requireNonNull(cron, "cron is null");
    if (commits < 0 || smallFiles < 0) {
      throw new IllegalArgumentException("commits and smallFiles must not be negative");
    }
  }

  /** No condition: the table runs only when asked for explicitly. */
  public static Trigger never() {
    return new Trigger(Optional.empty(), Optional.empty(), 0, 0);
  }

  public boolean isNever() {
    return interval.isEmpty() && cron.isEmpty() && commits == 0 && smallFiles == 0;
  }
}
