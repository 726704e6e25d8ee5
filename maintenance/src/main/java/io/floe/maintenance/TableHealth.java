package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * The shape of a table's main branch, and what its history costs. As JSON ({@code floe health
 * --json}) it carries the derived average file size and delete ratio too.
 *
 * @param snapshots snapshots in the metadata (all refs)
 * @param manifests manifests of main's current snapshot
 * @param dataFiles live data files on main
 * @param smallFiles live data files below the small-file threshold
 * @param deleteFiles live position/equality delete files on main
 * @param bytesReferenced bytes of main's live data and delete files
 * @param bytesStored bytes of every data and delete file any snapshot still references
 */
public record TableHealth(
    String table,
    long smallFileThreshold,
    int snapshots,
    int manifests,
    long dataFiles,
    long smallFiles,
    long deleteFiles,
    long records,
    long bytesReferenced,
    long bytesStored,
    List<PartitionHealth> partitions) {
  public TableHealth {
    requireNonNull(table, "table is null");
    partitions = List.copyOf(partitions);
  }

  @JsonProperty
  public long averageFileSize() {
    return dataFiles == 0 ? 0 : bytesReferenced / dataFiles;
  }

  /** Delete files per data file. */
  @JsonProperty
  public double deleteRatio() {
    return dataFiles == 0 ? 0 : (double) deleteFiles / dataFiles;
  }

  /** One partition of main. */
  public record PartitionHealth(
      String partition, long dataFiles, long smallFiles, long deleteFiles, long bytes) {
    public PartitionHealth {
      requireNonNull(partition, "partition is null");
    }
  }
}
