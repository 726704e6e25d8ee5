package io.floe.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/** Writes a few generic records as Parquet data files of a table, one per partition. */
final class RecordFiles {
  private RecordFiles() {}

  /** One data file per partition the rows fall in, in the order each partition first appears. */
  static List<DataFile> write(Table table, List<Record> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to write");
    }
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    Map<PartitionKey, List<Record>> partitions = new LinkedHashMap<>();
    for (Record row : rows) {
      key.partition(wrapper.wrap(row));
      partitions.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(row);
    }
    List<DataFile> files = new ArrayList<>(partitions.size());
    partitions.forEach(
        (partition, partitionRows) -> files.add(write(table, partition, partitionRows)));
    return files;
  }

  private static DataFile write(Table table, PartitionKey key, List<Record> rows) {
    String name = "floe-" + UUID.randomUUID() + ".parquet";
    String location =
        table.spec().isUnpartitioned()
            ? table.locationProvider().newDataLocation(name)
            : table.locationProvider().newDataLocation(table.spec(), key, name);
    OutputFile out = table.io().newOutputFile(location);
    DataWriter<Record> writer;
    try {
      writer =
          Parquet.writeData(out)
              .schema(table.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(table.spec())
              .withPartition(table.spec().isUnpartitioned() ? null : key)
              .overwrite()
              .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (DataWriter<Record> closing = writer) {
      for (Record row : rows) {
        closing.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + location, e);
    }
    return writer.toDataFile();
  }
}
