package io.floe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.Optional;

/**
 * The {@code spark} section: where Floe's Spark jobs run.
 *
 * @param master {@code local[N]} runs a job in a child JVM on this machine; {@code spark://},
 *     {@code yarn} or {@code k8s://} submit it to a cluster
 * @param submit how a job reaches a cluster: from a child JVM driver (client) or through {@code
 *     spark-submit} (which needs {@code spark-home})
 * @param sparkHome a Spark distribution, for {@code spark-submit}
 * @param driverMemory the heap of the driver JVM
 * @param executorMemory the memory of each executor on a cluster
 * @param conf further Spark settings, passed through unchanged
 */
public record SparkConfig(
    String master,
    SubmitMode submit,
    Optional<String> sparkHome,
    String driverMemory,
    String executorMemory,
    Map<String, String> conf,
    int jobLogsKept) {
  public static final String MASTER = "master";
  public static final String MASTER_DEFAULT = "local[2]";
  public static final String SUBMIT = "submit";
  public static final SubmitMode SUBMIT_DEFAULT = SubmitMode.CHILD_JVM;
  public static final String SPARK_HOME = "spark-home";
  public static final String DRIVER_MEMORY = "driver-memory";
  public static final String DRIVER_MEMORY_DEFAULT = "1g";
  public static final String EXECUTOR_MEMORY = "executor-memory";
  public static final String EXECUTOR_MEMORY_DEFAULT = "1g";
  public static final String CONF = "conf";
  public static final String JOB_LOGS_KEPT = "job-logs-kept";
  public static final int JOB_LOGS_KEPT_DEFAULT = 20;

  /** How a Spark job is started. */
  public enum SubmitMode {
    /** A child JVM runs the driver; executors are local or on the {@code master} cluster. */
    CHILD_JVM,
    /** {@code $SPARK_HOME/bin/spark-submit} starts the job (YARN, Kubernetes, cluster mode). */
    SPARK_SUBMIT
  }

  public SparkConfig {
    requireNonNull(master, "master is null");
    requireNonNull(submit, "submit is null");
    requireNonNull(sparkHome, "sparkHome is null");
    requireNonNull(driverMemory, "driverMemory is null");
    requireNonNull(executorMemory, "executorMemory is null");
    conf = Map.copyOf(conf);
  }

  public boolean isLocal() {
    return master.startsWith("local");
  }

  static SparkConfig read(ConfigNode node) {
    node.allowOnly(MASTER, SUBMIT, SPARK_HOME, DRIVER_MEMORY, EXECUTOR_MEMORY, CONF, JOB_LOGS_KEPT);
    String master = node.string(MASTER, MASTER_DEFAULT);
    if (!master.matches("local(\\[(\\d+|\\*)])?|spark://.+|yarn|k8s://.+|mesos://.+")) {
      throw node.error(
          node.key(MASTER),
          "'%s' is not a Spark master; allowed forms are local[N], spark://host:port, yarn, k8s://https://host:port"
              .formatted(master));
    }
    SubmitMode submit = node.enumValue(SUBMIT, SubmitMode.class, SUBMIT_DEFAULT);
    Optional<String> sparkHome = node.optionalString(SPARK_HOME);
    if (submit == SubmitMode.SPARK_SUBMIT && sparkHome.isEmpty()) {
      throw node.error(node.key(SPARK_HOME), "required when spark.submit is spark-submit");
    }
    return new SparkConfig(
        master,
        submit,
        sparkHome,
        node.string(DRIVER_MEMORY, DRIVER_MEMORY_DEFAULT),
        node.string(EXECUTOR_MEMORY, EXECUTOR_MEMORY_DEFAULT),
        node.stringMap(CONF),
        node.integer(JOB_LOGS_KEPT, JOB_LOGS_KEPT_DEFAULT, 1, 100_000));
  }
}
