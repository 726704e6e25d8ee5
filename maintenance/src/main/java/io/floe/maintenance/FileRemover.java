package io.floe.maintenance;

import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.io.BulkDeletionFailureException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.SupportsBulkOperations;

/** Deletes files in batches, through the object store's bulk delete where it has one. */
final class FileRemover {
  private static final int BATCH = 1000;

  private FileRemover() {}

  static void delete(FileIO io, List<String> paths) {
    for (int start = 0; start < paths.size(); start += BATCH) {
      List<String> batch =
          new ArrayList<>(paths.subList(start, Math.min(paths.size(), start + BATCH)));
      if (io instanceof SupportsBulkOperations bulk) {
        try {
          bulk.deleteFiles(batch);
        } catch (BulkDeletionFailureException e) {
          throw new IllegalStateException(
              "%d of %d files could not be deleted; they stay recorded as intents in the ledger"
                  .formatted(e.numberFailedObjects(), batch.size()),
              e);
        }
      } else {
        batch.forEach(io::deleteFile);
      }
    }
  }
}
