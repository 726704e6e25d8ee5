package io.floe.bench.quality;

import io.floe.catalog.ParquetStreams;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.quality.CheckResult;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.SuiteSuggestion;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PrimitiveIterator;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.EqualityDeleteWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * The quality gate against the floor, side by side in one run, on a local file-system warehouse
 * (Iceberg's HadoopCatalog; no network): a 10-check suite versus a bare loop reading the same
 * columns with the same Parquet reader, files opened the same way, and threads; metadata-only
 * checks; incremental after a 1% append versus full, after a 1% copy-on-write update (the appended
 * files replaced by a rewrite of their rows) versus full, and after a 1% merge-on-read update
 * (their rows deleted by position and written again) versus full, and after upserts of 1% of the
 * keys (deleted by value and written again) versus full.
 *
 * <p>Usage: {@code QualityBenchmark <warehouse dir> <rows> <files> [<metadata rows> [<rounds>]]}
 * (rounds of a 1% append followed by an incremental and a full check, default 10); with {@code
 * verdict <warehouse dir> <table>} it only evaluates an existing table and prints the time from
 * process start to verdict.
 */
public final class QualityBenchmark {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "buyer_id", Types.LongType.get()),
          Types.NestedField.optional(3, "status", Types.StringType.get()),
          Types.NestedField.optional(4, "revenue", Types.DoubleType.get()),
          Types.NestedField.optional(5, "quantity", Types.IntegerType.get()),
          Types.NestedField.optional(6, "order_ts", Types.TimestampType.withZone()));
  static final List<String> COLUMNS =
      List.of("order_id", "buyer_id", "status", "revenue", "quantity");
  static final String[] STATUSES = {"placed", "paid", "shipped", "delivered"};

  static final int WARMUPS = Integer.getInteger("warmups", 3);

  /**
   * Incremental checks made on a separate table before the incremental ones are timed ({@link
   * #warmIncremental}).
   */
  static final int INCREMENTAL_WARMUPS = Integer.getInteger("incrementalWarmups", 60);

  private QualityBenchmark() {}

  public static void main(String[] args) throws Exception {
    if (args[0].equals("verdict")) {
      HadoopCatalog catalog = catalog(Path.of(args[1]));
      TableRef ref = TableRef.parse(args[2]);
      long before = ManagementFactory.getRuntimeMXBean().getUptime();
      Verdict verdict =
          QualityGate.check(catalog, ref).suite(suite(ref)).config(config()).execute();
      System.out.printf(
          "process start to verdict (%s, %d checks, passed=%s): %d ms (JVM start and catalog open %d ms)%n",
          ref,
          verdict.results().size(),
          verdict.passed(),
          ManagementFactory.getRuntimeMXBean().getUptime(),
          before);
      verdict
          .results()
          .forEach(r -> System.out.printf("  %-30s %s%n", r.check().name(), r.source()));
      return;
    }
    Path warehouse = Path.of(args[0]);
    long rows = Long.parseLong(args[1]);
    int files = Integer.parseInt(args[2]);
    long metadataRows = args.length > 3 ? Long.parseLong(args[3]) : 100_000_000L;
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 10;
    HadoopCatalog catalog = catalog(warehouse);
    benchNamespace(catalog);
    TableRef ref = new TableRef("bench", "facts_" + rows + "_" + files);
    Table table = catalog.createTable(ref.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    long start = System.nanoTime();
    generate(table, 0, rows, files);
    System.out.printf("generated %,d rows in %d files in %.1f s%n", rows, files, seconds(start));

    Suite suite = suite(ref);
    int threads = config().threads();
    // warm up the JIT on both paths so the comparison is of steady state
    for (int i = 0; i < WARMUPS; i++) {
      floor(table, threads);
      QualityGate.check(catalog, ref).suite(suite).config(config()).execute();
    }

    // floor and check back to back, five times: the best of each, and the median of the
    // per-round ratios, which a slower stretch of the machine moves less
    List<double[]> floorPairs = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      double once = timeOnce(() -> floor(table, threads));
      double[] timed = timedCheck(catalog, ref, suite, false);
      floorPairs.add(new double[] {timed[0], timed[1], once, once});
    }
    double floor = best(floorPairs, 2);
    double fullToVerdict = best(floorPairs, 0);
    double full = best(floorPairs, 1);
    System.out.printf(
        "floor (bare Parquet read of %s, %d threads): %.3f s%n", COLUMNS, threads, floor);
    System.out.printf(
        "10-check suite, full, to verdict:           %.3f s  (%.2fx floor; median of per-round ratios %.2fx)%n",
        fullToVerdict, fullToVerdict / floor, medianRatio(floorPairs, 0, 2));
    System.out.printf(
        "10-check suite, full, with history commit:  %.3f s  (%.2fx floor; median of per-round ratios %.2fx)%n",
        full, full / floor, medianRatio(floorPairs, 1, 3));

    // a drafted suite: one profiling read of every column, then the draft evaluated once
    SuiteSuggestion.Suggestion drafted =
        SuiteSuggestion.suggest(catalog, ref, Optional.empty(), config());
    double suggest = best(() -> SuiteSuggestion.suggest(catalog, ref, Optional.empty(), config()));
    System.out.printf(
        "suggest (profile, then evaluate the %d-check draft): %.3f s (%.2fx the 10-check suite to verdict); rejected %s%n",
        drafted.suite().checks().size(), suggest, suggest / fullToVerdict, drafted.rejected());

    Suite metadataSuite = metadataSuite(ref);
    double metadata =
        best(() -> QualityGate.check(catalog, ref).suite(metadataSuite).config(config()).execute());
    Verdict metadataVerdict =
        QualityGate.check(catalog, ref).suite(metadataSuite).config(config()).execute();
    System.out.printf(
        "metadata-only checks on %,d rows: %.3f s, sources %s%n",
        rows,
        metadata,
        metadataVerdict.results().stream().map(r -> r.source().name()).distinct().toList());

    // incremental: store states at this snapshot, then per round append 1% and time an
    // incremental check and a full check of that same snapshot back to back, so each pair sees the
    // same table and the same machine load; "to verdict" stops when the verdict is known, before
    // the metric history commit that every evaluation (full or incremental) makes, which the total
    // includes
    warmIncremental(catalog, INCREMENTAL_WARMUPS);
    QualityGate.check(catalog, ref).suite(suite).config(config()).incremental().execute();
    List<double[]> pairs = new ArrayList<>();
    long appended = rows;
    for (int i = 0; i < rounds; i++) {
      generate(table, appended, Math.max(1, rows / 100), Math.max(1, files / 100));
      appended += Math.max(1, rows / 100);
      double[] incremental = timedCheck(catalog, ref, suite, true);
      double[] whole = timedCheck(catalog, ref, suite, false);
      pairs.add(new double[] {incremental[0], incremental[1], whole[0], whole[1]});
    }
    generate(table, appended, Math.max(1, rows / 100), Math.max(1, files / 100));
    Verdict incrementalVerdict =
        QualityGate.check(catalog, ref).suite(suite).config(config()).incremental().execute();
    System.out.printf(
        "incremental sources: %s%n",
        incrementalVerdict.results().stream()
            .map(r -> r.check().name() + "=" + r.source())
            .toList());
    Verdict inc = QualityGate.check(catalog, ref).suite(suite).config(config()).execute();
    System.out.printf(
        "after a 1%% append, %d incremental checks of another table made first to warm the JIT:%n",
        INCREMENTAL_WARMUPS);
    System.out.printf(
        "after a 1%% append, to verdict (best of %d rounds): incremental %.3f s vs full %.3f s (%.1f%% of full; median of per-round ratios %.1f%%)%n",
        rounds,
        best(pairs, 0),
        best(pairs, 2),
        100 * best(pairs, 0) / best(pairs, 2),
        100 * medianRatio(pairs, 0, 2));
    System.out.printf(
        "after a 1%% append, with the history commit: incremental %.3f s vs full %.3f s (%.1f%% of full; median of per-round ratios %.1f%%); full verdict passed=%s, incremental passed=%s%n",
        best(pairs, 1),
        best(pairs, 3),
        100 * best(pairs, 1) / best(pairs, 3),
        100 * medianRatio(pairs, 1, 3),
        inc.passed(),
        incrementalVerdict.passed());

    // copy-on-write updates: per round, the file of the last 1% append (then of the last update)
    // is replaced by a rewrite of its rows (an UPDATE as Spark writes it by default)
    long updated = appended;
    changeRounds(
        catalog,
        ref,
        suite,
        rounds,
        "copy-on-write update",
        () -> update(table, updated, rows, files));
    // merge-on-read updates: per round, every row of the last update's file is deleted by
    // position (one position delete file) and written again into a new file, as Spark's UPDATE
    // writes it with write.update.mode=merge-on-read
    changeRounds(
        catalog,
        ref,
        suite,
        rounds,
        "merge-on-read update",
        () -> updateByPosition(table, updated, rows, files));

    // copy-on-write updates of a table whose every file spans the whole key range (as random or
    // interleaved keys lay out): per round, the rows of one of its 100 files rewritten, keys kept
    TableRef spreadRef = new TableRef("bench", "spread_" + rows);
    Table spread =
        catalog.createTable(spreadRef.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    int spreadFiles = 100;
    List<DataFile> current = interleaved(spread, rows, spreadFiles, 0, spreadFiles);
    AppendFiles spreadAppend = spread.newFastAppend();
    current.forEach(spreadAppend::appendFile);
    spreadAppend.commit();
    Suite spreadSuite = suite(spreadRef);
    QualityGate.check(catalog, spreadRef)
        .suite(spreadSuite)
        .config(config())
        .incremental()
        .execute();
    int[] round = {0};
    changeRounds(
        catalog,
        spreadRef,
        spreadSuite,
        rounds,
        "copy-on-write update of a file whose keys span the table",
        () -> {
          int file = round[0]++ % spreadFiles;
          DataFile rewritten = interleaved(spread, rows, spreadFiles, file, file + 1).get(0);
          spread.newOverwrite().deleteFile(current.get(file)).addFile(rewritten).commit();
          current.set(file, rewritten);
        });

    // upserts as Flink and Kafka Connect write them: per round, 1% of the table's keys (a window
    // of the last of its files, a new one each round, as change data of recent orders) deleted by
    // value (one equality delete file on order_id) and written again, in one row delta
    TableRef upsertRef = new TableRef("bench", "upsert_" + rows);
    Table upserted =
        catalog.createTable(upsertRef.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    generate(upserted, 0, rows, files);
    Suite upsertSuite = suite(upsertRef);
    QualityGate.check(catalog, upsertRef)
        .suite(upsertSuite)
        .config(config())
        .incremental()
        .execute();
    long window = Math.max(1, rows / 100);
    int windows = Math.max(1, 100 / Math.max(1, files)); // the 1% windows of the last file
    int[] upserts = {0};
    changeRounds(
        catalog,
        upsertRef,
        upsertSuite,
        rounds,
        "upsert by equality deletes",
        () -> upsert(upserted, rows - window * (1 + upserts[0]++ % windows), window));
    // and of new keys, as an upsert-mode sink writes inserts: the deletes of their keys apply to
    // no file there was
    long[] next = {rows};
    changeRounds(
        catalog,
        upsertRef,
        upsertSuite,
        rounds,
        "upsert of new keys",
        () -> {
          upsert(upserted, next[0], window);
          next[0] += window;
        });

    // an upsert after a compaction, as maintenance between a sink's commits makes one: per round
    // the files the upserts changed (the last of the first files and those the upserts wrote)
    // rewritten into one with their deletes applied, the equality deletes dropped (no row is left
    // that they delete), then an upsert of 1% of the keys, within the rewritten file
    long lastStart = rows - rows / files;
    int[] compactions = {0};
    changeRounds(
        catalog,
        upsertRef,
        upsertSuite,
        rounds,
        "upsert after a compaction that dropped the equality deletes",
        () -> {
          compactFrom(upserted, lastStart);
          upsert(upserted, rows - window * (1 + compactions[0]++ % windows), window);
        });

    TableRef fabricated = new TableRef("bench", "metadata_" + metadataRows);
    Table big =
        catalog.createTable(fabricated.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    fabricate(big, metadataRows, 1000);
    Suite bigSuite = metadataSuite(fabricated);
    QualityGate.check(catalog, fabricated).suite(bigSuite).config(config()).execute();
    double bigTime =
        best(
            () ->
                QualityGate.check(catalog, fabricated).suite(bigSuite).config(config()).execute());
    Verdict bigVerdict =
        QualityGate.check(catalog, fabricated).suite(bigSuite).config(config()).execute();
    System.out.printf(
        "metadata-only checks on %,d fabricated rows (1000 manifest entries): %.3f s, passed=%s, sources %s%n",
        metadataRows,
        bigTime,
        bigVerdict.passed(),
        bigVerdict.results().stream().map(CheckResult::source).distinct().toList());
  }

  /**
   * {@code rounds} rounds of {@code change}, each followed by an incremental and a full check of
   * the snapshot it made, back to back; then the ratios, and the basis and sources of one more
   * round's incremental check.
   */
  private static void changeRounds(
      HadoopCatalog catalog, TableRef ref, Suite suite, int rounds, String what, Change change)
      throws Exception {
    List<double[]> pairs = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      change.make();
      double[] incremental = timedCheck(catalog, ref, suite, true);
      double[] whole = timedCheck(catalog, ref, suite, false);
      pairs.add(new double[] {incremental[0], incremental[1], whole[0], whole[1]});
    }
    change.make();
    Verdict after =
        QualityGate.check(catalog, ref).suite(suite).config(config()).incremental().execute();
    System.out.printf(
        "after a 1%% %s (%s): to verdict incremental %.3f s vs full %.3f s (%.1f%% of full; median %.1f%%); with the history commit %.3f s vs %.3f s (%.1f%%; median %.1f%%); sources %s%n",
        what,
        after.basis(),
        best(pairs, 0),
        best(pairs, 2),
        100 * best(pairs, 0) / best(pairs, 2),
        100 * medianRatio(pairs, 0, 2),
        best(pairs, 1),
        best(pairs, 3),
        100 * best(pairs, 1) / best(pairs, 3),
        100 * medianRatio(pairs, 1, 3),
        after.results().stream().map(r -> r.check().name() + "=" + r.source()).toList());
  }

  /**
   * Warms the JIT on the incremental path as the warm-ups above do on the full one, so the two are
   * compared in steady state. A full check's per-row code is compiled within its first file. What
   * an evaluation runs once (loading its tables, finding the base, the history commit) is compiled
   * only after some tens of evaluations, and before then runs interpreted. That is most of an
   * incremental check's time. A separate table of 100,000 rows in 4 files takes {@code rounds}
   * rounds of a 1% append, then an incremental and a full check, so the measured table is
   * unchanged. Its evaluations add to the metric history, as a day of checks would.
   */
  static void warmIncremental(HadoopCatalog catalog, int rounds) throws Exception {
    if (rounds == 0) {
      return;
    }
    TableRef ref = new TableRef("bench", "incremental_warmup");
    Table table = catalog.createTable(ref.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    long rows = 100_000;
    generate(table, 0, rows, 4);
    long appended = rows;
    Suite suite = suite(ref);
    QualityGate.check(catalog, ref).suite(suite).config(config()).incremental().execute();
    for (int i = 0; i < rounds; i++) {
      generate(table, appended, rows / 100, 1);
      appended += rows / 100;
      QualityGate.check(catalog, ref).suite(suite).config(config()).incremental().execute();
      QualityGate.check(catalog, ref).suite(suite).config(config()).execute();
    }
  }

  /**
   * Set to {@code true} to keep Hadoop's own local file system (a forked {@code chmod} and a {@code
   * .crc} file per created file) and FileIO (batch deletes waited for in 10 ms sleeps) instead of
   * {@link LocalWarehouseFileSystem} and {@link LocalWarehouseFileIO}.
   */
  static final String HADOOP_LOCAL_FS = "bench.hadoop-local-fs";

  static QualityConfig config() {
    return QualityConfig.DEFAULT.withReports(false);
  }

  /** {@link #config}, with {@code -Dbench.keyMemory=<bytes>} as its key memory when set. */
  static QualityConfig keyMemoryConfig() {
    Long keyMemory = Long.getLong("bench.keyMemory");
    return keyMemory == null ? config() : config().withKeyMemory(keyMemory);
  }

  /** Creates the {@code bench} namespace the benchmarks' tables live in, unless it exists. */
  static void benchNamespace(HadoopCatalog catalog) {
    if (!catalog.namespaceExists(Namespace.of("bench"))) {
      catalog.createNamespace(Namespace.of("bench"));
    }
  }

  static HadoopCatalog catalog(Path warehouse) throws IOException {
    Files.createDirectories(warehouse);
    HadoopCatalog catalog = new HadoopCatalog();
    Configuration conf = new Configuration();
    Map<String, String> properties =
        new HashMap<>(Map.of("warehouse", warehouse.toAbsolutePath().toUri().toString()));
    if (!Boolean.getBoolean(HADOOP_LOCAL_FS)) {
      conf.set("fs.file.impl", LocalWarehouseFileSystem.class.getName());
      conf.setBoolean("fs.file.impl.disable.cache", true);
      properties.put(CatalogProperties.FILE_IO_IMPL, LocalWarehouseFileIO.class.getName());
    }
    catalog.setConf(conf);
    catalog.initialize("bench", properties);
    return catalog;
  }

  static Suite suite(TableRef ref) {
    return Suites.parse(
        ref,
        ConfigNode.parse(
            "benchmark suite",
            """
            checks:
              - row-count: {min: 1}
              - not-null: [order_id, buyer_id]
              - unique: order_id
              - unique: [buyer_id, order_id]
              - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
              - predicate: {expression: revenue >= 0}
              - mean: {column: revenue, max: 100000}
              - max: {column: quantity, max: 100}
              - min: {column: quantity, min: 1}
            """,
            n -> null));
  }

  static Suite metadataSuite(TableRef ref) {
    return Suites.parse(
        ref,
        ConfigNode.parse(
            "metadata suite",
            """
            checks:
              - row-count: {min: 1}
              - not-null: [order_id, buyer_id]
              - max: {column: quantity, max: 100}
              - min: {column: quantity, min: 1}
              - predicate: {expression: order_id >= 0}
            """,
            n -> null));
  }

  static void generate(Table table, long first, long rows, int files) throws Exception {
    generate(table, first, rows, files, "main");
  }

  /** Appends {@code rows} rows from id {@code first} in {@code files} files to {@code branch}. */
  static void generate(Table table, long first, long rows, int files, String branch)
      throws Exception {
    AppendFiles append = table.newFastAppend().toBranch(branch);
    written(table, first, rows, files).forEach(append::appendFile);
    append.commit();
  }

  /**
   * A 1% copy-on-write update: the files the last commit added (1% of {@code rows} from id {@code
   * first}) replaced by a rewrite of the same rows, as Spark's default {@code UPDATE} writes it.
   */
  private static void update(Table table, long first, long rows, int files) throws Exception {
    table.refresh();
    List<DataFile> last = new ArrayList<>();
    table.currentSnapshot().addedDataFiles(table.io()).forEach(last::add);
    OverwriteFiles overwrite = table.newOverwrite();
    last.forEach(overwrite::deleteFile);
    written(table, first, Math.max(1, rows / 100), Math.max(1, files / 100))
        .forEach(overwrite::addFile);
    overwrite.commit();
  }

  /**
   * Deletes every row of the files the last snapshot added by position, one position delete file
   * per data file (as Spark writes them with {@code write.delete.granularity=file}), and writes the
   * 1% of rows from {@code first} again into new files, in one row delta: a merge-on-read update of
   * those rows.
   */
  private static void updateByPosition(Table table, long first, long rows, int files)
      throws Exception {
    table.refresh();
    RowDelta delta = table.newRowDelta().validateFromSnapshot(table.currentSnapshot().snapshotId());
    for (DataFile file : table.currentSnapshot().addedDataFiles(table.io())) {
      PositionDeleteWriter<Record> writer =
          Parquet.writeDeletes(
                  table
                      .io()
                      .newOutputFile(
                          table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet")))
              .withSpec(PartitionSpec.unpartitioned())
              // whole paths as the file's bounds, as Spark's writers keep them, so the file is
              // matched to the one data file it names rather than to every file
              .metricsConfig(MetricsConfig.forPositionDelete())
              .overwrite()
              .buildPositionWriter();
      PositionDelete<Record> delete = PositionDelete.create();
      try (writer) {
        for (long position = 0; position < file.recordCount(); position++) {
          writer.write(delete.set(file.location(), position));
        }
      }
      delta.addDeletes(writer.toDeleteFile());
    }
    written(table, first, Math.max(1, rows / 100), Math.max(1, files / 100))
        .forEach(delta::addRows);
    delta.commit();
  }

  /**
   * Deletes the rows of ids {@code first} to {@code first + rows} by value (one equality delete
   * file on {@code order_id}) and writes them again into a new file, in one row delta: an upsert of
   * those keys as Flink's and Kafka Connect's Iceberg sinks write one.
   */
  private static void upsert(Table table, long first, long rows) throws Exception {
    table.refresh();
    Schema keys = table.schema().select("order_id");
    EqualityDeleteWriter<Record> writer =
        Parquet.writeDeletes(
                table
                    .io()
                    .newOutputFile(
                        table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet")))
            .forTable(table)
            .withSpec(PartitionSpec.unpartitioned())
            .rowSchema(keys)
            .equalityFieldIds(keys.findField("order_id").fieldId())
            .createWriterFunc(GenericParquetWriter::create)
            .overwrite()
            .buildEqualityWriter();
    GenericRecord key = GenericRecord.create(keys);
    try (writer) {
      for (long id = first; id < first + rows; id++) {
        key.setField("order_id", id);
        writer.write(key);
      }
    }
    RowDelta delta =
        table
            .newRowDelta()
            .validateFromSnapshot(table.currentSnapshot().snapshotId())
            .addDeletes(writer.toDeleteFile());
    written(table, first, rows, 1).forEach(delta::addRows);
    delta.commit();
  }

  /**
   * Rewrites the data files whose orders start at {@code from} or later into one, with their
   * deletes applied, and drops every delete file of the table: a compaction, as a rewrite that
   * changes no row, when the deletes apply to no row of the other files.
   */
  private static void compactFrom(Table table, long from) throws Exception {
    table.refresh();
    long snapshot = table.currentSnapshot().snapshotId();
    List<DataFile> rewritten = new ArrayList<>();
    Map<String, DeleteFile> deletes = new HashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table.newScan().useSnapshot(snapshot).includeColumnStats().planFiles()) {
      for (FileScanTask task : tasks) {
        task.deletes().forEach(d -> deletes.put(d.location(), d));
        Long lower =
            Conversions.fromByteBuffer(
                Types.LongType.get(),
                task.file().lowerBounds().get(SCHEMA.findField("order_id").fieldId()));
        if (lower >= from) {
          rewritten.add(task.file());
        }
      }
    }
    List<Record> live = new ArrayList<>();
    try (CloseableIterable<Record> read =
        IcebergGenerics.read(table)
            .useSnapshot(snapshot)
            .where(Expressions.greaterThanOrEqual("order_id", from))
            .build()) {
      read.forEach(row -> live.add(row.copy()));
    }
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(snapshot);
    rewritten.forEach(rewrite::deleteFile);
    deletes.values().forEach(rewrite::deleteFile);
    RecordFiles.write(table, live, FileFormat.PARQUET).forEach(rewrite::addFile);
    rewrite.commit();
  }

  /**
   * Files {@code from} to {@code to} (exclusive) of {@code rows} rows from id 0 laid out in {@code
   * files} files by id modulo {@code files}, so each spans the whole id range; committing nothing.
   */
  static List<DataFile> interleaved(Table table, long rows, int files, int from, int to)
      throws Exception {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    List<DataFile> written = new ArrayList<>();
    for (int file = from; file < to; file++) {
      long first = file;
      written.add(
          writeIds(table, LongStream.iterate(first, id -> id < rows, id -> id + files), now));
    }
    return written;
  }

  /** One data file of the rows with {@code ids}, as the benchmark's generator fills them. */
  private static DataFile writeIds(Table table, LongStream ids, OffsetDateTime now)
      throws IOException {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(SCHEMA)
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(PartitionSpec.unpartitioned())
            .overwrite()
            .build();
    GenericRecord row = GenericRecord.create(SCHEMA);
    try (writer) {
      for (PrimitiveIterator.OfLong it = ids.iterator(); it.hasNext(); ) {
        long id = it.nextLong();
        row.setField("order_id", id);
        row.setField("buyer_id", id % 100_000);
        row.setField("status", STATUSES[(int) (id % 4)]);
        row.setField("revenue", (id % 10_000) / 3.0);
        row.setField("quantity", (int) (1 + id % 100));
        row.setField("order_ts", now.minusSeconds(id % 86_400));
        writer.write(row);
      }
    }
    return writer.toDataFile();
  }

  /** Writes {@code rows} rows from id {@code first} in {@code files} files, committing nothing. */
  static List<DataFile> written(Table table, long first, long rows, int files) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    List<Future<DataFile>> written = new ArrayList<>();
    long perFile = (rows + files - 1) / files;
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    for (long from = first; from < first + rows; from += perFile) {
      long begin = from;
      long end = Math.min(first + rows, from + perFile);
      written.add(pool.submit(() -> writeIds(table, LongStream.range(begin, end), now)));
    }
    List<DataFile> done = new ArrayList<>();
    for (Future<DataFile> file : written) {
      done.add(file.get());
    }
    pool.shutdown();
    return done;
  }

  /**
   * Appends manifest entries for files that do not exist, with full statistics: metadata-only
   * checks never open data files, so this measures planning and statistics at scale cheaply.
   */
  static void fabricate(Table table, long rows, int files) {
    AppendFiles append = table.newFastAppend();
    long perFile = rows / files;
    for (int i = 0; i < files; i++) {
      Map<Integer, Long> valueCounts = new HashMap<>();
      Map<Integer, Long> nullCounts = new HashMap<>();
      Map<Integer, ByteBuffer> lower = new HashMap<>();
      Map<Integer, ByteBuffer> upper = new HashMap<>();
      for (int id = 1; id <= 6; id++) {
        valueCounts.put(id, perFile);
        nullCounts.put(id, 0L);
      }
      lower.put(1, Conversions.toByteBuffer(Types.LongType.get(), (long) i * perFile));
      upper.put(1, Conversions.toByteBuffer(Types.LongType.get(), (long) (i + 1) * perFile - 1));
      lower.put(5, Conversions.toByteBuffer(Types.IntegerType.get(), 1));
      upper.put(5, Conversions.toByteBuffer(Types.IntegerType.get(), 100));
      append.appendFile(
          DataFiles.builder(PartitionSpec.unpartitioned())
              .withPath(table.location() + "/data/fabricated-" + i + ".parquet")
              .withFileSizeInBytes(perFile * 20)
              .withFormat("parquet")
              .withMetrics(new Metrics(perFile, null, valueCounts, nullCounts, null, lower, upper))
              .build());
    }
    append.commit();
  }

  static long floor(Table table, int threads) {
    Schema projection = SCHEMA.select(COLUMNS);
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      List<Future<Long>> sums = new ArrayList<>();
      for (FileScanTask task : tasks) {
        sums.add(
            pool.submit(
                () -> {
                  long touched = 0;
                  try (CloseableIterable<Record> rows =
                      Parquet.read(
                              ParquetStreams.withoutHadoopConfiguration(
                                  table.io().newInputFile(task.file())))
                          .project(projection)
                          .createReaderFunc(s -> GenericParquetReaders.buildReader(projection, s))
                          .reuseContainers()
                          .build()) {
                    for (Record row : rows) {
                      for (int i = 0; i < COLUMNS.size(); i++) {
                        if (row.get(i) != null) {
                          touched++;
                        }
                      }
                    }
                  }
                  return touched;
                }));
      }
      long total = 0;
      for (Future<Long> sum : sums) {
        total += sum.get();
      }
      return total;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdown();
    }
  }

  interface Work {
    Object run() throws Exception;
  }

  /** A change to a table that a round of checks follows. */
  interface Change {
    void make() throws Exception;
  }

  static double best(Work work) throws Exception {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      best = Math.min(best, timeOnce(work));
    }
    return best;
  }

  static double best(List<double[]> pairs, int column) {
    return pairs.stream().mapToDouble(p -> p[column]).min().orElseThrow();
  }

  static double medianRatio(List<double[]> pairs, int numerator, int denominator) {
    double[] ratios =
        pairs.stream().mapToDouble(p -> p[numerator] / p[denominator]).sorted().toArray();
    int middle = ratios.length / 2;
    return ratios.length % 2 == 1 ? ratios[middle] : (ratios[middle - 1] + ratios[middle]) / 2;
  }

  static double timeOnce(Work work) throws Exception {
    long start = System.nanoTime();
    work.run();
    return seconds(start);
  }

  /** Seconds to the verdict and to the end (the history commit included) of one check. */
  private static double[] timedCheck(
      HadoopCatalog catalog, TableRef ref, Suite suite, boolean incremental) {
    long[] verdictAt = new long[1];
    long start = System.nanoTime();
    QualityGate.CheckBuilder check =
        QualityGate.check(catalog, ref)
            .suite(suite)
            .config(config())
            .onVerdict(v -> verdictAt[0] = System.nanoTime());
    if (incremental) {
      runIncremental(check.incremental());
    } else {
      runFull(check);
    }
    return new double[] {(verdictAt[0] - start) / 1e9, seconds(start)};
  }

  // two methods, so a profile of the benchmark tells the incremental checks from the full ones
  private static void runIncremental(QualityGate.CheckBuilder check) {
    check.execute();
  }

  private static void runFull(QualityGate.CheckBuilder check) {
    check.execute();
  }

  static double seconds(long start) {
    return (System.nanoTime() - start) / 1e9;
  }
}
