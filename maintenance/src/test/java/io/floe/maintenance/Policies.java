package io.floe.maintenance;

import io.floe.core.config.ConfigNode;

/** Policies for tests, written as the YAML a user would put under {@code maintenance:}. */
final class Policies {
  private Policies() {}

  static MaintenancePolicy of(String yaml) {
    return MaintenancePolicy.read(
        ConfigNode.parse("test.yaml", yaml, name -> null), MaintenancePolicy.defaults());
  }
}
