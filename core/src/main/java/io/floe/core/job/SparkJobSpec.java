package io.floe.core.job;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A Spark job to launch: the module that holds it (its artifactId), its main class and its
 * arguments.
 */
public record SparkJobSpec(String module, String mainClass, List<String> arguments) {
  public SparkJobSpec {
    requireNonNull(module, "module is null");
    requireNonNull(mainClass, "mainClass is null");
    arguments = List.copyOf(arguments);
  }

  /** The job's short name, for logs and messages. */
  public String name() {
    return mainClass.substring(mainClass.lastIndexOf('.') + 1);
  }
}
