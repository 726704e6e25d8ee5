package io.floe.stack.junit;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.stack.StackEndpoints;

/**
 * What an integration test gets from {@link LakehouseExtension}: the shared stack's endpoints, a
 * namespace of its own, and a launcher for Spark jobs against the stack.
 */
public record Lakehouse(
    FloeConfig config, StackEndpoints endpoints, String namespace, String objectStore) {
  public Lakehouse {
    requireNonNull(config, "config is null");
    requireNonNull(endpoints, "endpoints is null");
    requireNonNull(namespace, "namespace is null");
    requireNonNull(objectStore, "objectStore is null");
  }

  /** A launcher whose job logs go under the stack's home. */
  public SparkJobLauncher sparkJobs() {
    return new SparkJobLauncher(
        config.spark(), RuntimeLayout.discover(), config.home().resolve("logs").resolve("jobs"));
  }
}
