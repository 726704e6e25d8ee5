package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.PredicateParser;
import io.floe.catalog.TableRef;
import io.floe.core.config.DataSizes;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.maintenance.Compaction;
import io.floe.maintenance.CompactionPlan;
import io.floe.maintenance.CompactionResult;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.MaintenancePolicy;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
  @Mixin PolicyOverrides overrides;
  @Mixin JsonOption json;

  @Parameters(paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(
      names = "--dry-run",
      description = "Print the plan (partitions, file groups, why) and change nothing.")
  boolean dryRun;

  @Option(
      names = "--where",
      paramLabel = "PREDICATE",
      description =
          "Only the partitions that may hold matching rows, on partition columns: e.g."
              + " \"order_ts >= '2026-11-01'\" or \"region in ('eu', 'us')\".")
  String where;

  @Override
  public Integer call() {
    overrides.validate();
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref = MaintenanceAccess.parse(table);
    Optional<Expression> filter =
        Optional.ofNullable(where).map(text -> whereArgument(() -> PredicateParser.parse(text)));
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      Table loaded = access.load(ref);
      MaintenancePolicy policy = overrides.apply(access.policy(loaded));
      Compaction compaction = Maintenance.compact(loaded).policy(policy);
      filter.ifPresent(f -> whereArgument(() -> compaction.filter(f)));
      if (!dryRun && policy.compactionExecutor() == MaintenancePolicy.CompactionExecutor.SPARK) {
        return onSpark(out, ref, compaction.dryRun().execute().plan(), policy);
      }
      if (dryRun) {
        compaction.dryRun();
      }
      CompactionResult result = compaction.execute();
      int exitCode = result.failures().isEmpty() ? Floe.EXIT_OK : Floe.EXIT_CHECK_FAILED;
      if (json.print(out, result)) {
        return exitCode;
      }
      CompactionPlan plan = result.plan();
      if (plan.groups().isEmpty()) {
        out.printf("%s: %s%n", scope(ref), nothingToCompact(plan, policy));
        return exitCode;
      }
      out.printf(
          "%s: %s from snapshot %d%n",
          scope(ref), counted(plan.groups().size(), "file group"), plan.startSnapshotId());
      for (CompactionPlan.Group group : plan.groups()) {
        out.printf(
            "  %-40s %5d files %10s %12s rows  %s%n",
            group.partition(),
            group.files(),
            DataSizes.describe(group.bytes()),
            "%,d".formatted(group.records()),
            group.reason());
      }
      if (!dryRun) {
        out.printf(
            "committed %s: %s -> %d, %s dropped, %s replanned after conflicts%n",
            counted(result.committedGroups(), "group"),
            counted(result.rewrittenFiles(), "file"),
            result.addedFiles(),
            counted(result.droppedDeleteFiles(), "delete file"),
            counted(result.retries(), "group"));
        result.failures().forEach(f -> out.println("  failed: " + f));
      }
      return exitCode;
    }
  }

  private int onSpark(
      PrintWriter out, TableRef ref, CompactionPlan plan, MaintenancePolicy policy) {
    FloeConfig config = floe.options.load();
    SparkCompaction.Outcome outcome =
        SparkCompaction.compact(
            plan, policy, StackAccess.running(config), SparkCompaction.launcher(config));
    if (!json.print(out, outcome)) {
      out.printf(
          "%s: %s%n",
          scope(ref), plan.groups().isEmpty() ? nothingToCompact(plan, policy) : outcome.summary());
    }
    return Floe.EXIT_OK;
  }

  private String scope(TableRef ref) {
    return where == null ? ref.toString() : ref + " (partitions where " + where + ")";
  }

  /** Why a plan has no group: what the policy asks of a partition before it is compacted. */
  static String nothingToCompact(CompactionPlan plan, MaintenancePolicy policy) {
    return ("nothing to compact at snapshot %d: no partition has delete files or %d files below"
            + " %s (maintenance.min-input-files; small-file-ratio of target-file-size)")
        .formatted(
            plan.startSnapshotId(),
            policy.minInputFiles(),
            DataSizes.describe(policy.smallFileThreshold()));
  }

  /** Parsing or applying --where; what is wrong with it becomes a usage error naming it. */
  private static <T> T whereArgument(Supplier<T> step) {
    try {
      return step.get();
    } catch (IllegalArgumentException e) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "--where: " + e.getMessage());
    }
  }
}
