package io.floe.app;

import static io.floe.core.text.Counts.counted;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import io.floe.core.process.RuntimeLayout;
import io.floe.maintenance.CompactionPlan;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.maintenance.MaintenanceRun;
import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.apache.iceberg.Table;

/**
 * Compaction with Floe's own plan (file groups per partition, from one snapshot) executed by a
 * Spark job, for tables too large for one machine. Spark and plain Iceberg cannot share a
 * classpath, so the plan crosses to the job as a JSON file; the job commits each group validated
 * from the plan's snapshot, as the local executor does.
 */
final class SparkCompaction {
  static final String CATALOG = "floe";
  static final String JOB_MODULE = "floe-maintenance-spark";
  static final String JOB_CLASS = "io.floe.maintenance.spark.PlannedCompactionJob";

  private SparkCompaction() {}

  /**
   * Who compacts for {@code floe maintain}: a Spark job for tables whose policy says {@code
   * compaction-executor: spark}, this JVM otherwise.
   */
  static MaintenanceRun.Compactor compactor(FloeConfig config) {
    return compactor(() -> StackAccess.running(config), () -> launcher(config));
  }

  /** As {@link #compactor(FloeConfig)}, with the lakehouse and Spark given. */
  static MaintenanceRun.Compactor compactor(
      Supplier<StackEndpoints> endpoints, Supplier<SparkJobLauncher> launcher) {
    return (table, policy) ->
        policy.compactionExecutor() == MaintenancePolicy.CompactionExecutor.SPARK
            ? compact(plan(table, policy), policy, endpoints.get(), launcher.get()).summary()
            : MaintenanceRun.compactLocally(table, policy);
  }

  /** The job launcher for the configured Spark (local child JVM or a cluster). */
  static SparkJobLauncher launcher(FloeConfig config) {
    return new SparkJobLauncher(
        config.spark(),
        RuntimeLayout.discover(),
        config.home().toAbsolutePath().resolve("logs").resolve("jobs"));
  }

  /**
   * What a Spark job did with a plan: the groups it committed, and those that conflicted with a
   * concurrent commit (planned again by the next run).
   */
  record Outcome(
      CompactionPlan plan,
      long committedGroups,
      long rewrittenFiles,
      long addedFiles,
      long droppedDeleteFiles,
      long conflictedGroups) {
    @JsonProperty
    String table() {
      return plan.table();
    }

    @JsonProperty
    String executor() {
      return "spark";
    }

    String summary() {
      if (plan.groups().isEmpty()) {
        return "0 file groups from snapshot %d, nothing for Spark to do"
            .formatted(plan.startSnapshotId());
      }
      return ("%s from snapshot %d rewritten by a Spark job: committed %d, %s"
              + " -> %d, %s dropped, %s conflicted (planned again next run)")
          .formatted(
              counted(plan.groups().size(), "file group"),
              plan.startSnapshotId(),
              committedGroups,
              counted(rewrittenFiles, "file"),
              addedFiles,
              counted(droppedDeleteFiles, "delete file"),
              counted(conflictedGroups, "group"));
    }
  }

  /** Runs a plan made at the table's current snapshot in a Spark job. */
  static Outcome compact(
      CompactionPlan plan,
      MaintenancePolicy policy,
      StackEndpoints endpoints,
      SparkJobLauncher launcher) {
    if (plan.groups().isEmpty()) {
      return new Outcome(plan, 0, 0, 0, 0, 0);
    }
    SparkJobResult job = execute(plan, policy, endpoints, launcher);
    return new Outcome(
        plan,
        job.longValue("committed-groups"),
        job.longValue("rewritten-files"),
        job.longValue("added-files"),
        job.longValue("dropped-delete-files"),
        job.longValue("conflicted-groups"));
  }

  /** Plans at the table's current snapshot. */
  static CompactionPlan plan(Table table, MaintenancePolicy policy) {
    return Maintenance.compact(table).policy(policy).dryRun().execute().plan();
  }

  /** Runs the plan in a Spark job; the summary says how many groups committed or conflicted. */
  static SparkJobResult execute(
      CompactionPlan plan,
      MaintenancePolicy policy,
      StackEndpoints endpoints,
      SparkJobLauncher launcher) {
    Path file;
    try {
      file = Files.createTempFile("floe-compaction-plan-", ".json");
      Files.writeString(file, plan.toJson());
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR, "cannot write the compaction plan: " + e.getMessage(), e);
    }
    try {
      return launcher.run(
          new SparkJobSpec(
              JOB_MODULE,
              JOB_CLASS,
              List.of(
                  "--plan",
                  file.toString(),
                  "--target-size",
                  Long.toString(policy.targetFileSize()))),
          endpoints.sparkCatalogConf(CATALOG));
    } finally {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temporary file left behind holds only paths
      }
    }
  }
}
