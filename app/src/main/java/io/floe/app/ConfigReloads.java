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
  private final StandingWarning warning;
  private FloeConfig current;

  ConfigReloads(Supplier<FloeConfig> load, FloeConfig initial, PrintWriter err) {
    this.load = requireNonNull(load, "load is null");
    this.current = requireNonNull(initial, "initial is null");
    this.warning = new StandingWarning(err, "floe: the configuration is valid again; using it");
  }

  /** The configuration as the file reads now, or the last good one when it no longer parses. */
  synchronized FloeConfig current() {
    try {
      current = load.get();
      warning.cleared();
    } catch (ConfigException e) {
      warning.problem(
          "floe: warning: %s; keeping the configuration read before until it is fixed"
              .formatted(e.getMessage()));
    }
    return current;
  }
}
