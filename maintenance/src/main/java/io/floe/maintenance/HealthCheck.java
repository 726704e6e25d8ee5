package io.floe.maintenance;

import io.floe.catalog.ManifestScan;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;

/** Measures {@link TableHealth} from metadata only (manifests), never reading data files. */
final class HealthCheck {
  private HealthCheck() {}

  static TableHealth measure(Table table, MaintenancePolicy policy) {
    table.refresh();
    long threshold = policy.smallFileThreshold();
    Snapshot current = table.currentSnapshot();
    TableMetadata metadata = ((HasTableOperations) table).operations().current();
    int snapshots = metadata.snapshots().size();
    if (current == null) {
      return new TableHealth(
          TableNames.of(table), threshold, snapshots, 0, 0, 0, 0, 0, 0, 0, List.of());
    }
    Map<String, long[]> partitions = new TreeMap<>();
    Set<String> deletes = new HashSet<>();
    long dataFiles = 0;
    long smallFiles = 0;
    long records = 0;
    long bytes = 0;
    for (FileScanTask task : ManifestScan.withDeletes(table, current, scan -> scan)) {
      DataFile file = task.file();
      String partition = partitionName(table, file);
      long[] counts = partitions.computeIfAbsent(partition, p -> new long[4]);
      dataFiles++;
      counts[0]++;
      records += file.recordCount();
      bytes += file.fileSizeInBytes();
      counts[3] += file.fileSizeInBytes();
      if (file.fileSizeInBytes() < threshold) {
        smallFiles++;
        counts[1]++;
      }
      for (DeleteFile delete : task.deletes()) {
        if (deletes.add(delete.location())) {
          partitions.computeIfAbsent(partitionName(table, delete), p -> new long[4])[2]++;
          bytes += delete.fileSizeInBytes();
        }
      }
    }
    long stored = 0;
    for (Map.Entry<String, Long> file :
        ReachableFiles.of(table.io(), table.specs(), metadata.snapshots()).entrySet()) {
      if (!file.getKey().contains("/metadata/") && file.getValue() > 0) {
        stored += file.getValue();
      }
    }
    List<TableHealth.PartitionHealth> byPartition = new ArrayList<>();
    partitions.forEach(
        (name, c) ->
            byPartition.add(new TableHealth.PartitionHealth(name, c[0], c[1], c[2], c[3])));
    return new TableHealth(
        TableNames.of(table),
        threshold,
        snapshots,
        current.allManifests(table.io()).size(),
        dataFiles,
        smallFiles,
        deletes.size(),
        records,
        bytes,
        stored,
        byPartition);
  }

  static String partitionName(Table table, ContentFile<?> file) {
    var spec = table.specs().get(file.specId());
    return spec.isUnpartitioned() ? "(unpartitioned)" : spec.partitionToPath(file.partition());
  }
}
