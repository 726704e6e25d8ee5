package io.floe.quality;

import io.floe.catalog.LogTables;
import io.floe.catalog.ManifestScan;
import io.floe.catalog.Namespaces;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotFoundException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.DateTimeUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metric history in an Iceberg table (by default {@code floe_quality.results}), queryable from
 * Trino like any other table: one row per check per evaluation.
 *
 * <p>Incremental states are not rows: each audited snapshot's states are one small file ({@link
 * StateBlob}) under the location of the states table (by default {@code floe_quality.states}, which
 * owns that location), at a path computed from the table and snapshot id. Looking up an ancestor's
 * states is one read and saving them one write, where a table would cost a scan of every stored
 * state and a commit per evaluation.
 */
final class IcebergResultStore implements ResultStore {
  private static final Logger LOG = LoggerFactory.getLogger(IcebergResultStore.class);
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

  /**
   * The history is partitioned by the checked table: an anomaly check reads only its own table's
   * rows, however many tables the history holds (at 100 tables checked every 5 minutes it grows by
   * about 100M rows a year).
   */
  static final PartitionSpec RESULTS_SPEC =
      PartitionSpec.builderFor(RESULTS).identity("table_name").build();

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
  private Table statesTable;
  private CompletableFuture<Table> preloadedStates;
  private CompletableFuture<Table> preloadedResults;

  /** Where the history's manifests are read in parallel: the evaluation's pool, once given. */
  private volatile Executor planner = Runnable::run;

  IcebergResultStore(Catalog catalog, QualityConfig config) {
    this.catalog = catalog;
    this.resultsRef = config.resultsTable();
    this.statesRef = config.statesTable();
  }

  /** Starts loading the states table, so it overlaps with loading the checked table. */
  @Override
  public void preloadStates(Executor executor) {
    if (preloadedStates == null && statesTable == null) {
      preloadedStates = CompletableFuture.supplyAsync(() -> existing(statesRef), executor);
    }
  }

  /**
   * Starts loading the results table and its manifest list, which the append reads, so both overlap
   * with the evaluation (a refresh that finds the table unchanged keeps the loaded snapshot, with
   * its manifests).
   */
  @Override
  public void preloadHistory(Executor executor) {
    planner = executor;
    if (preloadedResults == null) {
      preloadedResults =
          CompletableFuture.supplyAsync(
              () -> {
                Table table = existing(resultsRef);
                if (table != null && table.currentSnapshot() != null) {
                  table.currentSnapshot().allManifests(table.io());
                }
                return table;
              },
              executor);
    }
  }

  @Override
  public void record(Verdict verdict, boolean published) {
    Table table = resultsTable();
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
      row.setField("severity", result.check().severity().key());
      row.setField("metric_name", result.metricName());
      row.setField("metric", result.finiteMetric());
      row.setField("threshold", result.threshold());
      row.setField("status", result.status().name());
      row.setField("source", result.source().name());
      row.setField("failing_rows", result.failingRows());
      row.setField("message", result.message());
      row.setField("published", published);
      rows.add(row);
    }
    append(table, rows);
  }

  /**
   * Reads the history newest file first, and stops once no file left can hold one of the last
   * {@code limit} publishes: each evaluation appends one file, so an anomaly check reads about
   * {@code limit} files, not one per publish ever made.
   */
  @Override
  public List<Double> publishedValues(TableRef tableRef, String metricName, int limit) {
    Table preloaded = preloadedResults == null ? null : await(preloadedResults);
    Table table = preloaded != null ? preloaded : existing(resultsRef);
    if (table == null || table.currentSnapshot() == null || limit <= 0) {
      return List.of();
    }
    String tableName = tableRef.toString();
    Expression published =
        Expressions.and(
            Expressions.equal("table_name", tableName),
            Expressions.and(
                Expressions.equal("metric_name", metricName),
                Expressions.equal("published", true)));
    List<FileScanTask> tasks =
        new ArrayList<>(
            ManifestScan.tasks(
                table, table.currentSnapshot(), published, List.of("evaluated_at"), planner));
    tasks.sort(Comparator.comparingLong(IcebergResultStore::latestEvaluation).reversed());
    Schema projection = table.schema().select(HISTORY_COLUMNS);
    // each snapshot's newest published value, as (evaluated at, value)
    Map<Long, long[]> newest = new HashMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      FileScanTask task = tasks.get(i);
      try (CloseableIterable<Record> rows = RecordFiles.taskRows(table, task, projection)) {
        for (Record row : rows) {
          Double metric = (Double) row.getField("metric");
          if (metric == null
              || !tableName.equals(row.getField("table_name"))
              || !metricName.equals(row.getField("metric_name"))
              || !Boolean.TRUE.equals(row.getField("published"))) {
            continue;
          }
          long at =
              DateTimeUtil.microsFromTimestamptz((OffsetDateTime) row.getField("evaluated_at"));
          long[] kept = newest.get((Long) row.getField("snapshot_id"));
          if (kept == null) {
            newest.put(
                (Long) row.getField("snapshot_id"),
                new long[] {at, Double.doubleToLongBits(metric)});
          } else if (at > kept[0]) {
            kept[0] = at;
            kept[1] = Double.doubleToLongBits(metric);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      // the files left hold nothing newer than the next one's latest evaluation: once that many
      // snapshots were published after it, they are the last ones
      long next = i + 1 < tasks.size() ? latestEvaluation(tasks.get(i + 1)) : Long.MIN_VALUE;
      if (next != Long.MAX_VALUE // a next file without bounds is read whatever was found
          && newest.values().stream().filter(kept -> kept[0] > next).count() >= limit) {
        break;
      }
    }
    return newest.values().stream()
        .sorted(Comparator.comparingLong((long[] kept) -> kept[0]).reversed())
        .limit(limit)
        .map(kept -> Double.longBitsToDouble(kept[1]))
        .toList();
  }

  /** The columns the history's published values are read from. */
  private static final List<String> HISTORY_COLUMNS =
      List.of("evaluated_at", "table_name", "snapshot_id", "metric_name", "metric", "published");

  /** The latest evaluation a history file holds, in microseconds; unknown: the latest possible. */
  private static long latestEvaluation(FileScanTask task) {
    Map<Integer, ByteBuffer> upper = task.file().upperBounds();
    ByteBuffer bound =
        upper == null ? null : upper.get(RESULTS.findField("evaluated_at").fieldId());
    return bound == null
        ? Long.MAX_VALUE
        : Conversions.<Long>fromByteBuffer(Types.TimestampType.withZone(), bound);
  }

  @Override
  public Map<String, byte[]> states(TableRef tableRef, long snapshotId) {
    Table table = statesTable(false);
    if (table == null) {
      return Map.of();
    }
    byte[] bytes;
    try (InputStream in =
        table.io().newInputFile(statesPath(table, tableRef, snapshotId)).newStream()) {
      bytes = in.readAllBytes();
    } catch (NotFoundException | FileNotFoundException missing) {
      return Map.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Optional<Map<String, byte[]>> states = StateBlob.decode(bytes, tableRef, snapshotId);
    if (states.isEmpty()) {
      LOG.warn(
          "ignoring unreadable stored states {} (evaluating in full instead)",
          statesPath(table, tableRef, snapshotId));
    }
    return states.orElse(Map.of());
  }

  @Override
  public void saveStates(TableRef tableRef, long snapshotId, Map<String, byte[]> states) {
    Table table = statesTable(true);
    byte[] bytes = StateBlob.encode(tableRef, snapshotId, states);
    try (PositionOutputStream out =
        table.io().newOutputFile(statesPath(table, tableRef, snapshotId)).createOrOverwrite()) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public int pruneStates(TableRef tableRef, Set<Long> live, Instant writtenBefore) {
    Table table = statesTable(false);
    if (table == null || !(table.io() instanceof SupportsPrefixOperations listing)) {
      return 0;
    }
    String directory = statesDirectory(table, tableRef) + "/";
    List<String> expired = new ArrayList<>();
    for (FileInfo file : listing.listPrefix(directory)) {
      String name = file.location().substring(file.location().lastIndexOf('/') + 1);
      OptionalLong snapshotId = snapshotIdOf(name);
      // another table's directory shares the prefix only when names nest; ids are the file names
      if (snapshotId.isEmpty()
          || !file.location().equals(directory + name)
          || live.contains(snapshotId.getAsLong())
          || file.createdAtMillis() >= writtenBefore.toEpochMilli()) {
        continue;
      }
      expired.add(file.location());
    }
    if (table.io() instanceof SupportsBulkOperations bulk) {
      // one request per batch on S3, where one per file would cost a round trip each
      bulk.deleteFiles(expired);
    } else {
      expired.forEach(table.io()::deleteFile);
    }
    return expired.size();
  }

  /** The snapshot id of a states file's name ({@code <id>.states}); empty for any other name. */
  static OptionalLong snapshotIdOf(String fileName) {
    if (!fileName.endsWith(STATES_SUFFIX)) {
      return OptionalLong.empty();
    }
    try {
      return OptionalLong.of(
          Long.parseLong(fileName.substring(0, fileName.length() - STATES_SUFFIX.length())));
    } catch (NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  private static final String STATES_SUFFIX = ".states";

  /**
   * One file per audited snapshot at a path computed from the snapshot id, so an incremental check
   * finds its base with one read per ancestor probed: no table scan, and saving needs no commit.
   * The files sit beside the states table's location, not in it: they are not in its metadata, so
   * orphan-file removal of that table would otherwise take them.
   */
  static String statesPath(Table states, TableRef tableRef, long snapshotId) {
    return statesDirectory(states, tableRef) + "/" + snapshotId + STATES_SUFFIX;
  }

  private static String statesDirectory(Table states, TableRef tableRef) {
    return "%s/%s/%s"
        .formatted(statesRoot(states.location()), tableRef.namespace(), tableRef.name());
  }

  static final String STATES_DIRECTORY = ".floe-quality-states";

  /**
   * {@code <parent of the table location>/.floe-quality-states}, e.g. beside the namespace's
   * tables.
   */
  static String statesRoot(String tableLocation) {
    String location = tableLocation.replaceAll("/+$", "");
    int scheme = location.indexOf("://");
    // the parent must not cut into the scheme or the bucket
    int minimum = scheme < 0 ? location.indexOf(':') + 1 : location.indexOf('/', scheme + 3);
    int parent = location.lastIndexOf('/');
    if (minimum < 0 || parent < minimum) {
      // no parent directory below the bucket: keep them inside the table's location
      return location + "/" + STATES_DIRECTORY;
    }
    return location.substring(0, parent) + "/" + STATES_DIRECTORY;
  }

  private synchronized Table statesTable(boolean create) {
    if (statesTable == null && preloadedStates != null) {
      statesTable = await(preloadedStates);
      preloadedStates = null;
    }
    if (statesTable == null) {
      statesTable =
          create
              ? table(statesRef, STATES, PartitionSpec.unpartitioned(), Map.of())
              : existing(statesRef);
    }
    return statesTable;
  }

  private Table resultsTable() {
    Table preloaded = preloadedResults == null ? null : await(preloadedResults);
    // a results table created by an earlier Floe gets the log-table properties and the partition
    // spec once
    return LogTables.adopt(
        preloaded != null
            ? preloaded
            : table(resultsRef, RESULTS, RESULTS_SPEC, LogTables.creationProperties(Map.of())),
        RESULTS,
        RESULTS_SPEC,
        Map.of(),
        QualityConfig.SECTION + "." + QualityConfig.RESULTS_TABLE);
  }

  /** The preloaded table; a failed preload is retried by the caller loading it again. */
  private static Table await(CompletableFuture<Table> preload) {
    try {
      return preload.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while loading a quality table", e);
    } catch (ExecutionException e) {
      LOG.debug("preloading failed; loading again", e.getCause());
      return null;
    }
  }

  private Table existing(TableRef ref) {
    try {
      return catalog.loadTable(ref.toIdentifier());
    } catch (NoSuchTableException e) {
      return null;
    }
  }

  private Table table(
      TableRef ref, Schema schema, PartitionSpec spec, Map<String, String> properties) {
    Table existing = existing(ref);
    if (existing != null) {
      return existing;
    }
    Namespaces.createFor(catalog, ref);
    try {
      return catalog.createTable(ref.toIdentifier(), schema, spec, properties);
    } catch (AlreadyExistsException raced) {
      return catalog.loadTable(ref.toIdentifier());
    }
  }

  /** Appends one evaluation's rows: one checked table, so one partition and one file. */
  private static void append(Table table, List<Record> rows) {
    if (rows.isEmpty()) {
      return;
    }
    // every evaluation adds a manifest; reading the history (anomaly checks) would otherwise open
    // one per evaluation ever made, so they are merged once enough of them pile up
    RecordFiles.appendToLog(table, rows);
  }
}
