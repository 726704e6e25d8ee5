package io.floe.app;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import io.floe.maintenance.CompactionPlan;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
