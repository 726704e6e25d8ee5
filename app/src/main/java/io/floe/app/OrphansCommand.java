package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.TableRef;
import io.floe.core.config.Durations;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.maintenance.OrphanRemoval;
import io.floe.maintenance.OrphanRestore;
import io.floe.maintenance.OrphanResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "orphans",
    description =
        "Move files no snapshot of any ref references (older than maintenance.orphan-min-age) to a quarantine; purge quarantined files after the grace period.",
    subcommands = {OrphansCommand.Restore.class})
final class OrphansCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;
  @Mixin PolicyOverrides overrides;
  @Mixin JsonOption json;

  // optional to the parser so that `floe orphans restore TABLE` parses: a required parameter here
  // would be demanded before the subcommand too; checked in call()
  @Parameters(paramLabel = "TABLE", arity = "0..1", description = "namespace.table")
  String table;

  @Option(
      names = "--dry-run",
      description = "Print every file that would be quarantined or purged; change nothing.")
  boolean dryRun;

  @Option(names = "--force", description = "Allow maintenance.orphan-min-age below 24 hours.")
  boolean force;

  @Override
  public Integer call() {
    overrides.validate();
    if (table == null) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "Missing required parameter: 'TABLE'");
    }
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref = MaintenanceAccess.parse(table);
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      Table loaded = access.load(ref);
      MaintenancePolicy policy = overrides.apply(access.policy(loaded));
      OrphanRemoval removal =
          Maintenance.removeOrphans(loaded).policy(policy).ledger(access.ledger());
      if (dryRun) {
        removal.dryRun();
      }
      if (force) {
        removal.forceBelowFloor();
      }
      OrphanResult result = removal.execute();
      if (json.print(out, result)) {
        return Floe.EXIT_OK;
      }
      out.printf(
          "%s: %s listed, %d referenced, %d unreferenced but younger than %s%n",
          ref,
          counted(result.listed(), "file"),
          result.reachable(),
          result.tooYoung(),
          Durations.format(policy.orphanMinAge()));
      MaintenanceAccess.printFiles(
          out, dryRun ? "would quarantine" : "quarantined", result.quarantined());
      MaintenanceAccess.printFiles(out, dryRun ? "would purge" : "purged", result.purged());
      if (!dryRun && !result.quarantined().isEmpty()) {
        out.printf("undo with: floe orphans restore %s --run %s%n", ref, result.runId());
      }
    }
    return Floe.EXIT_OK;
  }

  @Command(name = "restore", description = "Move quarantined orphans back where they were.")
  static final class Restore implements Callable<Integer> {
    @ParentCommand OrphansCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TABLE", description = "namespace.table")
    String table;

    @Option(names = "--run", description = "Only what this run quarantined.")
    String run;

    @Option(names = "--dry-run", description = "Print what would be restored.")
    boolean dryRun;

    @Override
    public Integer call() {
      TableRef ref = MaintenanceAccess.parse(table);
      try (MaintenanceAccess access = MaintenanceAccess.open(parent.floe)) {
        OrphanRestore restore =
            Maintenance.restoreOrphans(access.load(ref)).ledger(access.ledger());
        if (run != null) {
          restore.run(run);
        }
        if (dryRun) {
          restore.dryRun();
        }
        MaintenanceAccess.printFiles(
            spec.commandLine().getOut(), dryRun ? "would restore" : "restored", restore.execute());
      }
      return Floe.EXIT_OK;
    }
  }
}
