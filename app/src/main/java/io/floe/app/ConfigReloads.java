package io.floe.app;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.ConfigException;
import io.floe.core.config.FloeConfig;
import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * The configuration of a long-running command, read again each time it is asked for: an edit to
 * floe.yaml (a policy, a trigger) applies from the next pass without a restart, and an edit that
 * breaks the file is reported on standard error while the last good configuration stays in use.
 */
final class ConfigReloads {
  private final Supplier<FloeConfig> load;
  private final PrintWriter err;
  private FloeConfig current;
  private String lastProblem;

  ConfigReloads(Supplier<FloeConfig> load, FloeConfig initial, PrintWriter err) {
    this.load = requireNonNull(load, "load is null");
    this.current = requireNonNull(initial, "initial is null");
    this.err = requireNonNull(err, "err is null");
  }

  /** The configuration as the file reads now, or the last good one when it no longer parses. */
  synchronized FloeConfig current() {
    try {
      current = load.get();
      if (lastProblem != null) {
        err.printf("floe: the configuration is valid again; using it%n");
        err.flush();
        lastProblem = null;
      }
    } catch (ConfigException e) {
      // said once per distinct problem, not on every pass of a daemon polling each minute
      if (!e.getMessage().equals(lastProblem)) {
        err.printf(
            "floe: warning: %s; keeping the configuration read before until it is fixed%n",
            e.getMessage());
        err.flush();
        lastProblem = e.getMessage();
      }
    }
    return current;
  }
}
