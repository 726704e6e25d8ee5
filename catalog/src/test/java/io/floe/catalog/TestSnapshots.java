package io.floe.catalog;

import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Types;

/**
 * Snapshots made of metadata only, for tests of what refs and snapshot summaries say (lineage,
 * publishing order): the files they list are never written. Shared with other modules' tests
 * through this module's test jar.
 */
public final class TestSnapshots {
  private TestSnapshots() {}

  /** A new unpartitioned table of one {@code id} column. */
  public static Table table(Catalog catalog, TableRef ref) {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    return catalog.createTable(ref.toIdentifier(), schema, PartitionSpec.unpartitioned());
  }

  /**
   * Appends a one-row file to {@code branch} with {@code summary}; returns the new snapshot's id.
   */
  public static long append(Table table, String branch, Map<String, String> summary) {
    AppendFiles append =
        table
            .newAppend()
            .appendFile(
                DataFiles.builder(PartitionSpec.unpartitioned())
                    .withPath(table.location() + "/data/" + UUID.randomUUID() + ".parquet")
                    .withFileSizeInBytes(100)
                    .withRecordCount(1)
                    .build())
            .toBranch(branch);
    summary.forEach(append::set);
    append.commit();
    return table.snapshot(branch).snapshotId();
  }
}
