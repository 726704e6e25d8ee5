package io.floe.quality;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.ManifestScan;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.Durations;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Supplier;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataOperations;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Evaluates a suite against one exact snapshot: plans the analyzers every check needs, computes
 * their states per file (metadata first, then a parallel column-projected scan), optionally merges
 * stored states of an audited ancestor with the files added since, and turns metrics into results.
 */
final class SnapshotAudit {
  private static final Logger LOG = LoggerFactory.getLogger(SnapshotAudit.class);

  private final Catalog catalog;
  private final Table table;
  private final TableRef ref;
  private final QualityConfig config;

  /**
   * The suite's columns that identify a failing row in a row-level check's samples; none: the
   * table's identifier fields, if any.
   */
  private final List<String> sampleColumns;

  private final ResultStore store;
  private final ExecutorService pool;
  private final Clock clock;
  private final Map<Long, Map<String, byte[]>> unsavedStates = new LinkedHashMap<>();

  /** The referenced column of each {@code references} analyzer, by the analyzer's key. */
  private final Map<String, ReferencedColumn> references = new HashMap<>();

  /** Why the referenced values of a {@code references} analyzer could not be read, by its key. */
  private final Map<String, String> unreadable = new HashMap<>();

  SnapshotAudit(
      Catalog catalog,
      Table table,
      TableRef ref,
      QualityConfig config,
      List<String> sampleColumns,
      ResultStore store,
      ExecutorService pool,
      Clock clock) {
    this.catalog = catalog;
    this.table = table;
    this.ref = ref;
    this.config = config;
    this.sampleColumns = List.copyOf(sampleColumns);
    this.store = store;
    this.pool = pool;
    this.clock = clock;
  }

  /** How the first computation went ({@link Verdict#basis}); null before it. */
  private String basis;

  /** Why {@link #incrementalBase} found none, when it did not. */
  private String noBase = "no snapshot in its history was audited";

  String basis() {
    return basis == null ? Verdict.FULL : basis;
  }

  /** What was computed for the snapshot, by analyzer key. */
  private record Computed(
      Map<String, State> states,
      Set<String> scanned,
      Set<String> incremental,
      Map<String, Duplicates> duplicates) {}

  /**
   * Exact duplicate keys found after confirming hash candidates, over {@code slices} passes of the
   * hash space.
   */
  record Duplicates(long extraRows, List<String> samples, int slices) {
    static final Duplicates NONE = new Duplicates(0, List.of(), 1);
  }

  /** A check's analyzers, or the error that stops it from being evaluated. */
  private record Planned(Check check, List<Analyzer> analyzers, Optional<String> error) {}

  List<CheckResult> evaluate(
      List<Check> checks, Snapshot snapshot, boolean incremental, Optional<Long> published) {
    return evaluate(checks, snapshot, incremental, published, true);
  }

  /**
   * The checks' results on {@code snapshot}, in one computation of every analyzer they need; with
   * {@code keep}, its states are stored for later incremental runs (a side measurement, of another
   * snapshot or of fewer analyzers, must not replace those).
   */
  private List<CheckResult> evaluate(
      List<Check> checks,
      Snapshot snapshot,
      boolean incremental,
      Optional<Long> published,
      boolean keep) {
    Schema schema = SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    RuleFactory rules = new RuleFactory(schema, config.samples(), identifying(schema));
    List<Planned> plans = new ArrayList<>();
    for (Check check : checks) {
      plans.add(plan(check, schema, rules));
    }
    Map<String, Analyzer> analyzers = new LinkedHashMap<>();
    plans.forEach(p -> p.analyzers().forEach(a -> analyzers.putIfAbsent(a.key(), a)));
    Computed computed =
        compute(schema, snapshot, List.copyOf(analyzers.values()), incremental, keep);

    List<CheckResult> results = new ArrayList<>();
    for (Planned plan : plans) {
      Optional<String> error =
          plan.error()
              .or(
                  () ->
                      plan.analyzers().stream()
                          .map(a -> unreadable.get(a.key()))
                          .filter(Objects::nonNull)
                          .findFirst());
      if (error.isPresent()) {
        results.add(CheckResult.error(plan.check(), metricName(plan.check()), error.get()));
        continue;
      }
      try {
        results.add(judge(plan, schema, snapshot, computed, published, incremental));
      } catch (RuntimeException e) {
        results.add(CheckResult.error(plan.check(), metricName(plan.check()), oneLine(e)));
      }
    }
    return results;
  }

  /**
   * The states of {@code analyzers} over the live rows of {@code snapshot}, read as a full check
   * reads them (metadata and dictionaries first), and stored nowhere; an analyzer whose files could
   * not be read has no state.
   */
  Map<String, State> measure(Snapshot snapshot, List<Analyzer> analyzers) {
    Schema schema = SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    Map<String, State> states =
        new LinkedHashMap<>(compute(schema, snapshot, analyzers, false, false).states());
    states.keySet().removeAll(unreadable.keySet());
    return states;
  }

  /**
   * Why each of {@code checks} that cannot be evaluated on rows of {@code schema} cannot, by check
   * name: a column it names is missing or of a type it cannot measure, a value, condition or
   * expression does not fit the columns, or a table it compares with is missing, has nothing
   * published or lacks a column. Found from metadata alone; no data file is read.
   */
  Map<String, String> misfits(List<Check> checks, Schema schema) {
    RuleFactory rules = new RuleFactory(schema, config.samples(), identifying(schema));
    Map<String, String> misfits = new LinkedHashMap<>();
    for (Check check : checks) {
      Optional<String> error = plan(check, schema, rules).error();
      if (error.isEmpty() && check.type() == CheckType.RECONCILE) {
        error = otherSideMisfit(check);
      }
      error.ifPresent(why -> misfits.put(check.name(), why));
    }
    return misfits;
  }

  /**
   * Why a reconcile check's metric of the other table cannot be measured on its published schema.
   */
  private Optional<String> otherSideMisfit(Check check) {
    TableRef otherRef = check.options().reference().orElseThrow();
    Check against = check.options().against().orElseThrow();
    try {
      Published found = reconciledWith(check);
      Schema schema = SnapshotUtil.schemaFor(found.table(), found.snapshot().snapshotId());
      return new SnapshotAudit(
              catalog, found.table(), otherRef, config, List.of(), store, pool, clock)
          .misfits(List.of(against), schema).values().stream()
              .findFirst()
              .map(why -> "%s on %s: %s".formatted(against.name(), otherRef, why));
    } catch (RuntimeException e) {
      return Optional.of(oneLine(e));
    }
  }

  private Planned plan(Check check, Schema schema, RuleFactory rules) {
    try {
      for (String column : check.columns()) {
        if (check.type() == CheckType.SCHEMA) {
          continue;
        }
        if (schema.findField(column) == null) {
          return new Planned(check, List.of(), Optional.of(Columns.notInSchema(schema, column)));
        }
        // a column inside a list or a map cannot be checked: the error says so
        Columns.path(schema, column);
      }
      return new Planned(check, analyzersFor(check, schema, rules), Optional.empty());
    } catch (RuntimeException e) {
      return new Planned(check, List.of(), Optional.of(oneLine(e)));
    }
  }

  /**
   * What measures {@code check}; with a {@code where}, over the rows that meet it (a change or
   * anomaly check's metric carries its condition).
   */
  private List<Analyzer> analyzersFor(Check check, Schema schema, RuleFactory rules) {
    Optional<RowFilter> where = check.where().map(text -> condition(schema, text));
    return switch (check.type()) {
      case ROW_COUNT -> List.of(filtered(new RowCountAnalyzer(), where));
      case NOT_NULL -> List.of(filtered(new NullCountAnalyzer(check.column()), where));
      case UNIQUE ->
          check.options().maxFraction() == 0
              ? List.of(new KeyAnalyzer(check.columns(), where))
              // a tolerance is a share of the measured rows
              : List.of(
                  new KeyAnalyzer(check.columns(), where), filtered(new RowCountAnalyzer(), where));
      case ACCEPTED_VALUES ->
          List.of(filtered(rules.acceptedValues(check.column(), check.options().values()), where));
      case PATTERN -> {
        requireString(schema, check.column());
        yield List.of(
            filtered(
                rules.pattern(check.column(), check.options().expression().orElseThrow()), where));
      }
      case LENGTH -> {
        requireString(schema, check.column());
        yield List.of(filtered(rules.length(check.column(), check.bounds()), where));
      }
      case PREDICATE ->
          List.of(filtered(rules.predicate(check.options().expression().orElseThrow()), where));
      case MIN, MAX -> {
        Type.PrimitiveType type = primitive(schema, check.column());
        valueRange(check, type); // refuses bounds that are not values of the column's type
        yield List.of(filtered(new MinMaxAnalyzer(check.column(), type), where));
      }
      case FRESHNESS -> {
        Type type = schema.findField(check.column()).type();
        if (type.typeId() != Type.TypeID.TIMESTAMP
            && type.typeId() != Type.TypeID.TIMESTAMP_NANO
            && type.typeId() != Type.TypeID.DATE) {
          throw new IllegalArgumentException(
              "freshness needs a timestamp or date column; %s is %s"
                  .formatted(check.column(), type));
        }
        yield List.of(filtered(new MinMaxAnalyzer(check.column(), type.asPrimitiveType()), where));
      }
      case MEAN, SUM, STDDEV -> {
        requireNumeric(schema, check.column());
        yield List.of(filtered(new MomentsAnalyzer(check.column()), where));
      }
      case QUANTILE -> {
        requireNumeric(schema, check.column());
        yield List.of(filtered(new SketchAnalyzer(check.column(), true), where));
      }
      case DISTINCT_COUNT -> List.of(filtered(new SketchAnalyzer(check.column(), false), where));
      case REFERENCES -> List.of(referenceAnalyzer(check, rules, where));
      case CHANGE, ANOMALY, RECONCILE -> {
        // measured in the suite's own computation, so with its scan and from its stored states
        Check metric = check.options().metric().orElseThrow();
        if (metric.type() == CheckType.MIN || metric.type() == CheckType.MAX) {
          // a date's or a timestamp's min has a value in the history, but no percentage or sigma
          Type type = schema.findField(metric.column()).type();
          if (!Columns.isNumeric(type)) {
            throw new IllegalArgumentException(
                "%s is %s; change and anomaly checks measure numeric columns"
                    .formatted(metric.column(), type));
          }
        }
        yield analyzersFor(metric, schema, rules);
      }
      case SCHEMA -> List.of();
    };
  }

  /** {@code measured} over the rows {@code where} holds for, or over every row. */
  private static Analyzer filtered(Analyzer measured, Optional<RowFilter> where) {
    return where.<Analyzer>map(w -> new FilteredAnalyzer(measured, w)).orElse(measured);
  }

  /** A check's {@code where} on rows of {@code schema}; an error names the setting. */
  private static RowFilter condition(Schema schema, String text) {
    try {
      return RowFilter.bind(schema, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("where: " + e.getMessage(), e);
    }
  }

  /**
   * A table and the snapshot a check compares with; {@code at} says which: {@code published
   * snapshot} for the head of main, else the branch or tag.
   */
  private record Published(Table table, Snapshot snapshot, String at) {}

  /**
   * {@code target} and the head of its main: an error names the table as {@code named} (a format of
   * it) when it is missing, and ends with {@code purpose} when its main has no snapshot.
   */
  private Published published(TableRef target, String named, String purpose) {
    return published(target, Optional.empty(), named, purpose);
  }

  /** The other table of a {@code reconcile} check, and the snapshot of it to compare with. */
  private Published reconciledWith(Check check) {
    return published(
        check.options().reference().orElseThrow(),
        check.options().referenceAt(),
        "the table %s to reconcile with",
        "to reconcile with");
  }

  /**
   * Like {@link #published(TableRef, String, String)}, the snapshot the branch or tag {@code at}
   * points to when one is named.
   */
  private Published published(TableRef target, Optional<String> at, String named, String purpose) {
    Table loaded;
    try {
      loaded = catalog.loadTable(target.toIdentifier());
    } catch (NoSuchTableException e) {
      throw new IllegalArgumentException(named.formatted(target) + " does not exist");
    }
    if (at.isPresent()) {
      SnapshotRef ref = loaded.refs().get(at.get());
      if (ref == null) {
        throw new IllegalArgumentException(
            target + " has no branch or tag " + at.get() + " " + purpose);
      }
      return new Published(
          loaded,
          loaded.snapshot(ref.snapshotId()),
          (ref.isBranch() ? "the head of branch " : "tag ") + at.get() + ", snapshot");
    }
    Snapshot head = loaded.snapshot(io.floe.catalog.Refs.MAIN);
    if (head == null) {
      throw new IllegalArgumentException(target + " has no published snapshot on main " + purpose);
    }
    return new Published(loaded, head, "published snapshot");
  }

  private Analyzer referenceAnalyzer(Check check, RuleFactory rules, Optional<RowFilter> where) {
    TableRef target = check.options().reference().orElseThrow();
    String targetColumn = check.options().referenceColumn().orElseThrow();
    Published found = published(target, "the referenced table %s", "to check against");
    Table referenced = found.table();
    Snapshot published = found.snapshot();
    Schema publishedSchema = SnapshotUtil.schemaFor(referenced, published.snapshotId());
    if (publishedSchema.findField(targetColumn) == null) {
      throw new IllegalArgumentException(
          Columns.notInSchema(publishedSchema, targetColumn, target + "'s published schema"));
    }
    Columns.path(publishedSchema, targetColumn); // refuses a column inside a list or a map
    ReferencedColumn allowed =
        new ReferencedColumn(referenced, published.snapshotId(), targetColumn, pool);
    Analyzer analyzer =
        filtered(
            rules.references(
                check.column(), target + "." + targetColumn, published.snapshotId(), allowed),
            where);
    references.putIfAbsent(analyzer.key(), allowed);
    return analyzer;
  }

  /**
   * The columns that start a failing row's sample: the suite's {@code sample-columns}; without
   * them, the table's identifier fields (its row key, when it declares one), in field id order.
   */
  private List<String> identifying(Schema schema) {
    if (!sampleColumns.isEmpty()) {
      return sampleColumns;
    }
    return schema.identifierFieldIds().stream().sorted().map(schema::findColumnName).toList();
  }

  /**
   * Reads the referenced values of the {@code references} analyzers among {@code analyzers}, which
   * are about to read {@code files} (planned only if one of them is; null: every file, with deletes
   * applied). When those files hold few rows against the referenced table, their own values are
   * collected first and only those are looked for.
   *
   * @return {@code analyzers} without those whose referenced values could not be read; their checks
   *     are errors ({@link #unreadable})
   */
  private List<Analyzer> readReferences(
      List<Analyzer> analyzers, Supplier<List<DataFile>> files, FileScanner scanner) {
    List<Analyzer> readable = new ArrayList<>();
    for (Analyzer analyzer : analyzers) {
      ReferencedColumn referenced = references.get(analyzer.key());
      if (referenced != null && !referenced.isRead()) {
        try {
          List<DataFile> checked = files == null ? null : files.get();
          referenced.slice(0, referenceSlices(referenced, checked));
          readReferenced(referenced, analyzer, checked, scanner);
        } catch (RuntimeException e) {
          LOG.warn("cannot read the values {} references", analyzer.key(), e);
          unreadable.put(analyzer.key(), oneLine(e));
          continue;
        }
      }
      readable.add(analyzer);
    }
    return readable;
  }

  /**
   * Whether the checked rows' own values are looked up in {@code referenced} rather than all of its
   * values read: when {@code files}, the checked files (null: every file), hold few rows against
   * it.
   */
  private static boolean looksUp(ReferencedColumn referenced, List<DataFile> files) {
    return files != null && referenced.worthLookingUp(rows(files));
  }

  /**
   * The rows {@code snapshot}'s summary counts, or {@link Long#MAX_VALUE} when it does not say (no
   * read is then as large as a full one).
   */
  private static long totalRows(Snapshot snapshot) {
    String total = snapshot.summary().get(SnapshotSummary.TOTAL_RECORDS_PROP);
    return total == null ? Long.MAX_VALUE : Long.parseLong(total);
  }

  private static long rows(List<DataFile> files) {
    return files.stream().mapToLong(DataFile::recordCount).sum();
  }

  /**
   * In how many slices of the value space the values of {@code referenced} are read for the rows of
   * {@code files} to stay within {@link QualityConfig#keyMemoryBytes}: the referenced values, or,
   * when they are looked up, the checked rows' values and those found.
   */
  private int referenceSlices(ReferencedColumn referenced, List<DataFile> files) {
    double needed =
        looksUp(referenced, files)
            ? (double) rows(files)
                * (ReferencedColumn.BYTES_PER_WANTED + referenced.bytesPerValue())
            : (double) referenced.rows() * referenced.bytesPerValue();
    return slices("the values a references check looks up", needed, needed);
  }

  private static void readReferenced(
      ReferencedColumn referenced, Analyzer analyzer, List<DataFile> files, FileScanner scanner) {
    if (!looksUp(referenced, files)) {
      referenced.readAll();
      return;
    }
    Set<Object> wanted = ConcurrentHashMap.newKeySet();
    scanner.read(
        files,
        // the checked column; the columns that identify a sample's row follow it
        analyzer.columns().subList(0, 1),
        values -> {
          if (values.get(0) != null) {
            Object value = Columns.normalize(values.get(0));
            if (referenced.inSlice(value)) {
              wanted.add(value);
            }
          }
        });
    referenced.readFor(wanted);
  }

  /**
   * Completes the {@code references} analyzers among {@code evaluated} whose values are read in
   * slices: {@code states} hold the pass over their first slice, and {@code scan} evaluates the
   * checked rows once more for each further slice, after that slice's values are read. Every pass
   * checks every row, so the rows are counted once and the violations of each pass add up.
   */
  private void referencesBySlice(
      List<Analyzer> evaluated,
      Map<String, State> states,
      List<DataFile> files,
      FileScanner scanner,
      Function<List<Analyzer>, FileScanner.Outcome> scan) {
    for (Analyzer analyzer : evaluated) {
      ReferencedColumn referenced = references.get(analyzer.key());
      if (referenced == null || referenced.slices() == 1 || !states.containsKey(analyzer.key())) {
        continue;
      }
      State merged = states.get(analyzer.key());
      int slices = referenced.slices();
      try {
        for (int s = 1; s < slices; s++) {
          referenced.slice(s, slices);
          readReferenced(referenced, analyzer, files, scanner);
          ViolationState pass =
              (ViolationState) scan.apply(List.of(analyzer)).states().get(analyzer.key());
          merged =
              merged.merge(new ViolationState(0, pass.violations(), pass.samples(), pass.limit()));
        }
        states.put(analyzer.key(), merged);
      } catch (RuntimeException e) {
        LOG.warn("cannot read the values {} references", analyzer.key(), e);
        unreadable.put(analyzer.key(), oneLine(e));
        states.remove(analyzer.key());
      }
      referenced.slice(0, slices); // its values are no longer needed
    }
  }

  /**
   * The data files of a snapshot, and the scan task of each that row-level deletes apply to, by its
   * location.
   */
  private record SnapshotFiles(List<DataFile> files, Map<String, FileScanTask> withDeletes) {}

  /**
   * The columns whose statistics an evaluation keeps of each data file: those its analyzers read. A
   * manifest entry carries bounds and counts for every column of the table; kept for all of a wide
   * table's columns across thousands of files, they would fill the heap (300 columns in 20,000
   * files held about 2.8 GB).
   */
  private record StatsColumns(Set<Integer> ids, List<String> names) {
    static StatsColumns of(Schema schema, List<Analyzer> analyzers) {
      Set<Integer> ids = new HashSet<>();
      List<String> names = new ArrayList<>();
      for (Analyzer analyzer : analyzers) {
        for (String column : analyzer.columns()) {
          Types.NestedField field = schema.findField(column);
          if (field != null && ids.add(field.fieldId())) {
            names.add(column);
          }
        }
      }
      return new StatsColumns(Set.copyOf(ids), List.copyOf(names));
    }
  }

  /**
   * The live data files of {@code snapshot}, its data manifests read in parallel on the pool
   * ({@link ManifestScan}); a snapshot with live delete files is planned by Iceberg's scan, which
   * matches them to the data files, over its manifests fetched on the pool first.
   */
  private SnapshotFiles planFiles(Snapshot snapshot, StatsColumns stats) {
    return ManifestScan.dataFiles(table, snapshot, Expressions.alwaysTrue(), stats.ids(), pool)
        .map(files -> new SnapshotFiles(files, Map.of()))
        .orElseGet(() -> planWithDeletes(snapshot, stats));
  }

  private SnapshotFiles planWithDeletes(Snapshot snapshot, StatsColumns stats) {
    List<DataFile> files = new ArrayList<>();
    Map<String, FileScanTask> withDeletes = new HashMap<>();
    List<FileScanTask> tasks =
        ManifestScan.withDeletes(
            table,
            snapshot,
            // by name in the scan's schema, which Iceberg resolves them in
            scan ->
                scan.includeColumnStats(
                    stats.names().stream()
                        .filter(name -> scan.schema().findField(name) != null)
                        .toList()),
            pool);
    for (FileScanTask task : tasks) {
      files.add(task.file());
      if (!task.deletes().isEmpty()) {
        withDeletes.put(task.file().location(), task);
      }
    }
    return new SnapshotFiles(files, withDeletes);
  }

  private Computed compute(
      Schema schema,
      Snapshot snapshot,
      List<Analyzer> requested,
      boolean incremental,
      boolean keep) {
    FileStatistics statistics = new FileStatistics(schema, MetricsConfig.forTable(table));
    StatsColumns stats = StatsColumns.of(schema, requested);
    Optional<IncrementalBase> base =
        incremental ? incrementalBase(snapshot, stats) : Optional.empty();
    // planning reads every manifest entry; an incremental run needs it only in rare cases, unless
    // the snapshot has delete files: every read then applies them, which needs Iceberg's plan
    SnapshotFiles[] planned = new SnapshotFiles[1];
    Supplier<SnapshotFiles> plan =
        () -> planned[0] != null ? planned[0] : (planned[0] = planFiles(snapshot, stats));
    Map<String, FileScanTask> withDeletes =
        ManifestScan.hasDeleteFiles(table, snapshot) ? plan.get().withDeletes() : Map.of();
    // the files removed since the base are read as they were there, with the deletes then
    Map<String, FileScanTask> reads = new HashMap<>(withDeletes);
    base.ifPresent(b -> reads.putAll(b.removedWithDeletes()));
    FileScanner scanner =
        new FileScanner(
            table,
            schema,
            statistics,
            pool,
            config.threads(),
            reads,
            // rows deleted since the audit, kept for taking them out: a quarter of the key memory
            config.keyMemoryBytes() / 4);
    if (base.isPresent() && base.get().changedDeletes()) {
      base =
          deletedSince(
              base.get(), snapshot, withDeletes, plan, scanner, FileScanner.columnsOf(requested));
    }
    if (basis == null) {
      // the suite's own computation comes first; a change or anomaly check's measurements later
      basis =
          base.map(SnapshotAudit::incrementalBasis)
              .orElse(incremental ? Verdict.FULL + ": " + noBase : Verdict.FULL);
    }
    // a uniqueness check merges from the base only when the base had no duplicate rows: the keys
    // an incremental check re-reads are the added ones, so a duplicate among published rows that
    // no added row shares would go unseen
    Set<String> mergedKeys = new HashSet<>();
    base.ifPresent(
        b ->
            keysOf(requested).stream()
                .filter(keys -> noDuplicatesIn(b, keys, schema))
                .forEach(keys -> mergedKeys.add(keys.key())));
    List<Analyzer> analyzers = withSlices(requested, mergedKeys, base, plan);
    List<KeyAnalyzer> keyAnalyzers = keysOf(analyzers);
    Map<String, Duplicates> duplicates = new HashMap<>();

    // the key columns' ranges and null counts are stored with the states, so a later incremental
    // run can tell from them alone whether any published row could share a key with the added
    // rows (null keys are equal to each other, and outside every range); so is each check's count
    // of duplicate rows
    List<Analyzer> keyBounds = new ArrayList<>();
    for (KeyAnalyzer keys : keyAnalyzers) {
      keyBounds.addAll(boundsOfKeys(schema, keys));
      keyBounds.addAll(nullsOfKeys(keys));
    }
    base = base.map(b -> b.keyedFor(dedupe(concat(analyzers, keyBounds)), schema));
    Map<String, State> states = new LinkedHashMap<>();
    Set<String> scanned = new HashSet<>();
    Set<String> merged = new HashSet<>();
    List<Analyzer> full = new ArrayList<>();
    List<Analyzer> fromBase = new ArrayList<>();
    for (Analyzer analyzer : analyzers) {
      boolean stored = base.isPresent() && base.get().states().containsKey(analyzer.key());
      if (stored || mergedKeys.contains(analyzer.key())) {
        fromBase.add(analyzer);
      } else {
        full.add(analyzer);
      }
    }
    // the stored states less the rows of the files removed since, where a state can tell them
    // apart; where only the added rows can (a bound the removed rows held that the added ones
    // reach again, as an update rewrites them), the states of the rows left and added; the others
    // are evaluated in full
    Map<String, State> reduced = new HashMap<>();
    Map<String, State> replaced = new HashMap<>();
    FileScanner.Outcome addedFirst = null;
    if (base.isPresent() && base.get().removesRows()) {
      Map<String, State> removed = removedStates(scanner, base.get(), fromBase, keyBounds);
      List<Analyzer> unsettled = new ArrayList<>();
      for (Analyzer analyzer : dedupe(concat(fromBase, keyBounds))) {
        // duplicates are looked for among the files there are; removing rows adds none
        if (!(analyzer instanceof KeyAnalyzer)) {
          Optional<State> less = reduce(analyzer, base.get(), removed);
          less.ifPresent(state -> reduced.put(analyzer.key(), state));
          // removedStates measured only analyzers with a stored state
          if (less.isEmpty() && removed.containsKey(analyzer.key())) {
            unsettled.add(analyzer);
          }
        }
      }
      if (!unsettled.isEmpty()) {
        addedFirst = scanner.evaluate(base.get().addedFiles(), unsettled);
        for (Analyzer analyzer : unsettled) {
          read(analyzer, base.get().states().get(analyzer.key()))
              .replacing(removed.get(analyzer.key()), addedFirst.states().get(analyzer.key()))
              .ifPresent(state -> replaced.put(analyzer.key(), state));
        }
      }
      List<Analyzer> reducible = new ArrayList<>();
      for (Analyzer analyzer : fromBase) {
        if (analyzer instanceof KeyAnalyzer
            || reduced.containsKey(analyzer.key())
            || replaced.containsKey(analyzer.key())) {
          reducible.add(analyzer);
        } else {
          full.add(analyzer);
        }
      }
      fromBase = reducible;
    }
    List<KeyAnalyzer> fullKeys =
        keyAnalyzers.stream().filter(keys -> !mergedKeys.contains(keys.key())).toList();
    if (!fullKeys.isEmpty()) {
      full = dedupe(concat(full, keyBounds));
    }
    full = readReferences(full, () -> plan.get().files(), scanner);
    if (base.isPresent()) {
      List<DataFile> added = base.get().addedFiles();
      fromBase = readReferences(fromBase, () -> added, scanner);
    }
    if (!full.isEmpty()) {
      FileScanner.Outcome all = scanner.evaluate(plan.get().files(), full);
      List<DataFile> files = plan.get().files();
      referencesBySlice(
          full, all.states(), files, scanner, references -> scanner.evaluate(files, references));
      duplicatesBySlice(
          fullKeys,
          all,
          keys -> scanner.evaluate(files, keys),
          (keys, state, holding) -> confirm(scanner, at(files, holding), keys, state.repeated()),
          duplicates);
      states.putAll(all.states());
      scanned.addAll(all.scanned());
    }
    if (base.isPresent() && !fromBase.isEmpty()) {
      // the added rows, but for the states read from them already
      Set<String> read = addedFirst == null ? Set.of() : addedFirst.states().keySet();
      FileScanner.Outcome added =
          scanner.evaluate(
              base.get().addedFiles(),
              dedupe(concat(fromBase, keyBounds)).stream()
                  .filter(a -> !read.contains(a.key()))
                  .toList());
      if (addedFirst != null) {
        added.states().putAll(addedFirst.states());
        added.scanned().addAll(addedFirst.scanned());
      }
      List<DataFile> addedFiles = base.get().addedFiles();
      referencesBySlice(
          fromBase,
          added.states(),
          addedFiles,
          scanner,
          references -> scanner.evaluate(addedFiles, references));
      for (Analyzer analyzer : fromBase) {
        if (unreadable.containsKey(analyzer.key())) {
          continue; // a later slice of its referenced values could not be read
        }
        State state = added.states().get(analyzer.key());
        if (analyzer instanceof KeyAnalyzer) {
          state = KeyState.empty(); // its hashes serve only to find duplicates, below
        } else if (replaced.containsKey(analyzer.key())) {
          state = replaced.get(analyzer.key());
        } else {
          state = stored(analyzer, base.get(), reduced).orElseThrow().merge(state);
        }
        states.put(analyzer.key(), state);
        merged.add(analyzer.key());
        if (added.scanned().contains(analyzer.key())) {
          scanned.add(analyzer.key());
        }
      }
      for (Analyzer bounds : dedupe(keyBounds)) {
        if (states.containsKey(bounds.key())) {
          continue;
        }
        if (replaced.containsKey(bounds.key())) {
          states.put(bounds.key(), replaced.get(bounds.key()));
        } else {
          stored(bounds, base.get(), reduced)
              .ifPresent(
                  stored ->
                      states.put(bounds.key(), stored.merge(added.states().get(bounds.key()))));
        }
      }
      if (keyBounds.stream().anyMatch(b -> !states.containsKey(b.key()))) {
        // a base stored without key ranges: take them from the manifests, when exact there
        states.putAll(boundsFromMetadata(dedupe(keyBounds), plan.get().files(), statistics));
      }
      // the added keys are checked against each other and against the published rows whose
      // ranges they overlap
      IncrementalBase from = base.get();
      duplicatesBySlice(
          keyAnalyzers.stream().filter(keys -> mergedKeys.contains(keys.key())).toList(),
          added,
          keys -> scanner.evaluate(addedFiles, keys),
          (keys, addedKeys, holding) -> {
            List<MinMaxState> addedRanges =
                boundsOfKeys(schema, keys).stream()
                    .map(b -> (MinMaxState) added.states().get(b.key()))
                    .toList();
            List<CountState> addedNulls =
                nullsOfKeys(keys).stream()
                    .map(n -> (CountState) added.states().get(n.key()))
                    .toList();
            return disjointFromBase(schema, keys, addedRanges, addedNulls, from)
                ? confirm(scanner, at(addedFiles, holding), keys, addedKeys.repeated())
                : incrementalDuplicates(
                    scanner,
                    statistics,
                    keys,
                    addedKeys,
                    addedRanges,
                    addedNulls,
                    addedFiles,
                    plan.get().files(),
                    from);
          },
          duplicates);
    }
    List<Analyzer> duplicateRows = new ArrayList<>();
    for (KeyAnalyzer keys : keyAnalyzers) {
      Analyzer counted = keys.duplicateRows();
      duplicateRows.add(counted);
      states.put(counted.key(), new CountState(duplicates.get(keys.key()).extraRows(), 0));
    }
    if (keep) {
      keepStates(
          snapshot, schema, dedupe(concat(concat(analyzers, keyBounds), duplicateRows)), states);
    }
    return new Computed(states, scanned, merged, duplicates);
  }

  /**
   * The states of the rows of the base gone since {@code base} (those of the files removed since,
   * read as added files are, and those deleted by position since) for those of {@code analyzers}
   * and {@code keyBounds} with a stored state (a uniqueness check's and a {@code references}
   * check's aside); none when the files cannot be read (expired and deleted since).
   */
  private Map<String, State> removedStates(
      FileScanner scanner,
      IncrementalBase base,
      List<Analyzer> analyzers,
      List<Analyzer> keyBounds) {
    List<Analyzer> measured =
        dedupe(concat(analyzers, keyBounds)).stream()
            .filter(a -> !(a instanceof KeyAnalyzer) && !references.containsKey(a.key()))
            .filter(a -> base.states().containsKey(a.key()))
            .toList();
    if (measured.isEmpty()) {
      return Map.of();
    }
    try {
      Map<String, State> gone = new HashMap<>();
      if (!base.removedFiles().isEmpty()) {
        gone.putAll(scanner.evaluate(base.removedFiles(), measured).states());
      }
      if (!base.deletedRows().isEmpty()) {
        scanner
            .evaluateDeleted(base.deletedRows(), measured)
            .forEach((key, state) -> gone.merge(key, state, State::merge));
      }
      return gone;
    } catch (RuntimeException e) {
      LOG.info(
          "cannot read the {} files removed from {} or the {} with rows deleted since snapshot {};"
              + " evaluating in full: {}",
          base.removedFiles().size(),
          ref,
          base.deletedRows().size(),
          base.snapshotId(),
          e.getMessage());
      return Map.of();
    }
  }

  /**
   * {@code base} with the rows deleted since it: for each data file of the base that a delete file
   * added or removed since applies to, the positions of the rows its deletes delete now and did not
   * at the base (see {@link FileScanner#deletedBetween}), by position or, where equality deletes
   * apply, by value. A file's deletes at the base are those that apply to it now, less the ones
   * added since, with the ones removed since that name it (a deletion vector replaced by one that
   * names more positions). Empty, for a full evaluation, when that cannot be told exactly: an
   * equality delete file was removed since, a delete file removed since names no one data file,
   * rows deleted at the base are live again, the files cannot be read, or reading them is no
   * cheaper than a full read. Where equality deletes apply, the file is read for {@code columns}
   * (the suite's) too, and the deleted rows are kept for the reads that take them out.
   */
  private Optional<IncrementalBase> deletedSince(
      IncrementalBase base,
      Snapshot snapshot,
      Map<String, FileScanTask> withDeletes,
      Supplier<SnapshotFiles> plan,
      FileScanner scanner,
      Set<String> columns) {
    Set<String> addedDeletes = new HashSet<>();
    base.addedDeletes().forEach(file -> addedDeletes.add(file.location()));
    Set<String> addedFiles = new HashSet<>();
    base.addedFiles().forEach(file -> addedFiles.add(file.location()));
    Map<String, List<DeleteFile>> removedByFile = new HashMap<>();
    try {
      for (DeleteFile removed : base.removedDeletes()) {
        if (removed.content() != FileContent.POSITION_DELETES) {
          noBase =
              "equality delete file %s was removed since the audited snapshot %d"
                  .formatted(removed.location(), base.snapshotId());
          return Optional.empty();
        }
        for (String named : namedDataFiles(removed)) {
          removedByFile.computeIfAbsent(named, k -> new ArrayList<>()).add(removed);
        }
      }
    } catch (RuntimeException e) {
      LOG.info(
          "cannot read the delete files removed from {} since snapshot {}",
          ref,
          base.snapshotId(),
          e);
      noBase = "cannot read its delete files: " + oneLine(e);
      return Optional.empty();
    }
    // a removed delete file's data file that no deletes apply to now has its deleted rows back,
    // unless it is no longer there (the delete file dangled, and removing it changed nothing)
    Set<String> undeleted = new HashSet<>(removedByFile.keySet());
    undeleted.removeAll(withDeletes.keySet());
    if (!undeleted.isEmpty()) {
      Set<String> live = new HashSet<>();
      plan.get().files().forEach(file -> live.add(file.location()));
      for (String location : undeleted) {
        if (live.contains(location)) {
          noBase =
              "rows of %s deleted at the audited snapshot %d are live again"
                  .formatted(location, base.snapshotId());
          return Optional.empty();
        }
      }
    }
    // each data file of the base whose deletes changed, with those that applied to it then
    List<FileScanTask> changed = new ArrayList<>();
    List<List<DeleteFile>> then = new ArrayList<>();
    for (FileScanTask task : withDeletes.values()) {
      String location = task.file().location();
      if (addedFiles.contains(location)) {
        continue; // its live rows are read as added ones
      }
      List<DeleteFile> before = new ArrayList<>(removedByFile.getOrDefault(location, List.of()));
      boolean changes = !before.isEmpty();
      for (DeleteFile file : task.deletes()) {
        if (addedDeletes.contains(file.location())) {
          changes = true;
        } else {
          before.add(file);
        }
      }
      if (changes) {
        changed.add(task);
        then.add(before);
      }
    }
    // where equality deletes apply, the whole file is read: a full read is cheaper when those
    // reads and the others come to a read of every row
    long total = totalRows(snapshot);
    long comparedRows = 0;
    int compared = 0;
    for (FileScanTask task : changed) {
      if (FileScanner.byValue(task.deletes())) {
        comparedRows += task.file().recordCount();
        compared++;
      }
    }
    long toCompare = comparedRows + base.removedRowsRead() + rows(base.addedFiles());
    if (comparedRows > 0 && toCompare >= total) {
      noBase =
          ("the equality deletes added since the audited snapshot %d apply to %d files, which"
                  + " with the files added and removed hold %,d rows, no fewer than the"
                  + " snapshot's %,d: a full read is cheaper")
              .formatted(base.snapshotId(), compared, toCompare, total);
      return Optional.empty();
    }
    List<FileScanner.DeletedRows> deleted = new ArrayList<>();
    try {
      List<Future<Optional<FileScanner.DeletedRows>>> found = new ArrayList<>();
      for (int i = 0; i < changed.size(); i++) {
        DataFile file = changed.get(i).file();
        List<DeleteFile> before = then.get(i);
        List<DeleteFile> now = changed.get(i).deletes();
        found.add(pool.submit(() -> scanner.deletedBetween(file, before, now, columns)));
      }
      for (int i = 0; i < changed.size(); i++) {
        Optional<FileScanner.DeletedRows> rows = EvaluationThreads.await(found.get(i));
        if (rows.isEmpty()) {
          noBase =
              "rows of %s deleted at the audited snapshot %d are live again"
                  .formatted(changed.get(i).file().location(), base.snapshotId());
          return Optional.empty();
        }
        if (rows.get().positions().length > 0) {
          deleted.add(rows.get());
        }
      }
    } catch (RuntimeException e) {
      LOG.info("cannot read the delete files of {} at snapshot {}", ref, snapshot.snapshotId(), e);
      noBase = "cannot read its delete files: " + oneLine(e);
      return Optional.empty();
    }
    IncrementalBase withDeleted = base.withDeletedRows(deleted);
    long read = withDeleted.removedRowsRead() + rows(base.addedFiles());
    if (!deleted.isEmpty() && read >= total) {
      noBase =
          ("the files added, removed or deleted from since the audited snapshot %d hold %,d rows,"
                  + " no fewer than the snapshot's %,d: a full read is cheaper")
              .formatted(base.snapshotId(), read, total);
      return Optional.empty();
    }
    return Optional.of(withDeleted);
  }

  /**
   * The locations of the data files a position delete file names: the one it references, or those
   * its rows name when it applies to a whole partition (read from the file, as a snapshot's removed
   * files come without the statistics that could tell).
   */
  private Set<String> namedDataFiles(DeleteFile deletes) {
    String referenced = ContentFileUtil.referencedDataFileLocation(deletes);
    if (referenced != null) {
      return Set.of(referenced);
    }
    Set<String> named = new HashSet<>();
    try (CloseableIterable<Record> rows =
        RecordFiles.read(
            table.io().newInputFile(deletes),
            deletes.format(),
            new Schema(MetadataColumns.DELETE_FILE_PATH),
            true,
            null,
            Map.of())) {
      rows.forEach(row -> named.add(row.get(0, CharSequence.class).toString()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return named;
  }

  /** How an incremental evaluation from {@code base} went: what it read besides the states. */
  private static String incrementalBasis(IncrementalBase base) {
    long deletedRows = base.deletedRows().stream().mapToLong(rows -> rows.positions().length).sum();
    return "incremental from audited snapshot %d, %s added%s%s since%s"
        .formatted(
            base.snapshotId(),
            counted(base.addedFiles().size(), "file"),
            base.removedFiles().isEmpty()
                ? ""
                : " and %d removed".formatted(base.removedFiles().size()),
            base.deletedRows().isEmpty()
                ? ""
                : ", %s deleted by %s in %s"
                    .formatted(
                        counted(deletedRows, "row"),
                        FileScanner.byValue(base.addedDeletes()) ? "position or value" : "position",
                        counted(base.deletedRows().size(), "file")),
            base.rewrites() == 0 ? "" : ", across " + counted(base.rewrites(), "rewrite"));
  }

  /** {@code analyzer}'s stored state less the removed rows', when it can tell them apart. */
  private static Optional<State> reduce(
      Analyzer analyzer, IncrementalBase base, Map<String, State> removed) {
    byte[] stored = base.states().get(analyzer.key());
    State gone = removed.get(analyzer.key());
    return stored == null || gone == null ? Optional.empty() : read(analyzer, stored).without(gone);
  }

  /**
   * {@code analyzer}'s state of the base's rows that are still there: its stored state, less the
   * rows of removed files; empty when it has none, or there are removed rows it cannot take out.
   */
  private static Optional<State> stored(
      Analyzer analyzer, IncrementalBase base, Map<String, State> reduced) {
    if (base.removesRows()) {
      return Optional.ofNullable(reduced.get(analyzer.key()));
    }
    return Optional.ofNullable(base.states().get(analyzer.key())).map(s -> read(analyzer, s));
  }

  private static List<KeyAnalyzer> keysOf(List<Analyzer> analyzers) {
    return analyzers.stream()
        .filter(KeyAnalyzer.class::isInstance)
        .map(KeyAnalyzer.class::cast)
        .toList();
  }

  /** Whether {@code base} stored a count of no duplicate rows for {@code keys}. */
  private static boolean noDuplicatesIn(IncrementalBase base, KeyAnalyzer keys, Schema schema) {
    Analyzer duplicateRows = keys.duplicateRows();
    byte[] stored = base.states().get(storedKey(duplicateRows, schema));
    return stored != null && ((CountState) read(duplicateRows, stored)).rows() == 0;
  }

  /**
   * {@code requested}, each key analyzer hashing the first of as many slices of the hash space as
   * keep the hashes of its scan within memory: those merged from {@code base} hash its added rows,
   * the others every row of the snapshot. A table whose hashes fit at once has one slice.
   */
  private List<Analyzer> withSlices(
      List<Analyzer> requested,
      Set<String> mergedKeys,
      Optional<IncrementalBase> base,
      Supplier<SnapshotFiles> plan) {
    long keys = keysOf(requested).size();
    if (keys == 0) {
      return requested;
    }
    long merged = mergedKeys.size();
    int mergedSlices = merged == 0 ? 1 : keySlices(merged, base.orElseThrow().addedFiles());
    int fullSlices = keys == merged ? 1 : keySlices(keys - merged, plan.get().files());
    return requested.stream()
        .map(
            a ->
                a instanceof KeyAnalyzer k
                    ? k.slice(0, mergedKeys.contains(k.key()) ? mergedSlices : fullSlices)
                    : a)
        .toList();
  }

  /** States of {@code analyzers} over {@code files} from statistics alone; those it cannot. */
  private static Map<String, State> boundsFromMetadata(
      List<Analyzer> analyzers, List<DataFile> files, FileStatistics statistics) {
    Map<String, State> states = new LinkedHashMap<>();
    for (Analyzer analyzer : analyzers) {
      FileScanner.fromMetadata(analyzer, files, statistics)
          .ifPresent(total -> states.put(analyzer.key(), total));
    }
    return states;
  }

  private static List<Analyzer> concat(List<? extends Analyzer> a, List<? extends Analyzer> b) {
    List<Analyzer> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Whether the added keys lie outside the stored range of the base snapshot on some key column, so
   * no published row can share a key with them (increasing ids, the usual append). A column where
   * both sides may hold nulls proves nothing: null keys match each other and lie outside ranges.
   */
  private static boolean disjointFromBase(
      Schema schema,
      KeyAnalyzer keys,
      List<MinMaxState> addedRanges,
      List<CountState> addedNulls,
      IncrementalBase base) {
    List<MinMaxAnalyzer> bounds = boundsOfKeys(schema, keys);
    List<NullCountAnalyzer> nulls = nullsOfKeys(keys);
    for (int c = 0; c < bounds.size(); c++) {
      byte[] stored = base.states().get(bounds.get(c).key());
      MinMaxState added = addedRanges.get(c);
      if (stored == null || added.min() == null) {
        continue;
      }
      if (addedNulls.get(c).nulls() > 0) {
        byte[] storedNulls = base.states().get(nulls.get(c).key());
        if (storedNulls == null || ((CountState) read(nulls.get(c), storedNulls)).nulls() > 0) {
          continue;
        }
      }
      MinMaxState published = (MinMaxState) read(bounds.get(c), stored);
      if (published.min() == null
          || added.comparator().compare(added.max(), published.min()) < 0
          || added.comparator().compare(added.min(), published.max()) > 0) {
        return true;
      }
    }
    return false;
  }

  private static List<Analyzer> dedupe(List<Analyzer> analyzers) {
    Map<String, Analyzer> byKey = new LinkedHashMap<>();
    analyzers.forEach(a -> byKey.putIfAbsent(a.key(), a));
    return List.copyOf(byKey.values());
  }

  private static List<NullCountAnalyzer> nullsOfKeys(KeyAnalyzer keys) {
    return keys.keyColumns().stream().map(NullCountAnalyzer::new).toList();
  }

  private static List<MinMaxAnalyzer> boundsOfKeys(Schema schema, KeyAnalyzer keys) {
    return keys.keyColumns().stream()
        .map(column -> new MinMaxAnalyzer(column, primitive(schema, column)))
        .toList();
  }

  /**
   * The stored states of the nearest audited ancestor, and the data files added since it. As read,
   * its states are keyed as stored ({@link #storedKey}); {@link #keyedFor} keys them by analyzer.
   * {@code removedWithDeletes} holds the ancestor's scan task, by location, of each file removed
   * since that deletes applied to there.
   */
  record IncrementalBase(
      long snapshotId,
      Map<String, byte[]> states,
      List<DataFile> addedFiles,
      List<DataFile> removedFiles,
      List<DeleteFile> addedDeletes,
      List<DeleteFile> removedDeletes,
      List<FileScanner.DeletedRows> deletedRows,
      int rewrites,
      Map<String, FileScanTask> removedWithDeletes) {

    /** Whether rows of the base are gone: in files removed since, or deleted by position. */
    boolean removesRows() {
      return !removedFiles.isEmpty() || !deletedRows.isEmpty();
    }

    /**
     * The rows of the files read to find the base's rows gone since: the files removed, and those
     * with rows deleted whose rows were not kept when they were found, each read whole.
     */
    long removedRowsRead() {
      return rows(removedFiles)
          + rows(
              deletedRows.stream()
                  .filter(rows -> rows.kept() == null)
                  .map(FileScanner.DeletedRows::file)
                  .toList());
    }

    /** Whether delete files were added or removed since the base. */
    boolean changedDeletes() {
      return !addedDeletes.isEmpty() || !removedDeletes.isEmpty();
    }

    IncrementalBase withDeletedRows(List<FileScanner.DeletedRows> deleted) {
      return new IncrementalBase(
          snapshotId,
          states,
          addedFiles,
          removedFiles,
          addedDeletes,
          removedDeletes,
          List.copyOf(deleted),
          rewrites,
          removedWithDeletes);
    }

    /**
     * This base with the states of {@code analyzers} keyed by {@link Analyzer#key}: those stored
     * for the very columns, by field id, that {@code schema} gives their names. A state stored for
     * a column since dropped, whose name a new column took, is left out, so its analyzer evaluates
     * every file.
     */
    IncrementalBase keyedFor(List<Analyzer> analyzers, Schema schema) {
      Map<String, byte[]> keyed = new LinkedHashMap<>();
      for (Analyzer analyzer : analyzers) {
        byte[] stored = states.get(storedKey(analyzer, schema));
        if (stored != null) {
          keyed.put(analyzer.key(), stored);
        }
      }
      return new IncrementalBase(
          snapshotId,
          keyed,
          addedFiles,
          removedFiles,
          addedDeletes,
          removedDeletes,
          deletedRows,
          rewrites,
          removedWithDeletes);
    }
  }

  /**
   * The key a state is stored under: the analyzer's key, which names its columns, and the field ids
   * those names have in {@code schema}. A name alone could come to mean another column: dropped,
   * then added again with other values.
   */
  private static String storedKey(Analyzer analyzer, Schema schema) {
    StringBuilder key = new StringBuilder(analyzer.key()).append('@');
    for (String column : analyzer.columns()) {
      Types.NestedField field = schema.findField(column);
      key.append(field == null ? -1 : field.fieldId()).append(',');
    }
    return key.toString();
  }

  /**
   * How many snapshots back the nearest audited ancestor is looked for: each probe is one small
   * read, and beyond that many appends a full evaluation is about as cheap.
   */
  static final int MAX_ANCESTORS_PROBED = 50;

  private Optional<IncrementalBase> incrementalBase(Snapshot snapshot, StatsColumns stats) {
    // the candidates, from table metadata alone: the snapshot and its ancestors up to the first
    // that neither appended nor rewrote (a base may be any snapshot, but nothing before a delete
    // or an overwrite can be one)
    List<Snapshot> candidates = new ArrayList<>();
    for (Snapshot ancestor : SnapshotUtil.ancestorsOf(snapshot.snapshotId(), table::snapshot)) {
      if (candidates.size() == MAX_ANCESTORS_PROBED) {
        break;
      }
      candidates.add(ancestor);
      if (!crossable(ancestor)) {
        break;
      }
    }
    // which candidate has stored states and what the newer ones added are independent reads:
    // probe the states on the pool while this thread reads the head's manifests, since the base
    // is usually its parent
    Future<Optional<BaseStates>> probe = pool.submit(() -> probeStates(candidates));
    List<Change> changes = new ArrayList<>();
    for (int i = 0; i < candidates.size(); i++) {
      // the head's manifests are read before the probe answers; later ones only when needed
      if (i > 0 || probe.isDone()) {
        Optional<BaseStates> found = EvaluationThreads.await(probe);
        if (found.isEmpty()) {
          noBase = noStoredStates(candidates);
          return Optional.empty();
        }
        if (found.get().index() <= i) {
          return base(candidates, found.get(), changes, stats);
        }
      }
      // a candidate newer than the base must be a pure append or a rewrite of no rows: a removed
      // file or a delete file invalidates the stored states
      Optional<Change> change = change(candidates.get(i), stats);
      if (change.isEmpty()) {
        noBase =
            "snapshot %d (%s) %s"
                .formatted(
                    candidates.get(i).snapshotId(),
                    candidates.get(i).operation(),
                    DataOperations.REPLACE.equals(candidates.get(i).operation())
                        ? "wrote delete files"
                        : "removed data files or added delete files");
        // not interrupted: an interrupt could land in a catalog or object-store client; the
        // probe has at most this candidate left to read
        probe.cancel(false);
        return Optional.empty();
      }
      changes.add(change.get());
    }
    Optional<BaseStates> found = EvaluationThreads.await(probe);
    if (found.isEmpty()) {
      noBase = noStoredStates(candidates);
      return Optional.empty();
    }
    return base(candidates, found.get(), changes, stats);
  }

  /**
   * Whether a base may lie before {@code snapshot}: an append only adds rows, and a rewrite ({@code
   * replace}: a compaction, a manifest rewrite) changes no row, so states stored before either
   * still describe the rows that were there.
   */
  private static boolean crossable(Snapshot snapshot) {
    return DataOperations.APPEND.equals(snapshot.operation())
        || DataOperations.REPLACE.equals(snapshot.operation())
        || removesWholeFiles(snapshot);
  }

  /**
   * Whether {@code snapshot} may have changed rows by whole data files: a delete or an overwrite,
   * as copy-on-write writers make them (Spark's default for {@code DELETE}, {@code UPDATE} and
   * {@code MERGE}), which remove the files holding changed rows and add their rewritten rows. One
   * that wrote delete files instead is found when its manifests are read.
   */
  private static boolean removesWholeFiles(Snapshot snapshot) {
    return DataOperations.DELETE.equals(snapshot.operation())
        || DataOperations.OVERWRITE.equals(snapshot.operation());
  }

  /**
   * What a snapshot between the base and the evaluated one did to the data files: the files an
   * append, a delete or an overwrite added, whose rows are new; the files a delete or an overwrite
   * removed, whose rows are gone; the position delete files and deletion vectors it added and
   * removed, which change which rows of a file are live; or the files a rewrite removed, whose rows
   * it wrote again into files it added (which hold no new rows).
   */
  private record Change(
      Snapshot snapshot,
      List<DataFile> added,
      List<DataFile> removed,
      List<DeleteFile> addedDeletes,
      List<DeleteFile> removedDeletes,
      Set<String> rewritten) {
    static Change appended(Snapshot snapshot, List<DataFile> added) {
      return new Change(snapshot, added, List.of(), List.of(), List.of(), Set.of());
    }

    static Change rewrote(
        Snapshot snapshot, Set<String> rewritten, List<DeleteFile> removedDeletes) {
      return new Change(snapshot, List.of(), List.of(), List.of(), removedDeletes, rewritten);
    }
  }

  private Optional<Change> change(Snapshot snapshot, StatsColumns stats) {
    if (DataOperations.REPLACE.equals(snapshot.operation())) {
      return rewrittenBy(snapshot);
    }
    if (removesWholeFiles(snapshot)) {
      return Optional.of(replacedBy(snapshot, stats));
    }
    return addedByAppend(snapshot, stats).map(added -> Change.appended(snapshot, added));
  }

  /**
   * The data files a delete or an overwrite added and removed, and the delete files it added and
   * removed, by position or by value: the rows they delete are found from the files they apply to
   * (see {@link #deletedSince}).
   */
  private Change replacedBy(Snapshot snapshot, StatsColumns stats) {
    List<DeleteFile> addedDeletes = new ArrayList<>();
    List<DeleteFile> removedDeletes = new ArrayList<>();
    if (ownDataManifests(snapshot).isEmpty()) {
      snapshot.addedDeleteFiles(table.io()).forEach(addedDeletes::add);
      snapshot.removedDeleteFiles(table.io()).forEach(removedDeletes::add);
    }
    return new Change(
        snapshot,
        withStats(snapshot.addedDataFiles(table.io()), stats),
        withStats(snapshot.removedDataFiles(table.io()), stats),
        addedDeletes,
        removedDeletes,
        Set.of());
  }

  /** The manifests {@code snapshot} wrote, or empty when one of them lists delete files. */
  private Optional<List<ManifestFile>> ownDataManifests(Snapshot snapshot) {
    List<ManifestFile> own = ownManifests(snapshot);
    return own.stream().allMatch(m -> m.content() == ManifestContent.DATA)
        ? Optional.of(own)
        : Optional.empty();
  }

  /** The manifests {@code snapshot} wrote. */
  private List<ManifestFile> ownManifests(Snapshot snapshot) {
    List<ManifestFile> own = new ArrayList<>();
    for (ManifestFile manifest : snapshot.allManifests(table.io())) {
      if (Long.valueOf(snapshot.snapshotId()).equals(manifest.snapshotId())) {
        own.add(manifest);
      }
    }
    return own;
  }

  /** Copies of {@code files} that keep only the column statistics the evaluation reads. */
  private static List<DataFile> withStats(Iterable<DataFile> files, StatsColumns stats) {
    List<DataFile> copies = new ArrayList<>();
    files.forEach(file -> copies.add(file.copyWithStats(stats.ids())));
    return copies;
  }

  /**
   * What a rewrite did: the locations of the data files it removed, and the position delete files
   * it removed that may name a file it kept; empty when it added delete files (which Iceberg's own
   * rewrite refuses; another writer's may not). Only the manifests it wrote that count removed
   * entries are read: a manifest rewrite, whose manifests list every file as existing, reads none.
   */
  private Optional<Change> rewrittenBy(Snapshot snapshot) {
    boolean removesData = false;
    boolean removesDeletes = false;
    for (ManifestFile manifest : ownManifests(snapshot)) {
      boolean removes = !Integer.valueOf(0).equals(manifest.deletedFilesCount());
      if (manifest.content() == ManifestContent.DATA) {
        removesData |= removes;
      } else if (Integer.valueOf(0).equals(manifest.addedFilesCount())) {
        removesDeletes |= removes;
      } else {
        return Optional.empty();
      }
    }
    Set<String> removed = new HashSet<>();
    if (removesData) {
      snapshot.removedDataFiles(table.io()).forEach(f -> removed.add(f.location()));
    }
    List<DeleteFile> removedDeletes = new ArrayList<>();
    if (removesDeletes) {
      for (DeleteFile deletes : snapshot.removedDeleteFiles(table.io())) {
        if (mayNameKeptRows(deletes, removed)) {
          removedDeletes.add(deletes);
        }
      }
    }
    return Optional.of(Change.rewrote(snapshot, removed, removedDeletes));
  }

  /**
   * Whether {@code deletes}, dropped by a rewrite that removed the data files at {@code rewritten},
   * may have deleted rows of a file the rewrite kept, which would be live again. A rewrite changes
   * no row, so an equality delete it dropped applies to nothing after it (Floe's compaction drops
   * one when it rewrites every file of its partition; Iceberg's removal of dangling deletes, when
   * no file is old enough for it), nor does a position delete naming a file it rewrote; one naming
   * another file, or a whole partition's, may.
   */
  private static boolean mayNameKeptRows(DeleteFile deletes, Set<String> rewritten) {
    return deletes.content() == FileContent.POSITION_DELETES
        && !rewritten.contains(ContentFileUtil.referencedDataFileLocation(deletes));
  }

  private static String noStoredStates(List<Snapshot> candidates) {
    Snapshot oldest = candidates.get(candidates.size() - 1);
    if (candidates.size() == MAX_ANCESTORS_PROBED) {
      return "none of the snapshot and its last %d ancestors was audited"
          .formatted(MAX_ANCESTORS_PROBED - 1);
    }
    return crossable(oldest)
        ? "no snapshot in its history was audited"
        : "no audited snapshot from snapshot %d (%s) on, and older ones cannot be a base"
            .formatted(oldest.snapshotId(), oldest.operation());
  }

  /**
   * The data files {@code snapshot} added, or empty when it also removed data files or added delete
   * files. A manifest the snapshot wrote with only added entries (a fast append's) is read directly
   * with the table's partition specs; any other falls back to Iceberg's per-entry status.
   */
  private Optional<List<DataFile>> addedByAppend(Snapshot snapshot, StatsColumns stats) {
    if (!DataOperations.APPEND.equals(snapshot.operation())) {
      return Optional.empty();
    }
    Optional<List<ManifestFile>> own = ownDataManifests(snapshot);
    if (own.isEmpty()) {
      return Optional.empty();
    }
    List<DataFile> added = new ArrayList<>();
    for (ManifestFile manifest : own.get()) {
      if (!Integer.valueOf(0).equals(manifest.existingFilesCount())
          || !Integer.valueOf(0).equals(manifest.deletedFilesCount())) {
        return addedByEntryStatus(snapshot, stats);
      }
      added.addAll(ManifestScan.liveFiles(table, manifest, Expressions.alwaysTrue(), stats.ids()));
    }
    return Optional.of(added);
  }

  private Optional<List<DataFile>> addedByEntryStatus(Snapshot snapshot, StatsColumns stats) {
    if (snapshot.removedDataFiles(table.io()).iterator().hasNext()
        || snapshot.addedDeleteFiles(table.io()).iterator().hasNext()) {
      return Optional.empty();
    }
    return Optional.of(withStats(snapshot.addedDataFiles(table.io()), stats));
  }

  /**
   * The base found at {@code found}, with the files the snapshots after it added and still there,
   * and the files they removed that held rows of the base (a file added since and removed again is
   * neither), each with the deletes that applied to it at the base. A rewrite between is crossed as
   * one that changes nothing the states hold, unless it rewrote a file added since or rows were
   * deleted since: it is then taken as what it did, its removed files' rows gone and its added
   * files' rows new. None when the files added and removed hold as many rows as the snapshot.
   */
  private Optional<IncrementalBase> base(
      List<Snapshot> candidates, BaseStates found, List<Change> changes, StatsColumns stats) {
    // oldest first, so a file is added before it is removed
    List<Change> since = new ArrayList<>(changes.subList(0, found.index()));
    Collections.reverse(since);
    Map<String, DataFile> added = new LinkedHashMap<>();
    List<DataFile> removed = new ArrayList<>();
    Map<String, DeleteFile> addedDeletes = new LinkedHashMap<>();
    List<DeleteFile> removedDeletes = new ArrayList<>();
    int rewrites = 0;
    for (Change change : since) {
      boolean rewrite = DataOperations.REPLACE.equals(change.snapshot().operation());
      if (rewrite) {
        rewrites++;
        if (addedDeletes.isEmpty() && Collections.disjoint(change.rewritten(), added.keySet())) {
          // the rows it wrote again are the base's, as they were there: the states still hold
          removedDeletes.addAll(change.removedDeletes());
          continue;
        }
        // it rewrote rows appended since the base, or files rows were deleted from since (whose
        // rows it left out would leave no trace): taken as what it did, like a copy-on-write
        // change, the rows of the files it removed gone and those of the files it added new
        change = rewroteFiles(change.snapshot(), stats);
      }
      Set<String> removedHere = new HashSet<>();
      for (DataFile file : change.removed()) {
        removedHere.add(file.location());
        if (added.remove(file.location()) == null) {
          removed.add(file);
        }
      }
      change.added().forEach(file -> added.put(file.location(), file));
      for (DeleteFile file : change.removedDeletes()) {
        if (addedDeletes.remove(file.location()) == null
            && (!rewrite || mayNameKeptRows(file, removedHere))) {
          removedDeletes.add(file);
        }
      }
      change.addedDeletes().forEach(file -> addedDeletes.put(file.location(), file));
    }
    Snapshot audited = candidates.get(found.index());
    // a rewrite of most of the table (an overwrite of everything, say) reads less in full
    long read = rows(removed) + rows(List.copyOf(added.values()));
    long total = totalRows(candidates.get(0));
    if (!removed.isEmpty() && read >= total) {
      noBase =
          ("the files added and removed since the audited snapshot %d hold %,d rows, no fewer"
                  + " than the snapshot's %,d: a full read is cheaper")
              .formatted(audited.snapshotId(), read, total);
      return Optional.empty();
    }
    // which of the audited rows a removed file held depends on the deletes that applied to it
    // then: the audited snapshot's plan says
    Map<String, FileScanTask> removedWithDeletes = new HashMap<>();
    if (!removed.isEmpty() && ManifestScan.hasDeleteFiles(table, audited)) {
      Set<String> locations = new HashSet<>();
      removed.forEach(file -> locations.add(file.location()));
      try {
        for (FileScanTask task : planWithDeletes(audited, stats).withDeletes().values()) {
          if (locations.contains(task.file().location())) {
            removedWithDeletes.put(task.file().location(), task);
          }
        }
      } catch (RuntimeException e) {
        LOG.info("cannot plan the audited snapshot {} of {}", audited.snapshotId(), ref, e);
        noBase = "cannot plan the audited snapshot's deletes: " + oneLine(e);
        return Optional.empty();
      }
    }
    return Optional.of(
        new IncrementalBase(
            audited.snapshotId(),
            found.states(),
            List.copyOf(added.values()),
            removed,
            List.copyOf(addedDeletes.values()),
            removedDeletes,
            List.of(),
            rewrites,
            removedWithDeletes));
  }

  /**
   * What a rewrite did, in full: the data files it added and removed, with the statistics the
   * evaluation reads, and every delete file it removed.
   */
  private Change rewroteFiles(Snapshot snapshot, StatsColumns stats) {
    List<DeleteFile> removedDeletes = new ArrayList<>();
    snapshot.removedDeleteFiles(table.io()).forEach(removedDeletes::add);
    return new Change(
        snapshot,
        withStats(snapshot.addedDataFiles(table.io()), stats),
        withStats(snapshot.removedDataFiles(table.io()), stats),
        List.of(),
        removedDeletes,
        Set.of());
  }

  /** The stored states of the candidate at {@code index}. */
  private record BaseStates(int index, Map<String, byte[]> states) {}

  private Optional<BaseStates> probeStates(List<Snapshot> candidates) {
    for (int i = 0; i < candidates.size(); i++) {
      Map<String, byte[]> stored = store.states(ref, candidates.get(i).snapshotId());
      if (!stored.isEmpty()) {
        return Optional.of(new BaseStates(i, stored));
      }
    }
    return Optional.empty();
  }

  /**
   * Stores the states computed for each evaluated snapshot, for later incremental runs. Callers do
   * this after the verdict is out: the verdict never waits for the write.
   */
  void saveStates() {
    boolean prune = unsavedStates.keySet().stream().anyMatch(SnapshotAudit::prunesStates);
    unsavedStates.forEach((snapshotId, encoded) -> store.saveStates(ref, snapshotId, encoded));
    unsavedStates.clear();
    if (prune) {
      pruneStates();
    }
  }

  /**
   * About one evaluation in {@value #PRUNE_EVERY} that stores states also deletes those of expired
   * snapshots: snapshot ids are random, so no counter is needed, and the states of a table stay
   * bounded by its snapshot retention.
   */
  static boolean prunesStates(long snapshotId) {
    return Math.floorMod(snapshotId, PRUNE_EVERY) == 0;
  }

  static final int PRUNE_EVERY = 32;

  /**
   * States of snapshots this evaluation's metadata does not list, written before that metadata was
   * committed (less an hour for clocks apart): any such snapshot existed then and is gone since. A
   * snapshot committed later has its states written later, so a stale view never deletes them.
   */
  private void pruneStates() {
    if (!(table instanceof HasTableOperations operations)) {
      return;
    }
    try {
      TableMetadata metadata = operations.operations().current();
      Set<Long> live = new HashSet<>();
      metadata.snapshots().forEach(s -> live.add(s.snapshotId()));
      Instant before =
          Instant.ofEpochMilli(metadata.lastUpdatedMillis()).minus(Duration.ofHours(1));
      int pruned = store.pruneStates(ref, live, before);
      if (pruned > 0) {
        LOG.info("deleted the stored states of {} expired snapshots of {}", pruned, ref);
      }
    } catch (RuntimeException e) {
      // unpruned states only take space
      LOG.warn("pruning the stored states of {} failed: {}", ref, e.getMessage(), e);
    }
  }

  private void keepStates(
      Snapshot snapshot, Schema schema, List<Analyzer> analyzers, Map<String, State> states) {
    Map<String, byte[]> encoded = new LinkedHashMap<>();
    for (Analyzer analyzer : analyzers) {
      // key ranges are absent when the base was stored without them
      if (!analyzer.storable() || !states.containsKey(analyzer.key())) {
        continue;
      }
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      try (DataOutputStream out = new DataOutputStream(bytes)) {
        states.get(analyzer.key()).write(out);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      encoded.put(storedKey(analyzer, schema), bytes.toByteArray());
    }
    if (!encoded.isEmpty()) {
      unsavedStates.put(snapshot.snapshotId(), encoded);
    }
  }

  private static State read(Analyzer analyzer, byte[] bytes) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      return analyzer.read(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * About the bytes one row's key hash takes while its slice is hashed: the hash in its file's
   * buffer, and again in the folded, sorted copy the buffers are gathered into.
   */
  static final int BYTES_PER_HASHED_ROW = 16;

  /** At most this many hashes in one slice: the folded copy is one array. */
  static final long MAX_SLICE_ROWS = 1L << 30;

  /**
   * About the bytes a candidate key takes while its rows are counted: the key, its count, a slot.
   */
  static final int BYTES_PER_COUNTED_KEY = 256;

  /**
   * How many slices of the hash space {@code keyAnalyzers} key analyzers hash the rows of {@code
   * files} in, for their hashes to stay within {@link QualityConfig#keyMemoryBytes}: a power of
   * two, 1 for any table whose hashes fit at once.
   */
  private int keySlices(long keyAnalyzers, List<DataFile> files) {
    long rows = rows(files);
    double needed = (double) rows * BYTES_PER_HASHED_ROW * keyAnalyzers;
    // and a slice holds at most MAX_SLICE_ROWS hashes, whatever the budget
    return slices(
        "the key hashes of %d uniqueness check(s) over %d rows".formatted(keyAnalyzers, rows),
        needed,
        Math.max(needed, (double) rows / MAX_SLICE_ROWS * config.keyMemoryBytes()));
  }

  /**
   * The slices ({@link #partsFor}) of work sized as needing {@code sized} bytes, logged when more
   * than one.
   *
   * @param what what {@code needed} bytes are held for
   */
  private int slices(String what, double needed, double sized) {
    int result = partsFor(sized);
    if (result > 1) {
      LOG.info(
          "{}: {} need about {} MB, more than the {} MB of {}.{}; taking them in {} slices",
          ref,
          what,
          (long) (needed / (1 << 20)),
          config.keyMemoryBytes() >> 20,
          QualityConfig.SECTION,
          QualityConfig.KEY_MEMORY,
          result);
    }
    return result;
  }

  /**
   * Into how many parts (a power of two, at most 2^20) work needing {@code bytes} at once is split
   * to stay within {@link QualityConfig#keyMemoryBytes}.
   */
  private int partsFor(double bytes) {
    long parts = (long) Math.ceil(bytes / config.keyMemoryBytes());
    return parts <= 1 ? 1 : Integer.highestOneBit((int) Math.min(parts - 1, 1 << 20)) << 1;
  }

  /** Confirms the candidate duplicates of one slice of a key analyzer's hashes. */
  private interface SliceDuplicates {
    /**
     * @param hashes the slice's hashes, from a scan of some files
     * @param holding the positions, among those files, of the files that hold a repeated hash
     */
    Duplicates find(KeyAnalyzer keys, KeyState hashes, BitSet holding);
  }

  /** The files at the positions {@code holding} sets. */
  private static List<DataFile> at(List<DataFile> files, BitSet holding) {
    List<DataFile> held = new ArrayList<>(holding.cardinality());
    holding.stream().forEach(i -> held.add(files.get(i)));
    return held;
  }

  /**
   * The duplicates of each of {@code keys}, which hash the first of their slices: from {@code
   * first}, the scan that hashed it, and for each further slice from {@code scan} of that slice
   * alone; {@code find} confirms one slice's candidates, and the slices' duplicates add up (equal
   * keys hash alike, so a key's rows all lie in one slice). A slice's hashes are dropped from its
   * scan's states once its duplicates are known.
   */
  private void duplicatesBySlice(
      List<KeyAnalyzer> keys,
      FileScanner.Outcome first,
      Function<List<Analyzer>, FileScanner.Outcome> scan,
      SliceDuplicates find,
      Map<String, Duplicates> duplicates) {
    if (keys.isEmpty()) {
      return;
    }
    int slices = keys.get(0).slices();
    for (int s = 0; s < slices; s++) {
      int slice = s;
      List<Analyzer> sliced = keys.stream().map(k -> (Analyzer) k.slice(slice, slices)).toList();
      FileScanner.Outcome outcome = s == 0 ? first : scan.apply(sliced);
      for (Analyzer analyzer : sliced) {
        KeyAnalyzer keyed = (KeyAnalyzer) analyzer;
        Duplicates found =
            find.find(
                keyed,
                (KeyState) outcome.states().get(keyed.key()),
                outcome.holdingRepeats().getOrDefault(keyed.key(), new BitSet()));
        outcome.states().put(keyed.key(), KeyState.empty());
        duplicates.merge(keyed.key(), found, this::union);
      }
    }
    if (slices > 1) {
      keys.forEach(
          k ->
              duplicates.computeIfPresent(
                  k.key(), (key, d) -> new Duplicates(d.extraRows(), d.samples(), slices)));
    }
  }

  /** The duplicates of two disjoint sets of keys: their extra rows, and the first samples. */
  private Duplicates union(Duplicates a, Duplicates b) {
    TreeSet<String> samples = new TreeSet<>(a.samples());
    samples.addAll(b.samples());
    while (samples.size() > config.samples()) {
      samples.pollLast();
    }
    return new Duplicates(a.extraRows() + b.extraRows(), List.copyOf(samples), a.slices());
  }

  /** Re-reads the key columns to count exact duplicates among rows whose hash repeated. */
  private Duplicates confirm(
      FileScanner scanner, List<DataFile> files, KeyAnalyzer keys, long[] candidates) {
    return confirmed(
        candidates,
        (group, counts) ->
            scanner.readKeys(
                files, keys, group::contains, (h, values) -> counts.add(h, normalized(values))));
  }

  /**
   * The exact duplicates among the rows whose key hash is one of {@code candidates}. {@code count}
   * reads the keys once, counting the rows of those in a group of candidates; the candidates go in
   * as many groups, each read in turn, as keep a group's counted keys within {@link
   * QualityConfig#keyMemoryBytes} (a load appended twice makes every key a candidate).
   */
  private Duplicates confirmed(long[] candidates, BiConsumer<LongHashSet, KeyCounts> count) {
    if (candidates.length == 0) {
      return Duplicates.NONE;
    }
    int groups = partsFor((double) candidates.length * BYTES_PER_COUNTED_KEY);
    Duplicates found = null;
    for (int g = 0; g < groups; g++) {
      LongHashSet group = new LongHashSet(candidates.length / groups + 16);
      for (long h : candidates) {
        if (KeyAnalyzer.groupOf(h, groups) == g) {
          group.add(h);
        }
      }
      KeyCounts counts = new KeyCounts(group.size());
      count.accept(group, counts);
      Duplicates next = duplicatesOf(counts);
      found = found == null ? next : union(found, next);
    }
    return found;
  }

  /**
   * Uniqueness after an append: keys of the added files are checked against each other and against
   * the published files, reading only published files whose bounds on the key columns overlap the
   * added keys' range (for increasing ids, usually none). When those files hold more rows than the
   * files removed, deleted from and added since {@code base}, and the added rows' keys are all keys
   * of removed rows (an update that keeps them: {@link #replacesKeys}), the added keys are checked
   * against each other alone.
   */
  private Duplicates incrementalDuplicates(
      FileScanner scanner,
      FileStatistics statistics,
      KeyAnalyzer keys,
      KeyState added,
      List<MinMaxState> addedRanges,
      List<CountState> addedNulls,
      List<DataFile> addedFiles,
      List<DataFile> allFiles,
      IncrementalBase base) {
    if (added.distinct() == 0) {
      return Duplicates.NONE;
    }
    Set<String> addedPaths = new HashSet<>();
    addedFiles.forEach(f -> addedPaths.add(f.location()));
    List<DataFile> overlapping = new ArrayList<>();
    for (DataFile file : allFiles) {
      if (addedPaths.contains(file.location())) {
        continue;
      }
      // a published file can hold an added key only if it overlaps on every key column
      boolean disjoint = false;
      for (int c = 0; c < keys.keyColumns().size() && !disjoint; c++) {
        String column = keys.keyColumns().get(c);
        MinMaxState addedRange = addedRanges.get(c);
        Optional<Object> lower = statistics.anyBound(file, column, true);
        Optional<Object> upper = statistics.anyBound(file, column, false);
        boolean nullsMayMatch =
            addedNulls.get(c).nulls() > 0
                && statistics.nullCount(file, column).filter(n -> n == 0).isEmpty();
        disjoint =
            !nullsMayMatch
                && addedRange.min() != null
                && lower.isPresent()
                && upper.isPresent()
                && (addedRange.comparator().compare(addedRange.max(), lower.get()) < 0
                    || addedRange.comparator().compare(addedRange.min(), upper.get()) > 0);
      }
      if (!disjoint) {
        overlapping.add(file);
      }
    }
    // the look-up reads the overlapping files' live rows, and where equality deletes apply it
    // matches every row against them, which costs about another read
    long lookUp = 0;
    for (DataFile file : overlapping) {
      lookUp += file.recordCount() * (scanner.deletesByValue(file) ? 2 : 1);
    }
    if (lookUp > base.removedRowsRead() + rows(addedFiles)
        && replacesKeys(scanner, base, keys, added, addedFiles)) {
      return confirm(scanner, addedFiles, keys, added.repeated());
    }
    LongHashSet candidates = hashSet(added.repeated());
    if (!overlapping.isEmpty()) {
      LongHashSet hits = new LongHashSet(16);
      Object lock = new Object();
      scanner.readKeys(
          overlapping,
          keys,
          added.members(),
          (h, values) -> {
            synchronized (lock) {
              hits.add(h);
            }
          });
      hits.forEach(candidates::add);
    }
    List<DataFile> toConfirm = new ArrayList<>(addedFiles);
    toConfirm.addAll(overlapping);
    return confirm(scanner, toConfirm, keys, candidates.toArray());
  }

  /**
   * Whether the key of every added row whose hash {@code addedKeys} holds is the key of a row
   * removed since {@code base} (in a file removed, or deleted by position or value), compared
   * whole. The base had no duplicate keys, so each such key's one published row is gone, and the
   * added rows can repeat a key only among themselves: an update that rewrites rows and keeps their
   * keys needs no look at the other files. False when the removed rows cannot be read, or when
   * their matching keys could need more than the key memory.
   */
  private boolean replacesKeys(
      FileScanner scanner,
      IncrementalBase base,
      KeyAnalyzer keys,
      KeyState addedKeys,
      List<DataFile> addedFiles) {
    if (!base.removesRows()
        || (double) addedKeys.distinct() * BYTES_PER_COUNTED_KEY > config.keyMemoryBytes()) {
      return false;
    }
    LongPredicate added = addedKeys.members();
    KeyCounts removed = new KeyCounts(addedKeys.distinct());
    FileScanner.KeySink keep = (h, values) -> removed.add(h, normalized(values));
    try {
      if (!base.removedFiles().isEmpty()) {
        scanner.readKeys(base.removedFiles(), keys, added, keep);
      }
      if (!base.deletedRows().isEmpty()) {
        scanner.readDeletedKeys(base.deletedRows(), keys, added, keep);
      }
    } catch (RuntimeException e) {
      LOG.info(
          "cannot read the rows removed from {} since snapshot {} for their keys: {}",
          ref,
          base.snapshotId(),
          e.getMessage());
      return false;
    }
    AtomicBoolean replaced = new AtomicBoolean(true);
    scanner.readKeys(
        addedFiles,
        keys,
        added,
        (h, values) -> {
          if (replaced.get() && !removed.holds(h, normalized(values))) {
            replaced.set(false);
          }
        });
    return replaced.get();
  }

  private static LongHashSet hashSet(long[] hashes) {
    LongHashSet set = new LongHashSet(hashes.length);
    for (long h : hashes) {
      set.add(h);
    }
    return set;
  }

  private static List<Object> normalized(List<Object> values) {
    List<Object> key = new ArrayList<>(values.size());
    values.forEach(v -> key.add(v == null ? "<null>" : Columns.normalize(v)));
    return key;
  }

  private Duplicates duplicatesOf(KeyCounts counts) {
    long[] extra = {0};
    TreeSet<String> samples = new TreeSet<>();
    counts.forEachRepeated(
        (key, count) -> {
          extra[0] += count - 1;
          samples.add(key + " x" + count);
          if (samples.size() > config.samples()) {
            samples.pollLast();
          }
        });
    return new Duplicates(extra[0], List.copyOf(samples), 1);
  }

  private CheckResult judge(
      Planned plan,
      Schema schema,
      Snapshot snapshot,
      Computed computed,
      Optional<Long> published,
      boolean incremental) {
    Check check = plan.check();
    MetricSource source = source(plan.analyzers(), computed);
    String name = metricName(check);
    return switch (check.type()) {
      case ROW_COUNT -> {
        CountState state = (CountState) computed.states().get(plan.analyzers().get(0).key());
        yield bounded(check, name, state.rows(), source, 0, List.of());
      }
      case NOT_NULL -> {
        CountState state = (CountState) computed.states().get(plan.analyzers().get(0).key());
        double fraction = state.rows() == 0 ? 0 : (double) state.nulls() / state.rows();
        yield bounded(check, name, fraction, source, state.nulls(), List.of());
      }
      case UNIQUE -> {
        Duplicates duplicates = computed.duplicates().get(plan.analyzers().get(0).key());
        CheckResult result =
            check.options().maxFraction() == 0
                ? bounded(
                    check,
                    name,
                    duplicates.extraRows(),
                    source,
                    duplicates.extraRows(),
                    duplicates.samples())
                : tolerated(
                    check,
                    name,
                    duplicates,
                    ((CountState) computed.states().get(plan.analyzers().get(1).key())).rows(),
                    source);
        yield duplicates.slices() == 1
            ? result
            : new CheckResult(
                result.check(),
                result.status(),
                result.metricName(),
                result.metric(),
                result.threshold(),
                result.source(),
                result.failingRows(),
                result.samples(),
                "%s (keys hashed in %d passes to stay within %s.%s)"
                    .formatted(
                        result.message(),
                        duplicates.slices(),
                        QualityConfig.SECTION,
                        QualityConfig.KEY_MEMORY));
      }
      case ACCEPTED_VALUES, PATTERN, LENGTH, PREDICATE, REFERENCES -> {
        ViolationState state =
            (ViolationState) computed.states().get(plan.analyzers().get(0).key());
        Tolerance tolerance = new Tolerance(check.options().maxFraction());
        CheckStatus status =
            tolerance.passes(state.violations(), state.rows())
                ? CheckStatus.PASS
                : CheckStatus.FAIL;
        ReferencedColumn referenced = references.get(plan.analyzers().get(0).key());
        String meeting = check.whereSuffix();
        String passes =
            referenced == null || referenced.slices() == 1
                ? ""
                : " (values looked up in %d passes to stay within %s.%s)"
                    .formatted(
                        referenced.slices(), QualityConfig.SECTION, QualityConfig.KEY_MEMORY);
        yield new CheckResult(
            check,
            status,
            name,
            OptionalDouble.of(state.violations()),
            tolerance.threshold(),
            source,
            state.violations(),
            state.samples(),
            state.violations() == 0
                ? "all %,d rows%s hold%s".formatted(state.rows(), meeting, passes)
                : tolerance.describe(state.violations(), state.rows(), meeting, "break the rule")
                    + passes);
      }
      case MIN, MAX -> {
        MinMaxState state = (MinMaxState) computed.states().get(plan.analyzers().get(0).key());
        Object value = check.type() == CheckType.MIN ? state.min() : state.max();
        Optional<ValueRange.Typed> range = valueRange(check, primitive(schema, check.column()));
        if (value == null) {
          yield notApplicable(
              check,
              name,
              range.map(Object::toString).orElseGet(() -> check.bounds().toString()),
              source,
              noValues(check));
        }
        if (range.isEmpty()) {
          yield bounded(check, name, Columns.toDouble(value), source, 0, List.of());
        }
        ValueRange.Typed typed = range.get();
        yield judged(
            check,
            name,
            typed.contains(value),
            typed.metric(value),
            typed.show(value),
            typed.toString(),
            source,
            0,
            List.of());
      }
      case MEAN, SUM, STDDEV -> {
        MomentsState state = (MomentsState) computed.states().get(plan.analyzers().get(0).key());
        if (state.count() == 0 && check.type() != CheckType.SUM) {
          yield notApplicable(check, name, source, noValues(check));
        }
        double value =
            switch (check.type()) {
              case MEAN -> state.mean();
              case SUM -> state.sum();
              default -> state.stddev();
            };
        yield bounded(check, name, value, source, 0, List.of());
      }
      case QUANTILE -> {
        SketchState state = (SketchState) computed.states().get(plan.analyzers().get(0).key());
        if (state.isEmpty()) {
          yield notApplicable(check, name, source, noValues(check));
        }
        yield bounded(
            check, name, state.quantile(check.options().quantile()), source, 0, List.of());
      }
      case DISTINCT_COUNT -> {
        SketchState state = (SketchState) computed.states().get(plan.analyzers().get(0).key());
        yield bounded(
            check, name, state.isEmpty() ? 0 : state.distinctEstimate(), source, 0, List.of());
      }
      case FRESHNESS -> freshness(check, name, schema, snapshot, computed, plan, source);
      case SCHEMA -> schemaCheck(check, name, schema);
      case CHANGE ->
          change(
              check,
              name,
              measured(plan, schema, snapshot, computed, published, incremental),
              snapshot,
              published,
              incremental);
      case ANOMALY ->
          anomaly(check, measured(plan, schema, snapshot, computed, published, incremental));
      case RECONCILE ->
          reconcile(
              check,
              name,
              measured(plan, schema, snapshot, computed, published, incremental),
              incremental);
    };
  }

  private CheckResult freshness(
      Check check,
      String name,
      Schema schema,
      Snapshot snapshot,
      Computed computed,
      Planned plan,
      MetricSource source) {
    MinMaxState state = (MinMaxState) computed.states().get(plan.analyzers().get(0).key());
    if (state.max() == null) {
      return new CheckResult(
          check,
          CheckStatus.FAIL,
          name,
          OptionalDouble.empty(),
          "<= " + check.options().maxAge().orElseThrow().toSeconds() + " s",
          source,
          0,
          List.of(),
          "no rows%s have a value in %s".formatted(check.whereSuffix(), check.column()));
    }
    Type type = schema.findField(check.column()).type();
    long newestMicros =
        switch (type.typeId()) {
          case DATE -> ((Integer) state.max()) * 86_400_000_000L;
          case TIMESTAMP_NANO -> Math.floorDiv((Long) state.max(), 1_000L);
          default -> (Long) state.max();
        };
    long anchorMillis =
        check.options().freshnessAnchor() == CheckOptions.FreshnessAnchor.COMMIT
            ? snapshot.timestampMillis()
            : clock.millis();
    double ageSeconds = Math.max(0, (anchorMillis * 1000 - newestMicros) / 1_000_000.0);
    CheckResult result = bounded(check, name, ageSeconds, source, 0, List.of());
    return new CheckResult(
        check,
        result.status(),
        name,
        result.metric(),
        "<= " + check.options().maxAge().orElseThrow().toSeconds() + " s",
        source,
        0,
        List.of(),
        "newest %s is %s old (allowed %s)"
            .formatted(
                check.column(),
                Durations.describe(java.time.Duration.ofSeconds((long) ageSeconds)),
                Durations.format(check.options().maxAge().orElseThrow())));
  }

  /** Why a check of the values of its column measures nothing. */
  private static String noValues(Check check) {
    return check
        .where()
        .map(w -> "no row where %s has a value in %s".formatted(w, check.column()))
        .orElse("the column has no non-null values");
  }

  /**
   * Columns, or fields of structs by their dotted path, present with the expected types; when
   * strict, nothing beyond them (a column listed whole covers its fields, and one listed by some of
   * its fields must have no others).
   */
  static CheckResult schemaCheck(Check check, String name, Schema schema) {
    List<String> problems = new ArrayList<>();
    Map<String, String> expected = check.options().expectedColumns();
    for (Map.Entry<String, String> column : expected.entrySet()) {
      Types.NestedField field = schema.findField(column.getKey());
      if (field == null) {
        problems.add("missing column " + column.getKey());
      } else if (!typeMatches(field.type(), column.getValue())) {
        problems.add(
            "%s is %s, expected %s"
                .formatted(column.getKey(), field.type(), normalizeType(column.getValue())));
      }
    }
    if (check.options().strictSchema()) {
      unexpected(schema.asStruct(), "", expected.keySet(), problems);
    }
    CheckStatus status = problems.isEmpty() ? CheckStatus.PASS : CheckStatus.FAIL;
    return new CheckResult(
        check,
        status,
        name,
        OptionalDouble.of(problems.size()),
        "= 0",
        MetricSource.METADATA,
        0,
        problems.stream().limit(20).toList(),
        problems.isEmpty() ? "schema matches" : String.join("; ", problems));
  }

  private static void unexpected(
      Type type, String prefix, Set<String> expected, List<String> problems) {
    for (Types.NestedField field : type.asNestedType().fields()) {
      String path = prefix + field.name();
      if (expected.contains(path)) {
        continue;
      }
      if (expected.stream().anyMatch(listed -> listed.startsWith(path + "."))) {
        unexpected(field.type(), path + ".", expected, problems);
      } else {
        problems.add("unexpected column %s %s".formatted(path, field.type()));
      }
    }
  }

  /**
   * Whether a column's type is the one written: in Iceberg's, Trino's or Spark's name for it
   * ({@code long}, {@code bigint}; {@code timestamptz}, {@code timestamp(6) with time zone}), or
   * {@code struct}, {@code list} or {@code map} (Trino's {@code row}, {@code array}) for any of
   * that kind.
   */
  static boolean typeMatches(Type actual, String written) {
    String wanted = normalizeType(written);
    return switch (wanted) {
      case "struct" -> actual.isStructType();
      case "list" -> actual.isListType();
      case "map" -> actual.isMapType();
      default -> normalizeType(actual.toString()).equals(wanted);
    };
  }

  static String normalizeType(String type) {
    String t = type.trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
    if (t.matches("(var)?char\\(\\d+\\)")) {
      return "string";
    }
    return switch (t) {
      case "bigint" -> "long";
      case "integer" -> "int";
      case "real" -> "float";
      case "bool" -> "boolean";
      case "varchar", "text" -> "string";
      case "varbinary" -> "binary";
      case "timestamp(6)", "timestamp_ntz" -> "timestamp";
      case "timestamp(6)withtimezone", "timestampwithtimezone" -> "timestamptz";
      case "timestamp(9)" -> "timestamp_ns";
      case "timestamp(9)withtimezone" -> "timestamptz_ns";
      case "time(6)" -> "time";
      case "row" -> "struct";
      case "array" -> "list";
      default -> t;
    };
  }

  private CheckResult change(
      Check check,
      String name,
      CheckResult current,
      Snapshot snapshot,
      Optional<Long> published,
      boolean incremental) {
    Check metric = check.options().metric().orElseThrow();
    if (published.isEmpty()) {
      return notApplicable(
          check, name, MetricSource.NONE, "no published snapshot on main to compare with");
    }
    // main itself is measured already; another snapshot, in an incremental run, from the states
    // its audit stored when it has them
    CheckResult previous =
        published.get() == snapshot.snapshotId()
            ? current
            : evaluate(
                    List.of(metric),
                    table.snapshot(published.get()),
                    incremental,
                    Optional.empty(),
                    false)
                .get(0);
    if (previous.status() == CheckStatus.ERROR) {
      throw new IllegalStateException(
          "cannot measure %s on published snapshot %d: %s"
              .formatted(metric.name(), published.get(), previous.message()));
    }
    double now = current.metric().getAsDouble();
    // like an anomaly check without history: nothing to hold the change to yet
    if (previous.metric().isEmpty()) {
      return notApplicable(
          check,
          name,
          previous.source(),
          "published snapshot %d has no %s to compare with (%s)"
              .formatted(published.get(), metric.name(), previous.message()));
    }
    double before = previous.metric().getAsDouble();
    if (before == 0 && now != 0) {
      return notApplicable(
          check,
          name,
          current.source().and(previous.source()),
          "%s was 0 on published snapshot %d and is %s now: a change from 0 has no percentage"
              .formatted(metric.name(), published.get(), Bounds.format(now)));
    }
    double delta = before == now ? 0 : (now - before) / Math.abs(before) * 100;
    return delta(
        check,
        name,
        delta,
        current.source().and(previous.source()),
        "%s moved from %s to %s (%+.2f%%) against published snapshot %d"
            .formatted(
                metric.name(), Bounds.format(before), Bounds.format(now), delta, published.get()));
  }

  /**
   * A change in percent held to the check's bounds on its size; an infinite one (from 0) has no
   * metric and passes no bound.
   */
  private static CheckResult delta(
      Check check, String name, double delta, MetricSource source, String message) {
    return new CheckResult(
        check,
        check.bounds().contains(Math.abs(delta)) ? CheckStatus.PASS : CheckStatus.FAIL,
        name,
        Double.isInfinite(delta) ? OptionalDouble.empty() : OptionalDouble.of(delta),
        "|delta| " + check.bounds(),
        source,
        0,
        List.of(),
        message);
  }

  /**
   * {@code ours} against the same or another metric of the other table's published snapshot, which
   * is measured as that table's own check would measure it (from the states its audits stored, in
   * an incremental run). Values that agree to {@value Bounds#DIGITS} significant digits are equal:
   * sums of the same rows added in another order may differ in their last bits.
   */
  private CheckResult reconcile(Check check, String name, CheckResult ours, boolean incremental) {
    TableRef otherRef = check.options().reference().orElseThrow();
    Check against = check.options().against().orElseThrow();
    Published found = reconciledWith(check);
    Table other = found.table();
    Snapshot published = found.snapshot();
    CheckResult theirs =
        new SnapshotAudit(catalog, other, otherRef, config, List.of(), store, pool, clock)
            .evaluate(List.of(against), published, incremental, Optional.empty(), false)
            .get(0);
    if (theirs.status() == CheckStatus.ERROR || theirs.metric().isEmpty()) {
      throw new IllegalStateException(
          "cannot measure %s on %s's snapshot %d: %s"
              .formatted(against.name(), otherRef, published.snapshotId(), theirs.message()));
    }
    double now = ours.metric().getAsDouble();
    double expected = theirs.metric().getAsDouble();
    boolean equal =
        Math.abs(now - expected)
            <= Math.pow(10, -Bounds.DIGITS) * Math.max(Math.abs(now), Math.abs(expected));
    double delta =
        equal
            ? 0
            : expected == 0
                ? Double.POSITIVE_INFINITY
                : (now - expected) / Math.abs(expected) * 100;
    return delta(
        check,
        name,
        delta,
        ours.source().and(theirs.source()),
        "%s = %s; %s of %s at %s %d = %s (%s)"
            .formatted(
                ours.check().name(),
                Bounds.format(now),
                against.name(),
                otherRef,
                found.at(),
                published.snapshotId(),
                Bounds.format(expected),
                equal
                    ? "equal"
                    : Double.isInfinite(delta) ? "against 0" : "%+.2f%%".formatted(delta)));
  }

  private CheckResult anomaly(Check check, CheckResult measured) {
    Check metric = check.options().metric().orElseThrow();
    double value = measured.metric().getAsDouble();
    // the store answers newest first; a result lists them in the order they were published
    List<Double> history =
        new ArrayList<>(store.publishedValues(ref, metricName(metric), check.options().history()));
    Collections.reverse(history);
    if (history.size() < CheckOptions.MIN_HISTORY) {
      return new CheckResult(
          check,
          CheckStatus.NOT_APPLICABLE,
          metricName(metric),
          OptionalDouble.of(value),
          "|z| " + check.bounds(),
          measured.source(),
          0,
          List.of(),
          "%s of %s so far; need %d"
              .formatted(
                  history.isEmpty()
                      ? "no published values"
                      : "only " + counted(history.size(), "published value"),
                  metric.name(),
                  CheckOptions.MIN_HISTORY),
          history);
    }
    Spread spread = Spread.of(history);
    double z = spread.sigmas(value);
    CheckStatus status = check.bounds().contains(z) ? CheckStatus.PASS : CheckStatus.FAIL;
    return new CheckResult(
        check,
        status,
        metricName(metric),
        OptionalDouble.of(value),
        "within " + Bounds.format(check.options().sigma()) + " sigma",
        measured.source(),
        0,
        List.of(),
        "%s = %s; last %d publishes: mean %s, sd %s, %.2f sigma away"
            .formatted(
                metric.name(),
                Bounds.format(value),
                history.size(),
                Bounds.format(spread.mean()),
                Bounds.format(spread.deviation()),
                z),
        history);
  }

  /**
   * The result of a change or anomaly check's metric, from the analyzers planned for it in the
   * suite's computation; it must hold a value, or the check is an error.
   */
  private CheckResult measured(
      Planned plan,
      Schema schema,
      Snapshot snapshot,
      Computed computed,
      Optional<Long> published,
      boolean incremental) {
    Check metric = plan.check().options().metric().orElseThrow();
    CheckResult result =
        judge(
            new Planned(metric, plan.analyzers(), Optional.empty()),
            schema,
            snapshot,
            computed,
            published,
            incremental);
    if (result.status() == CheckStatus.ERROR || result.metric().isEmpty()) {
      throw new IllegalStateException("cannot measure " + metric.name() + ": " + result.message());
    }
    return result;
  }

  /** A fraction as a percentage to three significant digits: {@code 0.1%}, {@code 33.3%}. */
  static String percent(double fraction) {
    return new BigDecimal(fraction * 100)
            .round(new MathContext(3))
            .stripTrailingZeros()
            .toPlainString()
        + "%";
  }

  /**
   * A share of the measured rows that may break a row rule or repeat a key: none when 0, else at
   * most {@code tolerated} of them. Comparing the quotient keeps the boundary exact: 29 of 100 is
   * within 0.29.
   */
  private record Tolerance(double tolerated) {
    boolean passes(long broken, long rows) {
      return broken == 0 || (double) broken / rows <= tolerated;
    }

    String threshold() {
      return tolerated == 0 ? "= 0" : "<= " + allowed();
    }

    private String allowed() {
      return percent(tolerated) + " of rows";
    }

    /** {@code 3 of 1,000 rows (0.3%) <what>, within the 1% of rows allowed}. */
    String describe(long broken, long rows, String meeting, String what) {
      return "%,d of %,d rows%s (%s) %s%s"
          .formatted(
              broken,
              rows,
              meeting,
              percent((double) broken / rows),
              what,
              tolerated == 0
                  ? ""
                  : passes(broken, rows)
                      ? ", within the " + allowed() + " allowed"
                      : ", more than the " + allowed() + " allowed");
    }
  }

  /**
   * A uniqueness check with a tolerance: its metric is still the count of rows beyond the first of
   * each key, held to a share of the measured {@code rows}; its samples are kept on a pass too.
   */
  private static CheckResult tolerated(
      Check check, String name, Duplicates duplicates, long rows, MetricSource source) {
    Tolerance tolerance = new Tolerance(check.options().maxFraction());
    long extra = duplicates.extraRows();
    return new CheckResult(
        check,
        tolerance.passes(extra, rows) ? CheckStatus.PASS : CheckStatus.FAIL,
        name,
        OptionalDouble.of(extra),
        tolerance.threshold(),
        source,
        extra,
        duplicates.samples(),
        extra == 0
            ? "no key repeats in %,d rows%s".formatted(rows, check.whereSuffix())
            : tolerance.describe(extra, rows, check.whereSuffix(), "repeat an earlier row's key"));
  }

  private static CheckResult bounded(
      Check check,
      String name,
      double value,
      MetricSource source,
      long failingRows,
      List<String> samples) {
    boolean pass = check.bounds().contains(value);
    String threshold = check.type() == CheckType.UNIQUE ? "= 0" : check.bounds().toString();
    return judged(
        check,
        name,
        pass,
        OptionalDouble.of(value),
        check.bounds().describe(value),
        threshold,
        source,
        pass ? 0 : failingRows,
        pass ? List.of() : samples);
  }

  /** A value held to a threshold: {@code name = shown, expected threshold}. */
  private static CheckResult judged(
      Check check,
      String name,
      boolean pass,
      OptionalDouble metric,
      String shown,
      String threshold,
      MetricSource source,
      long failingRows,
      List<String> samples) {
    return new CheckResult(
        check,
        pass ? CheckStatus.PASS : CheckStatus.FAIL,
        name,
        metric,
        threshold,
        source,
        failingRows,
        samples,
        "%s = %s, expected %s".formatted(name, shown, threshold));
  }

  private static CheckResult notApplicable(
      Check check, String name, MetricSource source, String why) {
    return notApplicable(check, name, check.bounds().toString(), source, why);
  }

  private static CheckResult notApplicable(
      Check check, String name, String threshold, MetricSource source, String why) {
    return new CheckResult(
        check,
        CheckStatus.NOT_APPLICABLE,
        name,
        OptionalDouble.empty(),
        threshold,
        source,
        0,
        List.of(),
        why);
  }

  private static MetricSource source(List<Analyzer> analyzers, Computed computed) {
    if (analyzers.stream().anyMatch(a -> computed.incremental().contains(a.key()))) {
      return MetricSource.INCREMENTAL;
    }
    if (analyzers.stream().anyMatch(a -> computed.scanned().contains(a.key()))) {
      return MetricSource.SCAN;
    }
    return MetricSource.METADATA;
  }

  /**
   * The name a check's metric is recorded under, and an anomaly check finds its history by: a
   * {@code where} is part of it, as the metric of other rows is another metric.
   */
  static String metricName(Check check) {
    String measured = measuredName(check);
    return switch (check.type()) {
      // named after the check, whose name is unique in the suite
      case ACCEPTED_VALUES, PATTERN, LENGTH, REFERENCES, CHANGE, ANOMALY, RECONCILE, SCHEMA ->
          measured;
      default -> measured + check.whereSuffix();
    };
  }

  private static String measuredName(Check check) {
    String columns = String.join(",", check.columns());
    return switch (check.type()) {
      case ROW_COUNT -> "row_count";
      case NOT_NULL -> "null_fraction(" + columns + ")";
      case UNIQUE -> "duplicate_rows(" + columns + ")";
      case ACCEPTED_VALUES, PATTERN, LENGTH, REFERENCES -> "violations(" + check.name() + ")";
      case PREDICATE -> "violations(" + check.options().expression().orElse("") + ")";
      case MIN -> "min(" + columns + ")";
      case MAX -> "max(" + columns + ")";
      case MEAN -> "mean(" + columns + ")";
      case SUM -> "sum(" + columns + ")";
      case STDDEV -> "stddev(" + columns + ")";
      case QUANTILE ->
          "quantile_" + Bounds.format(check.options().quantile()) + "(" + columns + ")";
      case DISTINCT_COUNT -> "distinct(" + columns + ")";
      case FRESHNESS -> "age_seconds(" + columns + ")";
      case SCHEMA -> "schema_mismatches";
      case CHANGE ->
          "delta_pct(" + check.options().metric().map(SnapshotAudit::metricName).orElse("") + ")";
      case ANOMALY -> check.options().metric().map(SnapshotAudit::metricName).orElse("");
      case RECONCILE ->
          "delta_pct(%s, %s %s)"
              .formatted(
                  check.options().metric().map(SnapshotAudit::metricName).orElse(""),
                  check.options().reference().map(TableRef::toString).orElse(""),
                  check.options().against().map(SnapshotAudit::metricName).orElse(""));
    };
  }

  private static void requireString(Schema schema, String column) {
    Type type = schema.findField(column).type();
    if (type.typeId() != Type.TypeID.STRING) {
      throw new IllegalArgumentException(
          "%s is %s; this check needs a string column".formatted(column, type));
    }
  }

  /**
   * A min or max check's bounds read in its column's type, or none when the column is numeric (then
   * {@link Check#bounds} hold it).
   */
  private static Optional<ValueRange.Typed> valueRange(Check check, Type.PrimitiveType type) {
    ValueRange range = check.options().range();
    if (!Columns.isNumeric(type)) {
      return Optional.of(range.in(type));
    }
    for (Map.Entry<String, Optional<String>> bound :
        List.of(Map.entry(Suites.MIN, range.min()), Map.entry(Suites.MAX, range.max()))) {
      if (bound.getValue().isPresent() && ConfigNode.decimalOf(bound.getValue().get()).isEmpty()) {
        throw new IllegalArgumentException(
            "%s '%s' is not a number, and %s is %s"
                .formatted(bound.getKey(), bound.getValue().get(), check.column(), type));
      }
    }
    return Optional.empty();
  }

  private static void requireNumeric(Schema schema, String column) {
    Type type = schema.findField(column).type();
    if (!Columns.isNumeric(type)) {
      throw new IllegalArgumentException(
          "%s is %s; this check needs a numeric column".formatted(column, type));
    }
  }

  private static Type.PrimitiveType primitive(Schema schema, String column) {
    Type type = schema.findField(column).type();
    if (!type.isPrimitiveType()) {
      throw new IllegalArgumentException(column + " is not a primitive column");
    }
    return type.asPrimitiveType();
  }

  static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse("").trim();
  }
}
