package io.floe.maintenance;

import io.floe.catalog.ManifestScan;
import io.floe.core.config.DataSizes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;

/**
 * Turns main's files at one snapshot and a policy into file groups: a partition with delete files
 * is rewritten whole (so its deletes can be dropped); otherwise its small files are bin-packed into
 * groups up to the maximum group size, when there are at least the minimum number of them. A {@link
 * PartitionFilter} leaves out whole partitions.
 */
final class CompactionPlanner {
  private CompactionPlanner() {}

  static List<FileGroup> plan(
      Table table, long snapshotId, MaintenancePolicy policy, PartitionFilter partitions) {
    Map<String, List<FileScanTask>> byPartition = new LinkedHashMap<>();
    for (FileScanTask task :
        ManifestScan.withDeletes(table, table.snapshot(snapshotId), TableScan::ignoreResiduals)) {
      if (!partitions.selects(task.file())) {
        continue;
      }
      String key = task.file().specId() + "/" + HealthCheck.partitionName(table, task.file());
      byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(task);
    }
    List<FileGroup> groups = new ArrayList<>();
    long small = policy.smallFileThreshold();
    for (List<FileScanTask> tasks : byPartition.values()) {
      FileScanTask first = tasks.get(0);
      String name = HealthCheck.partitionName(table, first.file());
      Set<DeleteFile> deletes = new LinkedHashSet<>();
      tasks.forEach(t -> deletes.addAll(t.deletes()));
      if (!deletes.isEmpty()) {
        // only the partition's own deletes; a delete file of another spec may apply elsewhere too
        List<DeleteFile> droppable =
            deletes.stream()
                .filter(d -> d.specId() == first.file().specId())
                .filter(d -> HealthCheck.partitionName(table, d).equals(name))
                .toList();
        groups.add(
            new FileGroup(
                first.file().specId(),
                first.file().partition(),
                name,
                tasks,
                droppable,
                "%d delete files apply to %d data files".formatted(deletes.size(), tasks.size())));
        continue;
      }
      List<FileScanTask> smallFiles =
          tasks.stream()
              .filter(t -> t.file().fileSizeInBytes() < small)
              .sorted(Comparator.comparingLong(t -> t.file().fileSizeInBytes()))
              .toList();
      if (smallFiles.size() < policy.minInputFiles()) {
        continue;
      }
      List<FileScanTask> bin = new ArrayList<>();
      long binBytes = 0;
      List<List<FileScanTask>> bins = new ArrayList<>();
      for (FileScanTask task : smallFiles) {
        if (!bin.isEmpty() && binBytes + task.file().fileSizeInBytes() > policy.maxGroupSize()) {
          bins.add(bin);
          bin = new ArrayList<>();
          binBytes = 0;
        }
        bin.add(task);
        binBytes += task.file().fileSizeInBytes();
      }
      bins.add(bin);
      for (List<FileScanTask> files : bins) {
        if (files.size() < 2) {
          continue;
        }
        groups.add(
            new FileGroup(
                first.file().specId(),
                first.file().partition(),
                name,
                files,
                List.of(),
                "%d of %d files are below %s"
                    .formatted(smallFiles.size(), tasks.size(), DataSizes.describe(small))));
      }
    }
    return groups;
  }
}
