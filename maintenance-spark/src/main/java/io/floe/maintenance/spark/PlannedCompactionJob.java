package io.floe.maintenance.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.spark.FileRewriteCoordinator;
import org.apache.iceberg.spark.ScanTaskSetManager;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.spark.SparkReadOptions;
import org.apache.iceberg.spark.SparkWriteOptions;
import org.apache.spark.sql.SparkSession;

/**
 * Executes a compaction plan that Floe made (file groups per partition, from one start snapshot)
 * with Spark, for tables too large for one machine: each group's files are read as one staged scan
 * task set, written back at the target size, and committed as a {@code RewriteFiles} validated from
 * the start snapshot with the new files carrying its sequence number, exactly as Floe's local
 * executor commits. A group that conflicts with a concurrent commit is dropped (its new files
 * deleted) and reported; the next run plans it again.
 *
 * <p>Arguments: {@code --plan <file with CompactionPlan JSON>}, {@code --target-size <bytes>}.
 */
public final class PlannedCompactionJob {
  private PlannedCompactionJob() {}

  public static void main(String[] args) {
    JobRunner.run("planned-compaction", args, PlannedCompactionJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) {
    JsonNode plan = readPlan(Path.of(arguments.required("plan")));
    long targetSize = arguments.longValue("target-size", 128L << 20);
    String name = plan.get("table").asText();
    long startId = plan.get("startSnapshotId").asLong();
    Table table;
    try {
      table = Spark3Util.loadIcebergTable(spark, name);
    } catch (Exception e) {
      throw new IllegalArgumentException("cannot load table " + name + ": " + e.getMessage(), e);
    }
    Snapshot start = table.snapshot(startId);
    if (start == null) {
      throw new IllegalArgumentException(
          "the plan's start snapshot " + startId + " of " + name + " no longer exists");
    }
    Map<String, FileScanTask> tasksByPath = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(startId).ignoreResiduals().planFiles()) {
      tasks.forEach(task -> tasksByPath.put(task.file().location(), task));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }

    long begin = System.nanoTime();
    int committed = 0;
    int conflicted = 0;
    int rewritten = 0;
    int added = 0;
    int droppedDeletes = 0;
    for (JsonNode group : plan.get("groups")) {
      List<FileScanTask> tasks = new ArrayList<>();
      for (JsonNode path : group.get("paths")) {
        FileScanTask task = tasksByPath.get(path.asText());
        if (task == null) {
          throw new IllegalArgumentException(
              path.asText() + " is not a data file of snapshot " + startId + " of " + name);
        }
        tasks.add(task);
      }
      Set<String> dropPaths = new HashSet<>();
      group.get("deletesToDrop").forEach(path -> dropPaths.add(path.asText()));
      Map<String, DeleteFile> drop = new LinkedHashMap<>();
      tasks.forEach(
          task ->
              task.deletes().stream()
                  .filter(delete -> dropPaths.contains(delete.location()))
                  .forEach(delete -> drop.put(delete.location(), delete)));

      Set<DataFile> newFiles = rewrite(spark, table, name, tasks, targetSize);
      RewriteFiles rewrite =
          table
              .newRewrite()
              .validateFromSnapshot(startId)
              .dataSequenceNumber(start.sequenceNumber());
      tasks.forEach(task -> rewrite.deleteFile(task.file()));
      drop.values().forEach(rewrite::deleteFile);
      newFiles.forEach(rewrite::addFile);
      rewrite.set("floe.maintenance", "compact-spark");
      try {
        rewrite.commit();
        committed++;
        rewritten += tasks.size();
        added += newFiles.size();
        droppedDeletes += drop.size();
      } catch (ValidationException | CommitFailedException e) {
        // the commit did not happen: the new files are garbage, the next run replans the group
        newFiles.forEach(file -> table.io().deleteFile(file.location()));
        conflicted++;
      }
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("table", name);
    summary.put("start-snapshot", startId);
    summary.put("committed-groups", committed);
    summary.put("conflicted-groups", conflicted);
    summary.put("rewritten-files", rewritten);
    summary.put("added-files", added);
    summary.put("dropped-delete-files", droppedDeletes);
    summary.put("millis", (System.nanoTime() - begin) / 1_000_000);
    return summary;
  }

  /** Reads the group's files (deletes applied) and writes them back; returns the new files. */
  private static Set<DataFile> rewrite(
      SparkSession spark, Table table, String name, List<FileScanTask> tasks, long targetSize) {
    String setId = UUID.randomUUID().toString();
    ScanTaskSetManager.get().stageTasks(table, setId, tasks);
    try {
      spark
          .read()
          .format("iceberg")
          .option(SparkReadOptions.SCAN_TASK_SET_ID, setId)
          .option(SparkReadOptions.SPLIT_SIZE, Long.toString(targetSize))
          .load(name)
          .write()
          .format("iceberg")
          .option(SparkWriteOptions.REWRITTEN_FILE_SCAN_TASK_SET_ID, setId)
          .option(SparkWriteOptions.TARGET_FILE_SIZE_BYTES, Long.toString(targetSize))
          .option(SparkWriteOptions.DISTRIBUTION_MODE, "none")
          .mode("append")
          .save(name);
      return FileRewriteCoordinator.get().fetchNewFiles(table, setId);
    } finally {
      ScanTaskSetManager.get().removeTasks(table, setId);
      FileRewriteCoordinator.get().clearRewrite(table, setId);
    }
  }

  private static JsonNode readPlan(Path file) {
    try {
      return new ObjectMapper().readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read the compaction plan " + file, e);
    }
  }
}
