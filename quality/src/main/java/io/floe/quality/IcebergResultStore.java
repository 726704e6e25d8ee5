package io.floe.quality;

import io.floe.catalog.TableRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Metric history and incremental states kept in two Iceberg tables (by default {@code
 * floe_quality.results} and {@code floe_quality.states}), so they are queryable from Trino like any
 * other table: one row per check per evaluation, and one row per analyzer state per audited
 * snapshot.
 */
final class IcebergResultStore implements ResultStore {
  static final Schema RESULTS =
      new Schema(
          Types.NestedField.required(1, "evaluated_at", Types.TimestampType.withZone()),
          Types.NestedField.required(2, "table_name", Types.StringType.get()),
          Types.NestedField.required(3, "snapshot_id", Types.LongType.get()),
          Types.NestedField.optional(4, "ref", Types.StringType.get()),
          Types.NestedField.required(5, "suite_hash", Types.StringType.get()),
          Types.NestedField.required(6, "check_name", Types.StringType.get()),
          Types.NestedField.required(7, "check_type", Types.StringType.get()),
          Types.NestedField.required(8, "severity", Types.StringType.get()),
          Types.NestedField.required(9, "metric_name", Types.StringType.get()),
          Types.NestedField.optional(10, "metric", Types.DoubleType.get()),
          Types.NestedField.required(11, "threshold", Types.StringType.get()),
          Types.NestedField.required(12, "status", Types.StringType.get()),
          Types.NestedField.required(13, "source", Types.StringType.get()),
          Types.NestedField.required(14, "failing_rows", Types.LongType.get()),
          Types.NestedField.optional(15, "message", Types.StringType.get()),
          Types.NestedField.required(16, "published", Types.BooleanType.get()));

  static final Schema STATES =
      new Schema(
          Types.NestedField.required(1, "table_name", Types.StringType.get()),
          Types.NestedField.required(2, "snapshot_id", Types.LongType.get()),
          Types.NestedField.required(3, "analyzer", Types.StringType.get()),
          Types.NestedField.required(4, "state", Types.BinaryType.get()),
          Types.NestedField.required(5, "saved_at", Types.TimestampType.withZone()));

  private final Catalog catalog;
  private final TableRef resultsRef;
  private final TableRef statesRef;

  IcebergResultStore(Catalog catalog, QualityConfig config) {
    this.catalog = catalog;
    this.resultsRef = config.resultsTable();
    this.statesRef = config.statesTable();
  }

  @Override
  public void record(Verdict verdict, boolean published) {
    Table table = table(resultsRef, RESULTS);
    OffsetDateTime at = verdict.evaluatedAt().atOffset(ZoneOffset.UTC);
    List<Record> rows = new ArrayList<>();
    for (CheckResult result : verdict.results()) {
      GenericRecord row = GenericRecord.create(RESULTS);
      row.setField("evaluated_at", at);
      row.setField("table_name", verdict.table().toString());
      row.setField("snapshot_id", verdict.snapshotId());
      row.setField("ref", verdict.ref().orElse(null));
      row.setField("suite_hash", verdict.suiteHash());
      row.setField("check_name", result.check().name());
      row.setField("check_type", result.check().type().key());
      row.setField("severity", result.check().severity().name().toLowerCase(java.util.Locale.ROOT));
      row.setField("metric_name", result.metricName());
      row.setField(
          "metric",
          result.metric().isPresent() && Double.isFinite(result.metric().getAsDouble())
              ? result.metric().getAsDouble()
              : null);
      row.setField("threshold", result.threshold());
      row.setField("status", result.status().name());
      row.setField("source", result.source().name());
      row.setField("failing_rows", result.failingRows());
      row.setField("message", result.message());
      row.setField("published", published);
      rows.add(row);
    }
    append(table, RESULTS, rows);
  }

  @Override
  public List<Double> publishedValues(TableRef tableRef, String metricName, int limit) {
    Table table = existing(resultsRef);
    if (table == null || table.currentSnapshot() == null) {
      return List.of();
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(table)
            .where(
                Expressions.and(
                    Expressions.equal("table_name", tableRef.toString()),
                    Expressions.and(
                        Expressions.equal("metric_name", metricName),
                        Expressions.equal("published", true))))
            .build()) {
      for (Record row : read) {
        if (row.getField("metric") != null) {
          rows.add(row.copy());
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(
        Comparator.comparing((Record r) -> (OffsetDateTime) r.getField("evaluated_at")).reversed());
    Set<Long> seen = new HashSet<>();
    List<Double> values = new ArrayList<>();
    for (Record row : rows) {
      if (seen.add((Long) row.getField("snapshot_id")) && values.size() < limit) {
        values.add((Double) row.getField("metric"));
      }
    }
    return values;
  }

  @Override
  public Map<String, byte[]> states(TableRef tableRef, long snapshotId) {
    Map<String, byte[]> states = new LinkedHashMap<>();
    Table table = existing(statesRef);
    if (table == null || table.currentSnapshot() == null) {
      return states;
    }
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(table)
            .where(
                Expressions.and(
                    Expressions.equal("table_name", tableRef.toString()),
                    Expressions.equal("snapshot_id", snapshotId)))
            .build()) {
      for (Record row : read) {
        ByteBuffer buffer = (ByteBuffer) row.getField("state");
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        states.put((String) row.getField("analyzer"), bytes);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return states;
  }

  @Override
  public List<Long> snapshotsWithStates(TableRef tableRef) {
    Table table = existing(statesRef);
    if (table == null || table.currentSnapshot() == null) {
      return List.of();
    }
    Set<Long> ids = new HashSet<>();
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(table)
            .select("table_name", "snapshot_id")
            .where(Expressions.equal("table_name", tableRef.toString()))
            .build()) {
      for (Record row : read) {
        ids.add((Long) row.getField("snapshot_id"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return List.copyOf(ids);
  }

  @Override
  public void saveStates(TableRef tableRef, long snapshotId, Map<String, byte[]> states) {
    Table table = table(statesRef, STATES);
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<Record> rows = new ArrayList<>();
    states.forEach(
        (analyzer, bytes) -> {
          GenericRecord row = GenericRecord.create(STATES);
          row.setField("table_name", tableRef.toString());
          row.setField("snapshot_id", snapshotId);
          row.setField("analyzer", analyzer);
          row.setField("state", ByteBuffer.wrap(bytes));
          row.setField("saved_at", now);
          rows.add(row);
        });
    append(table, STATES, rows);
  }

  private Table existing(TableRef ref) {
    try {
      return catalog.loadTable(ref.toIdentifier());
    } catch (NoSuchTableException e) {
      return null;
    }
  }

  private Table table(TableRef ref, Schema schema) {
    Table existing = existing(ref);
    if (existing != null) {
      return existing;
    }
    if (catalog instanceof SupportsNamespaces namespaces) {
      Namespace namespace = Namespace.of(ref.namespace());
      if (!namespaces.namespaceExists(namespace)) {
        try {
          namespaces.createNamespace(namespace);
        } catch (AlreadyExistsException raced) {
          // another evaluation created it first
        }
      }
    }
    try {
      return catalog.createTable(ref.toIdentifier(), schema, PartitionSpec.unpartitioned());
    } catch (AlreadyExistsException raced) {
      return catalog.loadTable(ref.toIdentifier());
    }
  }

  private static void append(Table table, Schema schema, List<Record> rows) {
    if (rows.isEmpty()) {
      return;
    }
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer;
    try {
      writer =
          Parquet.writeData(table.io().newOutputFile(location))
              .schema(schema)
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(PartitionSpec.unpartitioned())
              .overwrite()
              .build();
      try (DataWriter<Record> open = writer) {
        rows.forEach(open::write);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    DataFile file = writer.toDataFile();
    table.newFastAppend().appendFile(file).commit();
  }
}
