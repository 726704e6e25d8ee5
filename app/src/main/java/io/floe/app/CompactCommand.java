package io.floe.app;

import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.maintenance.Compaction;
import io.floe.maintenance.CompactionPlan;
import io.floe.maintenance.CompactionResult;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.MaintenancePolicy;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "compact",
    description =
        "Bin-pack main's small files (applying and dropping delete files), up to 10 file groups per commit.")
final class CompactCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(
      names = "--dry-run",
      description = "Print the plan (partitions, file groups, why) and change nothing.")
  boolean dryRun;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref = MaintenanceAccess.parse(table);
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      Table loaded = access.load(ref);
      MaintenancePolicy policy = access.policy(loaded);
      if (!dryRun && policy.compactionExecutor() == MaintenancePolicy.CompactionExecutor.SPARK) {
        return onSpark(out, ref, loaded, access, policy);
      }
      Compaction compaction = Maintenance.compact(loaded).policy(policy);
      if (dryRun) {
        compaction.dryRun();
      }
      CompactionResult result = compaction.execute();
      CompactionPlan plan = result.plan();
      out.printf(
          "%s: %d file groups from snapshot %d%n",
          ref, plan.groups().size(), plan.startSnapshotId());
      for (CompactionPlan.Group group : plan.groups()) {
        out.printf(
            "  %-40s %5d files %12d bytes %10d rows  %s%n",
            group.partition(), group.files(), group.bytes(), group.records(), group.reason());
      }
      if (!dryRun) {
        out.printf(
            "committed %d groups: %d files -> %d, %d delete files dropped, %d groups replanned after conflicts%n",
            result.committedGroups(),
            result.rewrittenFiles(),
            result.addedFiles(),
            result.droppedDeleteFiles(),
            result.retries());
        result.failures().forEach(f -> out.println("  failed: " + f));
      }
      return result.failures().isEmpty() ? Floe.EXIT_OK : Floe.EXIT_CHECK_FAILED;
    }
  }

  private int onSpark(
      PrintWriter out,
      TableRef ref,
      Table loaded,
      MaintenanceAccess access,
      MaintenancePolicy policy) {
    FloeConfig config = floe.options.load();
    out.printf(
        "%s: %s%n",
        ref,
        SparkCompaction.compact(
            loaded, policy, StackAccess.running(config), SparkCompaction.launcher(config)));
    return Floe.EXIT_OK;
  }
}
