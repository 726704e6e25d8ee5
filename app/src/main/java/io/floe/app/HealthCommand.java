package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.TableRef;
import io.floe.core.config.DataSizes;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.TableHealth;
import java.io.PrintWriter;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
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

  @Option(
      names = "--partitions",
      paramLabel = "N|all",
      defaultValue = "20",
      description =
          "Partitions to list, those most in need first (most small files, then delete files,"
              + " then files); 'all' lists every one by name (default 20).")
  String partitions;

  @Override
  public Integer call() {
    overrides.validate();
    int limit = partitionLimit();
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
          "  data files      %,d (%,d small, below %s), average %s%n",
          health.dataFiles(),
          health.smallFiles(),
          DataSizes.describe(health.smallFileThreshold()),
          DataSizes.describe(health.averageFileSize()));
      out.printf(
          "  delete files    %,d (%.2f per data file)%n",
          health.deleteFiles(), health.deleteRatio());
      out.printf("  records         %,d%n", health.records());
      out.printf("  manifests       %,d%n", health.manifests());
      out.printf("  snapshots       %,d%n", health.snapshots());
      out.printf(
          "  size            %s referenced by main, %s kept by all snapshots%n",
          DataSizes.describe(health.bytesReferenced()), DataSizes.describe(health.bytesStored()));
      List<TableHealth.PartitionHealth> listed = listed(health.partitions(), limit);
      if (listed.size() < health.partitions().size()) {
        out.printf(
            "  %s of %s, those most in need first (--partitions all lists every one):%n",
            listed.size(), counted(health.partitions().size(), "partition"));
      }
      if (!listed.isEmpty()) {
        out.printf(PARTITION_ROW, "partition", "files", "small", "deletes", "size");
      }
      for (TableHealth.PartitionHealth p : listed) {
        out.printf(
            PARTITION_ROW,
            p.partition(),
            String.format("%,d", p.dataFiles()),
            String.format("%,d", p.smallFiles()),
            String.format("%,d", p.deleteFiles()),
            DataSizes.describe(p.bytes()));
      }
    }
    return Floe.EXIT_OK;
  }

  /** One line of the partition table: name, then right-aligned counts and size. */
  private static final String PARTITION_ROW = "  %-40s %8s %8s %8s %10s%n";

  /** {@code --partitions} as a count; {@link Integer#MAX_VALUE} for {@code all}. */
  private int partitionLimit() {
    if (partitions.equalsIgnoreCase("all")) {
      return Integer.MAX_VALUE;
    }
    try {
      int limit = Integer.parseInt(partitions);
      if (limit >= 0) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // refused below, like a negative count
    }
    throw new ParameterException(
        spec.commandLine(), "--partitions is a count or 'all', got '" + partitions + "'");
  }

  /** Every partition by name when they fit the limit, else the limit's worth, worst first. */
  private static List<TableHealth.PartitionHealth> listed(
      List<TableHealth.PartitionHealth> all, int limit) {
    if (all.size() <= limit) {
      return all;
    }
    return all.stream()
        .sorted(
            Comparator.comparingLong(TableHealth.PartitionHealth::smallFiles)
                .thenComparingLong(TableHealth.PartitionHealth::deleteFiles)
                .thenComparingLong(TableHealth.PartitionHealth::dataFiles)
                .reversed())
        .limit(limit)
        .toList();
  }
}
