package io.floe.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.avro.PlannedDataReader;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;

/**
 * Generic records in and out of a table's data files, in Parquet or Avro: the rows Floe appends to
 * its log tables, and the rows of any data file Floe reads (an ORC file is refused with an error
 * naming the file).
 *
 * <p>Needs {@code iceberg-data} and {@code iceberg-parquet}, which this module only declares as
 * optional: a module that reads or writes rows brings them itself.
 */
public final class RecordFiles {
  private RecordFiles() {}

  /**
   * Writes {@code rows} as data files of {@code table} in {@code format} (Parquet or Avro), one
   * file per partition the rows fall in, in the order each partition first appears; uncommitted.
   */
  public static List<DataFile> write(Table table, List<Record> rows, FileFormat format) {
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
        (partition, partitionRows) -> files.add(write(table, partition, partitionRows, format)));
    return files;
  }

  private static DataFile write(
      Table table, PartitionKey key, List<Record> rows, FileFormat format) {
    String name = "floe-" + UUID.randomUUID() + "." + format.name().toLowerCase(Locale.ROOT);
    String location =
        table.spec().isUnpartitioned()
            ? table.locationProvider().newDataLocation(name)
            : table.locationProvider().newDataLocation(table.spec(), key, name);
    PartitionKey partition = table.spec().isUnpartitioned() ? null : key;
    DataWriter<Record> writer;
    try {
      writer = writer(table, table.io().newOutputFile(location), partition, format);
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

  private static DataWriter<Record> writer(
      Table table, OutputFile out, PartitionKey partition, FileFormat format) throws IOException {
    switch (format) {
      case PARQUET:
        return Parquet.writeData(out)
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .withPartition(partition)
            .overwrite()
            .build();
      case AVRO:
        return Avro.writeData(out)
            .schema(table.schema())
            .createWriterFunc(org.apache.iceberg.data.avro.DataWriter::create)
            .withSpec(table.spec())
            .withPartition(partition)
            // a few rows per file: compressing them costs more than it saves
            .set(TableProperties.AVRO_COMPRESSION, "uncompressed")
            .overwrite()
            .build();
      default:
        throw new UnsupportedOperationException(
            "Floe writes Parquet and Avro data files, not " + format);
    }
  }

  /**
   * The rows of the data file {@code input}, in {@code format}, projected onto {@code projection}
   * (which may hold Iceberg's row-position metadata column). With {@code reuse}, each row object is
   * reused for the next row: the caller must copy what it keeps.
   *
   * @throws UnsupportedOperationException for a format other than Parquet and Avro
   */
  public static CloseableIterable<Record> read(
      InputFile input, FileFormat format, Schema projection, boolean reuse) {
    switch (format) {
      case PARQUET:
        Parquet.ReadBuilder parquet =
            Parquet.read(input)
                .project(projection)
                .createReaderFunc(
                    fileSchema -> GenericParquetReaders.buildReader(projection, fileSchema));
        return (reuse ? parquet.reuseContainers() : parquet).build();
      case AVRO:
        return Avro.read(input)
            .project(projection)
            .createResolvingReader(PlannedDataReader::create)
            .reuseContainers(reuse)
            .build();
      default:
        throw new UnsupportedOperationException(
            "%s is a %s data file; Floe reads Parquet and Avro data files"
                .formatted(input.location(), format));
    }
  }
}
