package io.floe.bench.maintenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/** Benchmark tables: many small Parquet files of deterministic rows, written with plain Iceberg. */
final class BenchTables {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "category", Types.StringType.get()),
          Types.NestedField.optional(3, "amount", Types.DoubleType.get()),
          Types.NestedField.optional(4, "ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(5, "note", Types.StringType.get()));
  static final String[] CATEGORIES = {"books", "garden", "toys", "games"};
  static final PartitionSpec SPEC = PartitionSpec.builderFor(SCHEMA).identity("category").build();
  private static final Instant BASE = Instant.parse("2026-01-01T00:00:00Z");

  /**
   * The Parquet codec of the small files ({@code -Dbench.input-codec=zstd}, say); unset, the
   * writer's own default, gzip, as for every measurement so far: the files are written without the
   * table's properties.
   */
  static final String INPUT_CODEC = System.getProperty("bench.input-codec");

  private BenchTables() {}

  static Table create(Catalog catalog, TableIdentifier id, boolean sharesFiles) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(id.namespace())) {
      namespaces.createNamespace(Namespace.of(id.namespace().levels()));
    }
    if (catalog.tableExists(id)) {
      catalog.dropTable(id, false);
    }
    // tables that share their input files must never garbage-collect them
    return catalog
        .buildTable(id, SCHEMA)
        .withPartitionSpec(SPEC)
        .withProperty("format-version", "2")
        .withProperty("gc.enabled", Boolean.toString(!sharesFiles))
        .create();
  }

  /** File {@code index}: {@code rows} rows with ids from {@code index * rows}, one category. */
  static DataFile write(Table table, int index, int rows) {
    String category = CATEGORIES[index % CATEGORIES.length];
    List<Record> records = new ArrayList<>(rows);
    for (long id = (long) index * rows; id < (long) (index + 1) * rows; id++) {
      GenericRecord row = GenericRecord.create(SCHEMA);
      row.setField("id", id);
      row.setField("category", category);
      row.setField("amount", (id % 10_000) * 0.25);
      row.setField("ts", BASE.plusSeconds(id * 7).atOffset(ZoneOffset.UTC));
      row.setField("note", "note-" + Long.toHexString(id * 2654435761L));
      records.add(row);
    }
    PartitionKey key = new PartitionKey(SPEC, SCHEMA);
    key.partition(records.get(0));
    String location =
        table
            .locationProvider()
            .newDataLocation(SPEC, key, "bench-" + UUID.randomUUID() + ".parquet");
    try {
      Parquet.DataWriteBuilder builder =
          Parquet.writeData(table.io().newOutputFile(location))
              .schema(SCHEMA)
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(SPEC)
              .withPartition(key.copy())
              .overwrite();
      if (INPUT_CODEC != null) {
        builder.set(TableProperties.PARQUET_COMPRESSION, INPUT_CODEC);
      }
      DataWriter<Record> writer = builder.build();
      try (writer) {
        records.forEach(writer::write);
      }
      return writer.toDataFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Files {@code 0..count-1}, written by {@code threads} threads. */
  static List<DataFile> writeMany(Table table, int count, int rows, int threads) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<DataFile>> futures = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> write(table, index, rows)));
      }
      List<DataFile> files = new ArrayList<>();
      for (Future<DataFile> future : futures) {
        files.add(future.get());
      }
      return files;
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Reads every file once through the table's FileIO, so the S3 server has served GETs (its request
   * path compiled, the files in the page cache) before any timed run. The files were only ever
   * written; without this, whichever contender reads them first pays the server's warm-up in the
   * server's CPU, on the cores it shares with that contender. Returns the bytes read.
   */
  static long readAll(Table table, List<DataFile> files) {
    long bytes = 0;
    for (DataFile file : files) {
      try (InputStream in = table.io().newInputFile(file.location()).newStream()) {
        bytes += in.readAllBytes().length;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return bytes;
  }
}
