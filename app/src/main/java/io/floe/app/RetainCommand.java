package io.floe.app;

import io.floe.catalog.TableRef;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.Retention;
import io.floe.maintenance.RetentionResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "retain",
    description =
        "Drop main's rows older than the table's retention (tables.<t>.maintenance.retention).")
final class RetainCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;
  @Mixin PolicyOverrides overrides;
  @Mixin JsonOption json;

  @Parameters(paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(names = "--dry-run", description = "Print every file that would be dropped or rewritten.")
  boolean dryRun;

  @Option(names = "--force", description = "Allow retention.max-age below 1 day.")
  boolean force;

  @Override
  public Integer call() {
    overrides.validate();
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref = MaintenanceAccess.parse(table);
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      Table loaded = access.load(ref);
      Retention retention =
          Maintenance.retain(loaded).policy(overrides.apply(access.policy(loaded)));
      if (dryRun) {
        retention.dryRun();
      } else {
        retention.ledger(access.ledger());
      }
      if (force) {
        retention.forceBelowFloor();
      }
      RetentionResult result = retention.execute();
      if (json.print(out, result)) {
        return Floe.EXIT_OK;
      }
      out.printf("%s: rows with %s before %s%n", ref, result.column(), result.cutoff());
      MaintenanceAccess.printFiles(
          out,
          dryRun ? "would drop (metadata only)" : "dropped (metadata only)",
          result.droppedFiles());
      MaintenanceAccess.printFiles(
          out,
          dryRun ? "would rewrite without old rows" : "rewrote without old rows",
          result.rewrittenFiles());
      result.snapshotId().ifPresent(id -> out.println("snapshot " + id));
    }
    return Floe.EXIT_OK;
  }
}
