package io.floe.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/** Writes a few generic records of one partition as a Parquet data file of a table. */
final class RecordFiles {
  private RecordFiles() {}

  static DataFile write(Table table, List<Record> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to write");
    }
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    key.partition(
        new org.apache.iceberg.data.InternalRecordWrapper(table.schema().asStruct())
            .wrap(rows.get(0)));
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
              .withPartition(table.spec().isUnpartitioned() ? null : key.copy())
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
