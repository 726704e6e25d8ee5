package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.TableRef;
import io.floe.maintenance.Expiry;
import io.floe.maintenance.ExpiryHorizon;
import io.floe.maintenance.ExpiryResult;
import io.floe.maintenance.Maintenance;
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
    name = "expire",
    description =
        "Expire snapshots up to the expiry horizon and delete files no snapshot of any ref references.")
final class ExpireCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;
  @Mixin PolicyOverrides overrides;
  @Mixin JsonOption json;

  @Parameters(paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(
      names = "--dry-run",
      description = "Print the horizon, the snapshots and every file that would be deleted.")
  boolean dryRun;

  @Option(names = "--force", description = "Allow maintenance.snapshot-max-age below 1 hour.")
  boolean force;

  @Override
  public Integer call() {
    overrides.validate();
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref = MaintenanceAccess.parse(table);
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      Table loaded = access.load(ref);
      Expiry expiry = Maintenance.expire(loaded).policy(overrides.apply(access.policy(loaded)));
      if (dryRun) {
        expiry.dryRun();
      } else {
        expiry.ledger(access.ledger());
      }
      if (force) {
        expiry.forceBelowFloor();
      }
      ExpiryResult result = expiry.execute();
      if (json.print(out, result)) {
        return Floe.EXIT_OK;
      }
      out.printf(
          "%s: horizon %s (bound by %s)%n",
          ref, result.horizon().effective(), result.horizon().binding().name());
      for (ExpiryHorizon.Protection p : result.horizon().protections()) {
        out.printf("  keeps from %s: %s - %s%n", p.keepsFrom(), p.name(), p.why());
      }
      result
          .removedRefs()
          .forEach(r -> out.println((dryRun ? "would remove ref " : "removed ref ") + r));
      out.printf(
          "%s %s%s%n",
          dryRun ? "would expire" : "expired",
          counted(result.expiredSnapshots().size(), "snapshot"),
          result.expiredSnapshots().isEmpty() ? "" : ": " + result.expiredSnapshots());
      MaintenanceAccess.printFiles(out, dryRun ? "would delete" : "deleted", result.deletedFiles());
      if (!dryRun) {
        out.printf(
            "recorded in %s.%s, run %s%n",
            access.policies.ledgerNamespace(), "deletions", result.runId());
      }
    }
    return Floe.EXIT_OK;
  }
}
