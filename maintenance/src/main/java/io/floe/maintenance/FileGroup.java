package io.floe.maintenance;

import java.util.List;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.StructLike;

/**
 * Data files of one partition that one commit rewrites, with the delete files that apply to them.
 * When {@code deletesToDrop} is not empty the group holds every data file of its partition, so
 * those deletes apply to nothing once the group is rewritten.
 */
record FileGroup(
    int specId,
    StructLike partition,
    String partitionName,
    List<FileScanTask> tasks,
    List<DeleteFile> deletesToDrop,
    String reason) {
  FileGroup {
    tasks = List.copyOf(tasks);
    deletesToDrop = List.copyOf(deletesToDrop);
  }

  List<DataFile> dataFiles() {
    return tasks.stream().map(FileScanTask::file).toList();
  }

  long bytes() {
    return tasks.stream().mapToLong(t -> t.file().fileSizeInBytes()).sum();
  }

  boolean hasDeletes() {
    return tasks.stream().anyMatch(t -> !t.deletes().isEmpty());
  }

  CompactionPlan.Group describe() {
    return new CompactionPlan.Group(
        partitionName,
        tasks.size(),
        bytes(),
        tasks.stream().mapToLong(t -> t.file().recordCount()).sum(),
        deletesToDrop.size(),
        reason,
        tasks.stream().map(t -> t.file().location()).toList(),
        deletesToDrop.stream().map(DeleteFile::location).toList());
  }
}
