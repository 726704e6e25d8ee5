package io.floe.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.iceberg.BaseFileScanTask;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ManifestEvaluator;
import org.apache.iceberg.expressions.ResidualEvaluator;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Plans the data files of a snapshot by reading its manifests, each on {@code executor}, and
 * waiting for them. Iceberg's own planning waits for its parallel manifest reads in 10 ms sleeps,
 * which at a few small manifests is most of the time it takes. A snapshot with live delete files is
 * left to Iceberg's scan, which matches them to the data files.
 */
public final class ManifestScan {
  private ManifestScan() {}

  /**
   * The live data files of {@code snapshot} whose partition and column bounds can match {@code
   * filter}, with column statistics only for the field ids in {@code statsIds}; empty when the
   * snapshot has live delete files. One manifest is read on the calling thread, which would only
   * wait for the executor.
   */
  public static Optional<List<DataFile>> dataFiles(
      Table table, Snapshot snapshot, Expression filter, Set<Integer> statsIds, Executor executor) {
    FileIO io = table.io();
    if (hasDeleteFiles(table, snapshot)) {
      return Optional.empty();
    }
    Map<Integer, ManifestEvaluator> evaluators = new HashMap<>();
    List<ManifestFile> manifests = new ArrayList<>();
    for (ManifestFile manifest : snapshot.dataManifests(io)) {
      ManifestEvaluator evaluator =
          evaluators.computeIfAbsent(
              manifest.partitionSpecId(),
              id -> ManifestEvaluator.forRowFilter(filter, table.specs().get(id), true));
      if (live(manifest) && evaluator.eval(manifest)) {
        manifests.add(manifest);
      }
    }
    Executor reader = manifests.size() == 1 ? Runnable::run : executor;
    List<CompletableFuture<List<DataFile>>> reads = new ArrayList<>();
    for (ManifestFile manifest : manifests) {
      reads.add(
          CompletableFuture.supplyAsync(
              () -> liveFiles(table, manifest, filter, statsIds), reader));
    }
    List<DataFile> files = new ArrayList<>();
    try {
      reads.forEach(read -> files.addAll(read.join()));
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
    return Optional.of(files);
  }

  /**
   * The live data files of one data manifest that can match {@code filter}, with column statistics
   * only for the field ids in {@code statsIds}.
   */
  public static List<DataFile> liveFiles(
      Table table, ManifestFile manifest, Expression filter, Set<Integer> statsIds) {
    List<DataFile> files = new ArrayList<>();
    try (ManifestReader<DataFile> reader =
        ManifestFiles.read(manifest, table.io(), table.specs()).filterRows(filter)) {
      reader.forEach(file -> files.add(file.copyWithStats(statsIds)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /**
   * Scan tasks of {@code snapshot} for the files that can match {@code filter}, with column
   * statistics of {@code statsColumns}: {@link #dataFiles}, or Iceberg's scan (each task with the
   * delete files that apply to it) when the snapshot has delete files.
   */
  public static List<FileScanTask> tasks(
      Table table,
      Snapshot snapshot,
      Expression filter,
      Collection<String> statsColumns,
      Executor executor) {
    Schema schema = SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    Set<Integer> statsIds = new HashSet<>();
    for (String column : statsColumns) {
      Types.NestedField field = schema.findField(column);
      if (field != null) {
        statsIds.add(field.fieldId());
      }
    }
    Optional<List<DataFile>> files = dataFiles(table, snapshot, filter, statsIds, executor);
    if (files.isEmpty()) {
      List<FileScanTask> tasks = new ArrayList<>();
      try (CloseableIterable<FileScanTask> planned =
          table
              .newScan()
              .useSnapshot(snapshot.snapshotId())
              .filter(filter)
              .includeColumnStats(statsColumns)
              .planFiles()) {
        planned.forEach(tasks::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return tasks;
    }
    String schemaString = SchemaParser.toJson(schema);
    Map<Integer, String> specStrings = new HashMap<>();
    Map<Integer, ResidualEvaluator> residuals = new HashMap<>();
    List<FileScanTask> tasks = new ArrayList<>();
    for (DataFile file : files.get()) {
      PartitionSpec spec = table.specs().get(file.specId());
      tasks.add(
          new BaseFileScanTask(
              file,
              new DeleteFile[0],
              schemaString,
              specStrings.computeIfAbsent(spec.specId(), id -> PartitionSpecParser.toJson(spec)),
              residuals.computeIfAbsent(
                  spec.specId(), id -> ResidualEvaluator.of(spec, filter, true))));
    }
    return tasks;
  }

  /**
   * Whether {@code snapshot} may have live delete files: whether one of its delete manifests lists
   * a file as added or existing. Read from the manifest list alone.
   */
  public static boolean hasDeleteFiles(Table table, Snapshot snapshot) {
    return snapshot.deleteManifests(table.io()).stream().anyMatch(ManifestScan::live);
  }

  private static boolean live(ManifestFile manifest) {
    return manifest.hasAddedFiles() || manifest.hasExistingFiles();
  }
}
