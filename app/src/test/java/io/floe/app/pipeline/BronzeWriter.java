package io.floe.app.pipeline;

import io.floe.catalog.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Appends rows to bronze tables the way ingest does (contract columns plus ingest metadata), with
 * pure-Java Iceberg: one Parquet file and one append snapshot per call.
 */
final class BronzeWriter {
  private final Catalog catalog;
  private final String namespace;
  private final String runId;
  private final OffsetDateTime ingestedAt;

  BronzeWriter(Catalog catalog, String namespace, String runId, OffsetDateTime ingestedAt) {
    this.catalog = catalog;
    this.namespace = namespace;
    this.runId = runId;
    this.ingestedAt = ingestedAt;
  }

  /**
   * Appends {@code rows} (values in the order of {@code columns}) to {@code table}, creating it
   * with {@code columns} plus the ingest metadata columns if needed.
   */
  void append(String table, List<Types.NestedField> columns, List<Object[]> rows) {
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(Namespace.of(namespace))) {
      namespaces.createNamespace(Namespace.of(namespace));
    }
    TableRef ref = new TableRef(namespace, table);
    List<Types.NestedField> all = new ArrayList<>(columns);
    int id = columns.size() + 1;
    all.add(Types.NestedField.optional(id++, "_ingest_run_id", Types.StringType.get()));
    all.add(Types.NestedField.optional(id++, "_ingested_at", Types.TimestampType.withZone()));
    all.add(Types.NestedField.optional(id++, "_source", Types.StringType.get()));
    all.add(Types.NestedField.optional(id, "_source_offset", Types.LongType.get()));
    Schema schema = new Schema(all);
    Table iceberg =
        catalog.tableExists(ref.toIdentifier())
            ? catalog.loadTable(ref.toIdentifier())
            : catalog.createTable(
                ref.toIdentifier(),
                schema,
                PartitionSpec.unpartitioned(),
                Map.of("format-version", "2"));
    OutputFile file =
        iceberg
            .io()
            .newOutputFile(
                iceberg
                    .locationProvider()
                    .newDataLocation("test-" + UUID.randomUUID() + ".parquet"));
    try {
      DataWriter<Record> writer =
          Parquet.writeData(file)
              .schema(iceberg.schema())
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(PartitionSpec.unpartitioned())
              .overwrite()
              .build();
      try (writer) {
        long offset = 0;
        for (Object[] values : rows) {
          Record record = GenericRecord.create(iceberg.schema());
          for (int i = 0; i < columns.size(); i++) {
            record.setField(columns.get(i).name(), values[i]);
          }
          record.setField("_ingest_run_id", runId);
          record.setField("_ingested_at", ingestedAt);
          record.setField("_source", "test:" + table);
          record.setField("_source_offset", offset++);
          writer.write(record);
        }
      }
      iceberg.newAppend().appendFile(writer.toDataFile()).commit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
