package io.floe.app;

import io.floe.catalog.TableRef;
import io.floe.core.config.DataSizes;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.TableHealth;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "health",
    description = "Show a table's files, small files, deletes, manifests and snapshots.")
final class HealthCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;
  @Mixin PolicyOverrides overrides;

  @Parameters(paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    overrides.validate();
    PrintWriter out = spec.commandLine().getOut();
    TableRef ref = MaintenanceAccess.parse(table);
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      Table loaded = access.load(ref);
      TableHealth health = Maintenance.health(loaded, overrides.apply(access.policy(loaded)));
      if (json.print(out, health)) {
        return Floe.EXIT_OK;
      }
      out.printf("%s%n", health.table());
      out.printf(
          "  data files      %d (%d small, below %s), average %s%n",
          health.dataFiles(),
          health.smallFiles(),
          DataSizes.describe(health.smallFileThreshold()),
          DataSizes.describe(health.averageFileSize()));
      out.printf(
          "  delete files    %d (%.2f per data file)%n",
          health.deleteFiles(), health.deleteRatio());
      out.printf("  records         %,d%n", health.records());
      out.printf("  manifests       %d%n", health.manifests());
      out.printf("  snapshots       %d%n", health.snapshots());
      out.printf(
          "  size            %s referenced by main, %s kept by all snapshots%n",
          DataSizes.describe(health.bytesReferenced()), DataSizes.describe(health.bytesStored()));
      for (TableHealth.PartitionHealth p : health.partitions()) {
        out.printf(
            "  %-40s %6d files %6d small %4d deletes %10s%n",
            p.partition(),
            p.dataFiles(),
            p.smallFiles(),
            p.deleteFiles(),
            DataSizes.describe(p.bytes()));
      }
    }
    return Floe.EXIT_OK;
  }
}
