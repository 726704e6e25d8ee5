package io.floe.app;

import io.floe.core.config.ConfigNode;
import io.floe.maintenance.MaintenancePolicy;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --set KEY=VALUE}: one run's overrides of a table's maintenance policy, written as the keys
 * of a {@code maintenance:} section in {@code floe.yaml} and checked the same way (a safety floor
 * still needs {@code --force}).
 */
final class PolicyOverrides {
  static final String SOURCE = "--set";

  @Option(
      names = "--set",
      paramLabel = "KEY=VALUE",
      description =
          "Override a maintenance policy key for this run, as in floe.yaml (repeatable), e.g."
              + " --set snapshot-max-age=2d --set min-snapshots=10.")
  List<String> assignments = new ArrayList<>();

  /** The table's policy with the overrides on top. */
  MaintenancePolicy apply(MaintenancePolicy policy) {
    if (assignments.isEmpty()) {
      return policy;
    }
    return MaintenancePolicy.read(
        ConfigNode.ofAssignments(SOURCE, assignments, System::getenv), policy);
  }

  /** Reads the overrides once before anything runs, so a bad key or value stops the command. */
  void validate() {
    apply(MaintenancePolicy.defaults());
  }
}
