package io.floe.transform;

import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * The part of an input table that a target has not consumed yet: the appends after the snapshot the
 * target's audit branch last recorded, up to the input's current snapshot.
 *
 * @param input the input table
 * @param snapshotId the input's current snapshot, recorded as consumed by the write
 * @param rows the new rows, or every row when nothing was consumed before or the consumed snapshot
 *     is no longer an ancestor (expired or rolled back); upserts keep re-reading idempotent
 */
record Increment(String input, long snapshotId, Dataset<Row> rows) {

  /** The consumed-snapshot entry to record with the write. */
  Map<String, Long> consumed() {
    return Map.of(input, snapshotId);
  }

  /**
   * The increment of {@code input} for {@code target}, or empty when {@code input} does not exist,
   * has no snapshot, or has nothing new since the last consumed snapshot.
   */
  static Optional<Increment> of(TransformRun run, String input, String target) {
    if (!run.exists(input)) {
      return Optional.empty();
    }
    Table table = run.load(input);
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return Optional.empty();
    }
    Optional<Long> consumed = run.consumed(target, input);
    if (consumed.isPresent() && consumed.get() == current.snapshotId()) {
      return Optional.empty();
    }
    DataFrameReader reader = run.spark().read().format("iceberg");
    boolean incremental =
        consumed.isPresent()
            && SnapshotUtil.isAncestorOf(table, current.snapshotId(), consumed.get());
    if (incremental) {
      reader =
          reader
              .option("start-snapshot-id", consumed.get())
              .option("end-snapshot-id", current.snapshotId());
    } else {
      reader = reader.option("snapshot-id", current.snapshotId());
    }
    return Optional.of(new Increment(input, current.snapshotId(), reader.load(input)));
  }
}
