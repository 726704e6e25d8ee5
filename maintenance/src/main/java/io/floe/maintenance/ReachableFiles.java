package io.floe.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionStatisticsFile;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.StatisticsFile;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.io.FileIO;

/**
 * Every file a set of snapshots can reach: manifest lists, manifests, data and delete files, and
 * the statistics files attached to them; with sizes where the metadata knows them (-1 otherwise).
 */
final class ReachableFiles {
  private static final ForkJoinPool READERS = new ForkJoinPool(8);

  private ReachableFiles() {}

  static Map<String, Long> of(
      FileIO io, Map<Integer, PartitionSpec> specs, Collection<Snapshot> snapshots) {
    Map<String, Long> files = new ConcurrentHashMap<>();
    Map<String, ManifestFile> manifests = new ConcurrentHashMap<>();
    for (Snapshot snapshot : snapshots) {
      if (snapshot.manifestListLocation() != null) {
        files.put(snapshot.manifestListLocation(), -1L);
      }
      for (ManifestFile manifest : snapshot.allManifests(io)) {
        manifests.putIfAbsent(manifest.path(), manifest);
      }
    }
    List<ManifestFile> unique = List.copyOf(manifests.values());
    try {
      READERS
          .submit(
              () ->
                  unique.parallelStream()
                      .forEach(
                          manifest -> {
                            files.put(manifest.path(), manifest.length());
                            readInto(io, specs, manifest, files);
                          }))
          .get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading manifests", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    return files;
  }

  /** Statistics and partition statistics files of {@code snapshotIds} in {@code metadata}. */
  static Map<String, Long> statistics(TableMetadata metadata, Set<Long> snapshotIds) {
    Map<String, Long> files = new ConcurrentHashMap<>();
    for (StatisticsFile stats : metadata.statisticsFiles()) {
      if (snapshotIds.contains(stats.snapshotId())) {
        files.put(stats.path(), stats.fileSizeInBytes());
      }
    }
    for (PartitionStatisticsFile stats : metadata.partitionStatisticsFiles()) {
      if (snapshotIds.contains(stats.snapshotId())) {
        files.put(stats.path(), stats.fileSizeInBytes());
      }
    }
    return files;
  }

  static Set<Long> ids(Collection<Snapshot> snapshots) {
    Set<Long> ids = new HashSet<>();
    snapshots.forEach(s -> ids.add(s.snapshotId()));
    return ids;
  }

  private static void readInto(
      FileIO io,
      Map<Integer, PartitionSpec> specs,
      ManifestFile manifest,
      Map<String, Long> files) {
    try (ManifestReader<? extends ContentFile<?>> reader =
        manifest.content() == ManifestContent.DATA
            ? ManifestFiles.read(manifest, io, specs)
            : ManifestFiles.readDeleteManifest(manifest, io, specs)) {
      for (ContentFile<?> file : reader) {
        files.put(file.location(), file.fileSizeInBytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read manifest " + manifest.path(), e);
    }
  }
}
