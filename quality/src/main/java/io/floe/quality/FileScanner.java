package io.floe.quality;

import io.floe.catalog.ReadOnceDeleteLoader;
import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.LongPredicate;
import java.util.function.Predicate;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.JavaHash;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.StructLikeSet;
import org.apache.iceberg.util.StructProjection;

/**
 * Computes analyzer states per data file, in parallel on a bounded pool: from statistics where an
 * analyzer can, then from the dictionaries of the file's columns (in files large enough for that to
 * pay), else by reading only the columns the remaining analyzers need, once per file. File states
 * are folded as files finish, so memory holds the running total plus the files in flight.
 *
 * <p>With fewer files than threads (an incremental check's one appended file, or a table of one
 * large file), a file's analyzers are split into groups, each reading its own columns of the file
 * on its own thread, so the threads are not left idle (see {@link #columnGroups}).
 *
 * <p>Every read is of a snapshot's live rows: a file that row-level deletes apply to is read with
 * them applied, whatever reads it (an evaluation, a key look-up, a confirmation of duplicates).
 */
final class FileScanner {
  private final Table table;
  private final Schema schema;
  private final FileStatistics statistics;
  private final ExecutorService pool;
  private final int threads;
  // the scan task, by data file location, of each file that row-level deletes apply to
  private final Map<String, FileScanTask> withDeletes;
  // every delete file is loaded once, however many reads apply it
  private final DeleteLoader deletes;
  // whether a file with deletes has no live row, found once however many reads ask
  private final Map<String, Boolean> noLiveRows = new ConcurrentHashMap<>();
  // the projection of each set of columns read, built once rather than for every file
  private final Map<Set<String>, Schema> projections = new ConcurrentHashMap<>();

  /**
   * A scanner of a snapshot's files; {@code withDeletes} holds the scan task, by data file
   * location, of each that row-level deletes apply to; the rows deleted since an audit that its
   * reads keep take at most {@code keptBytes} (see {@link DeletedRows}).
   */
  FileScanner(
      Table table,
      Schema schema,
      FileStatistics statistics,
      ExecutorService pool,
      int threads,
      Map<String, FileScanTask> withDeletes,
      long keptBytes) {
    this.table = table;
    this.schema = schema;
    this.statistics = statistics;
    this.pool = pool;
    this.threads = threads;
    this.withDeletes = Map.copyOf(withDeletes);
    this.deletes = new ReadOnceDeleteLoader(table.io());
    this.maxKeptValues = keptBytes / BYTES_PER_KEPT_VALUE;
  }

  /**
   * Whether equality deletes apply to {@code file}: reading its live rows matches each of them
   * against the deleted values.
   */
  boolean deletesByValue(DataFile file) {
    FileScanTask task = withDeletes.get(file.location());
    return task != null && byValue(task.deletes());
  }

  /** Whether one of {@code files} is an equality delete file. */
  static boolean byValue(List<DeleteFile> files) {
    return files.stream().anyMatch(file -> file.content() == FileContent.EQUALITY_DELETES);
  }

  /** The loader every read of this scanner loads delete files with, keeping what it loaded. */
  DeleteLoader deleteLoader() {
    return deletes;
  }

  /**
   * States by analyzer key, which analyzers had to read at least one file, and for each key
   * analyzer the positions of the files holding one of its repeated hashes.
   */
  record Outcome(
      Map<String, State> states,
      Set<String> scanned,
      int filesRead,
      Map<String, BitSet> holdingRepeats) {}

  /**
   * The states of {@code analyzers} over the live rows of {@code files}. A file that row-level
   * deletes apply to is read whole on one thread with its deletes applied; its statistics (which
   * count the deleted rows) and its dictionaries (which hold their values) answer only what {@link
   * Analyzer#liveFromMetadata} can answer from the count of rows a deletion vector deletes.
   */
  Outcome evaluate(List<DataFile> files, List<Analyzer> analyzers) {
    Map<String, State> totals = new LinkedHashMap<>();
    for (Analyzer analyzer : analyzers) {
      totals.put(analyzer.key(), analyzer.empty());
    }
    Set<String> scanned = new LinkedHashSet<>();
    if (analyzers.isEmpty()) {
      return new Outcome(totals, scanned, 0, Map.of());
    }
    // key sets are folded once all files are read, in parallel on the pool; see KeyState.Folder
    Map<String, KeyState.Folder> keyFolders = new LinkedHashMap<>();
    Map<String, BitSet> holdingRepeats = new HashMap<>();
    List<Callable<FileStates>> tasks = new ArrayList<>();
    int ways = !files.isEmpty() && files.size() < threads ? threads / files.size() : 1;
    int[] all = IntStream.range(0, analyzers.size()).toArray();
    Map<String, MinMaxState> reached = boundsWithoutDeletes(files, analyzers);
    for (int f = 0; f < files.size(); f++) {
      DataFile file = files.get(f);
      int index = f;
      FileScanTask deleting = withDeletes.get(file.location());
      if (deleting != null) {
        tasks.add(
            () ->
                noLiveRows(deleting)
                    ? noRows(index, analyzers)
                    : evaluateLiveRows(index, deleting, analyzers, reached));
      } else if (ways == 1) {
        tasks.add(() -> evaluateFile(index, file, analyzers, all));
      } else {
        for (int[] group : columnGroups(file, analyzers, ways)) {
          tasks.add(() -> evaluateFile(index, file, analyzers, group));
        }
      }
    }
    // with no more tasks than threads, the last runs on this thread, which would otherwise only
    // wait; with more, this thread folds finished files while the pool reads
    int[] submitted = {0};
    CompletionService<FileStates> completion =
        new ExecutorCompletionService<>(
            task -> {
              if (++submitted[0] == tasks.size() && tasks.size() <= threads) {
                task.run();
              } else {
                pool.execute(task);
              }
            });
    List<Future<FileStates>> futures = new ArrayList<>();
    for (Callable<FileStates> task : tasks) {
      futures.add(completion.submit(task));
    }
    boolean[] read = new boolean[files.size()];
    // each analyzer folds the files' states in the files' path order, whatever order their reads
    // finish in: a sketch's merge depends on the order, and a snapshot's metrics must not
    int[] position = foldPositions(files);
    State[][] pending = new State[analyzers.size()][];
    int[] folded = new int[analyzers.size()];
    try {
      for (int i = 0; i < tasks.size(); i++) {
        FileStates done = completion.take().get();
        read[done.file()] |= done.read();
        for (int a = 0; a < analyzers.size(); a++) {
          if (done.states()[a] == null) {
            continue; // another group of the same file computes it
          }
          String key = analyzers.get(a).key();
          if (done.scanned()[a]) {
            scanned.add(key);
          }
          if (done.states()[a] instanceof KeyState keys) {
            keyFolders.computeIfAbsent(key, k -> new KeyState.Folder()).add(keys, done.file());
            continue;
          }
          if (pending[a] == null) {
            pending[a] = new State[files.size()];
          }
          pending[a][position[done.file()]] = done.states()[a];
          State total = totals.get(key);
          while (folded[a] < files.size() && pending[a][folded[a]] != null) {
            total = total.merge(pending[a][folded[a]]);
            pending[a][folded[a]++] = null;
          }
          totals.put(key, total);
        }
      }
      for (int a = 0; a < analyzers.size(); a++) {
        if (pending[a] != null && folded[a] != files.size()) {
          throw new IllegalStateException(
              "%s: %d of %d files' states never arrived"
                  .formatted(analyzers.get(a).key(), files.size() - folded[a], files.size()));
        }
      }
      keyFolders.forEach((key, folder) -> totals.put(key, folder.result(pool)));
      keyFolders.forEach((key, folder) -> holdingRepeats.put(key, folder.filesHoldingRepeats()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      futures.forEach(f -> f.cancel(true));
      throw new IllegalStateException("interrupted while evaluating files", e);
    } catch (ExecutionException e) {
      futures.forEach(f -> f.cancel(true));
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
    int filesRead = 0;
    for (boolean r : read) {
      filesRead += r ? 1 : 0;
    }
    return new Outcome(totals, scanned, filesRead, holdingRepeats);
  }

  /**
   * Rows of a data file deleted since some snapshot: the file and the positions, in ascending
   * order; and, where the read that found them kept them, copies of those rows of {@code kept}'s
   * columns (the row position last), which later reads of them take instead of the file. {@code
   * kept} is null when the rows were not kept.
   */
  record DeletedRows(DataFile file, long[] positions, Schema kept, List<Record> rows) {
    DeletedRows(DataFile file, long[] positions) {
      this(file, positions, null, List.of());
    }

    /** Whether the rows were kept with every one of {@code columns}. */
    boolean keeps(Collection<String> columns) {
      return kept != null && columns.stream().allMatch(column -> kept.findField(column) != null);
    }
  }

  /** What a kept value of a deleted row is taken to cost in memory (see {@link DeletedRows}). */
  static final int BYTES_PER_KEPT_VALUE = 32;

  // the most positions whose pages a read of changed rows lists, rather than reading every page
  private static final long MAX_LISTED_POSITIONS = 1_000_000;

  // the values of deleted rows (rows times columns) kept so far, and at most
  private final AtomicLong keptValues = new AtomicLong();
  private final long maxKeptValues;
  // the rows of the equality delete files matched against, by compared columns and files
  private final Map<List<String>, DeletedValues> deletedValues = new ConcurrentHashMap<>();

  /**
   * The states of {@code analyzers} over the rows at the deleted positions of each file: the file
   * is read whole, its deletes not applied (those rows are deleted ones), and each row is kept when
   * its position is one of them; or the rows kept when they were found are taken. The files are
   * read in parallel, their states folded in the files' path order, as {@link #evaluate} folds
   * them.
   */
  Map<String, State> evaluateDeleted(List<DeletedRows> deleted, List<Analyzer> analyzers) {
    List<DeletedRows> byPath = new ArrayList<>(deleted);
    byPath.sort(Comparator.comparing(d -> d.file().location()));
    List<Future<State[]>> futures = new ArrayList<>();
    for (DeletedRows rows : byPath) {
      futures.add(pool.submit(() -> evaluateDeleted(rows, analyzers)));
    }
    Map<String, State> totals = new LinkedHashMap<>();
    analyzers.forEach(a -> totals.put(a.key(), a.empty()));
    for (Future<State[]> future : futures) {
      State[] states = EvaluationThreads.await(future);
      for (int a = 0; a < analyzers.size(); a++) {
        totals.merge(analyzers.get(a).key(), states[a], State::merge);
      }
    }
    return totals;
  }

  private State[] evaluateDeleted(DeletedRows deleted, List<Analyzer> analyzers)
      throws IOException {
    Set<String> columns = columnsOf(analyzers);
    if (columns.isEmpty() && deleted.kept() == null) {
      columns.add(schema.columns().get(0).name()); // counting rows needs a column to read
    }
    Schema read = deleted.keeps(columns) ? deleted.kept() : withPosition(columns);
    int position = read.columns().size() - 1;
    Analyzer.Accumulator[] accumulators = new Analyzer.Accumulator[analyzers.size()];
    for (int a = 0; a < analyzers.size(); a++) {
      accumulators[a] = analyzers.get(a).accumulator(read, deleted.file().recordCount());
    }
    forEachDeleted(
        deleted,
        read,
        position,
        (internal, row) -> {
          for (Analyzer.Accumulator accumulator : accumulators) {
            accumulator.add(internal, row);
          }
        });
    State[] states = new State[analyzers.size()];
    for (int a = 0; a < analyzers.size(); a++) {
      states[a] = accumulators[a].result();
    }
    return states;
  }

  /**
   * The positions of the rows of {@code file} that the delete files {@code now} delete and those of
   * {@code then} do not, ascending; empty when a row {@code then} deletes is live {@code now}. The
   * equality deletes of {@code then} must be among {@code now}'s. Positions come from the position
   * deletes; where equality deletes apply, the columns they compare are read with each row's
   * position and matched, as Iceberg's delete filter matches them, against the rows of those added
   * since and of those already there (whose rows were deleted then and are now); that read also
   * reads {@code alsoRead}, the columns later reads of the deleted rows take, and keeps those rows
   * (within the scanner's budget of kept values, else none of the file's), so those reads need not
   * read the file again.
   *
   * @throws UncheckedIOException when the data or delete files cannot be read
   */
  Optional<DeletedRows> deletedBetween(
      DataFile file, List<DeleteFile> then, List<DeleteFile> now, Collection<String> alsoRead) {
    String location = file.location();
    PositionDeleteIndex byPositionNow = positionIndex(now, location);
    PositionDeleteIndex byPositionThen = positionIndex(then, location);
    Set<String> before = new HashSet<>();
    then.forEach(deleteFile -> before.add(deleteFile.location()));
    // the equality deletes by the columns they compare, those there then apart from those added
    Map<Set<Integer>, List<DeleteFile>> old = new LinkedHashMap<>();
    Map<Set<Integer>, List<DeleteFile>> added = new LinkedHashMap<>();
    for (DeleteFile deleteFile : now) {
      if (deleteFile.content() == FileContent.EQUALITY_DELETES) {
        (before.contains(deleteFile.location()) ? old : added)
            .computeIfAbsent(Set.copyOf(deleteFile.equalityFieldIds()), ids -> new ArrayList<>())
            .add(deleteFile);
      }
    }
    LongStream.Builder positions = LongStream.builder();
    if (old.isEmpty() && added.isEmpty()) {
      boolean[] back = {false};
      byPositionThen.forEach(position -> back[0] |= !byPositionNow.isDeleted(position));
      if (back[0]) {
        return Optional.empty();
      }
      byPositionNow.forEach(
          position -> {
            if (!byPositionThen.isDeleted(position)) {
              positions.add(position);
            }
          });
      return Optional.of(new DeletedRows(file, positions.build().sorted().toArray()));
    }
    Set<Integer> columns = new HashSet<>();
    old.keySet().forEach(columns::addAll);
    added.keySet().forEach(columns::addAll);
    for (String name : alsoRead) {
      Types.NestedField field = schema.findField(name);
      if (field != null) {
        columns.add(field.fieldId());
      }
    }
    Schema read =
        TypeUtil.join(TypeUtil.select(schema, columns), new Schema(MetadataColumns.ROW_POSITION));
    List<Record> kept = new ArrayList<>();
    boolean keeping = true;
    int position = read.columns().size() - 1;
    List<Predicate<StructLike>> deletedThen = valueMatches(old, read);
    List<Predicate<StructLike>> deletedSince = valueMatches(added, read);
    InternalRecordWrapper wrapper = new InternalRecordWrapper(read.asStruct());
    // a row that no delete added since can match, and whose position deletes are as they were,
    // was deleted then as it is now: only the pages of the others are read, where the file's page
    // indexes can tell them
    Optional<CloseableIterable<Record>> pages =
        changedPositions(byPositionThen, byPositionNow)
            .flatMap(changed -> wanted(changed, added))
            .flatMap(wanted -> ParquetPages.read(table, file, read, wanted));
    try (CloseableIterable<Record> rows =
        pages.orElseGet(
            () -> RecordFiles.read(table, file, table.io().newInputFile(file), read, true))) {
      for (Record row : rows) {
        long at = row.get(position, Long.class);
        StructLike internal = wrapper.wrap(row);
        boolean byPosition = byPositionNow.isDeleted(at);
        boolean byOldPosition = byPositionThen.isDeleted(at);
        boolean byNewValue = anyMatch(deletedSince, internal);
        if (!byPosition && !byOldPosition && !byNewValue) {
          continue; // deleted then and now by the old equality deletes, or live then and now
        }
        boolean byOldValue = anyMatch(deletedThen, internal);
        boolean wasDeleted = byOldValue || byOldPosition;
        boolean isDeleted = byOldValue || byPosition || byNewValue;
        if (wasDeleted && !isDeleted) {
          return Optional.empty();
        }
        if (isDeleted && !wasDeleted) {
          positions.add(at);
          if (keeping && keptValues.addAndGet(position) <= maxKeptValues) {
            kept.add(row.copy());
          } else if (keeping) {
            keeping = false;
            keptValues.addAndGet(-(long) position * (kept.size() + 1));
            kept = List.of();
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long[] deleted = positions.build().toArray();
    return Optional.of(
        keeping ? new DeletedRows(file, deleted, read, kept) : new DeletedRows(file, deleted));
  }

  /**
   * The positions deleted now and not then, or then and not now; empty when there are too many to
   * list.
   */
  private static Optional<long[]> changedPositions(
      PositionDeleteIndex then, PositionDeleteIndex now) {
    LongStream.Builder changed = LongStream.builder();
    long[] listed = {0};
    now.forEach(
        position -> {
          if (!then.isDeleted(position) && listed[0]++ < MAX_LISTED_POSITIONS) {
            changed.add(position);
          }
        });
    then.forEach(
        position -> {
          if (!now.isDeleted(position) && listed[0]++ < MAX_LISTED_POSITIONS) {
            changed.add(position);
          }
        });
    return listed[0] > MAX_LISTED_POSITIONS
        ? Optional.empty()
        : Optional.of(changed.build().toArray());
  }

  /**
   * The rows at {@code positions} and those the equality deletes {@code byValue} may delete, told
   * by one compared column of each set whose type can choose a file's pages; empty when a set has
   * none.
   */
  private Optional<ParquetPages.Wanted> wanted(
      long[] positions, Map<Set<Integer>, List<DeleteFile>> byValue) {
    List<ParquetPages.ValuesOf> values = new ArrayList<>();
    for (Map.Entry<Set<Integer>, List<DeleteFile>> deletes : byValue.entrySet()) {
      DeletedValues deleted = deletedValues(deletes.getKey(), deletes.getValue());
      List<Types.NestedField> compared = deleted.compared().columns();
      int chosen = -1;
      for (int i = 0; i < compared.size() && chosen < 0; i++) {
        if (ParquetPages.choosesByValue(compared.get(i).type())) {
          chosen = i;
        }
      }
      if (chosen < 0) {
        return Optional.empty();
      }
      List<Object> column = new ArrayList<>(deleted.values().size());
      for (StructLike value : deleted.values()) {
        column.add(value.get(chosen, Object.class));
      }
      values.add(new ParquetPages.ValuesOf(compared.get(chosen).fieldId(), column));
    }
    return Optional.of(new ParquetPages.Wanted(positions, values));
  }

  private PositionDeleteIndex positionIndex(List<DeleteFile> files, String location) {
    List<DeleteFile> byPosition =
        files.stream().filter(f -> f.content() == FileContent.POSITION_DELETES).toList();
    return byPosition.isEmpty()
        ? PositionDeleteIndex.empty()
        : deletes.loadPositionDeletes(byPosition, location);
  }

  /**
   * For each set of columns, whether a row of {@code read} holds the values of a row of its
   * equality delete files.
   */
  private List<Predicate<StructLike>> valueMatches(
      Map<Set<Integer>, List<DeleteFile>> byColumns, Schema read) {
    List<Predicate<StructLike>> matches = new ArrayList<>();
    byColumns.forEach(
        (ids, files) -> {
          DeletedValues values = deletedValues(ids, files);
          // a projection holds the row it wraps: one per reader
          StructProjection project = StructProjection.create(read, values.compared());
          matches.add(row -> values.contains(project.wrap(row)));
        });
    return matches;
  }

  /**
   * The rows of equality delete files that compare {@code ids}, and each one's hash as the set
   * hashes it, so most rows are told apart by a probe of primitive hashes rather than a look-up in
   * the set. Built once per evaluation for the same files, however many data files they apply to.
   */
  private DeletedValues deletedValues(Set<Integer> ids, List<DeleteFile> files) {
    List<String> key = new ArrayList<>(ids.stream().map(String::valueOf).sorted().toList());
    files.stream().map(DeleteFile::location).sorted().forEach(key::add);
    return deletedValues.computeIfAbsent(
        key,
        k -> {
          // the projection Iceberg's delete filter loads them with, which the loader keeps
          Schema compared = TypeUtil.selectInIdOrder(schema, ids);
          StructLikeSet values = deletes.loadEqualityDeletes(files, compared);
          JavaHash<StructLike> hash = JavaHash.forType(compared.asStruct());
          LongHashSet hashes = new LongHashSet(values.size());
          values.forEach(value -> hashes.add(hash.hash(value)));
          return new DeletedValues(compared, values, hash, hashes);
        });
  }

  private record DeletedValues(
      Schema compared, StructLikeSet values, JavaHash<StructLike> hash, LongHashSet hashes) {
    boolean contains(StructLike key) {
      return hashes.contains(hash.hash(key)) && values.contains(key);
    }
  }

  private static boolean anyMatch(List<Predicate<StructLike>> matches, StructLike row) {
    for (Predicate<StructLike> match : matches) {
      if (match.test(row)) {
        return true;
      }
    }
    return false;
  }

  /** {@code columns} of the table's schema, then the row position. */
  private Schema withPosition(Collection<String> columns) {
    return TypeUtil.join(schema.select(columns), new Schema(MetadataColumns.ROW_POSITION));
  }

  /** The columns of the table {@code analyzers} read. */
  static Set<String> columnsOf(List<? extends Analyzer> analyzers) {
    Set<String> columns = new LinkedHashSet<>();
    analyzers.forEach(a -> columns.addAll(a.columns()));
    return columns;
  }

  /**
   * Reads {@code read} (ending with the row position, at {@code position}) of the deleted rows'
   * file, all of its rows as written, and hands those at the deleted positions to {@code visit};
   * or, when {@code read} is the schema they were kept with, hands it the kept rows.
   */
  private void forEachDeleted(
      DeletedRows deleted, Schema read, int position, BiConsumer<StructLike, StructLike> visit)
      throws IOException {
    InternalRecordWrapper wrapper = new InternalRecordWrapper(read.asStruct());
    if (read == deleted.kept()) {
      for (Record row : deleted.rows()) {
        visit.accept(wrapper.wrap(row), row);
      }
      return;
    }
    DataFile file = deleted.file();
    Optional<CloseableIterable<Record>> pages =
        ParquetPages.read(
            table, file, read, new ParquetPages.Wanted(deleted.positions(), List.of()));
    try (CloseableIterable<Record> rows =
        pages.orElseGet(
            () -> RecordFiles.read(table, file, table.io().newInputFile(file), read, true))) {
      for (Record row : rows) {
        if (Arrays.binarySearch(deleted.positions(), row.get(position, Long.class)) >= 0) {
          visit.accept(wrapper.wrap(row), row);
        }
      }
    }
  }

  /**
   * The state of {@code analyzer} over {@code files} from their statistics alone; empty when one
   * file's statistics cannot answer it.
   */
  static Optional<State> fromMetadata(
      Analyzer analyzer, List<DataFile> files, FileStatistics statistics) {
    State total = analyzer.empty();
    for (DataFile file : files) {
      Optional<State> state = analyzer.fromMetadata(file, statistics);
      if (state.isEmpty()) {
        return Optional.empty();
      }
      total = total.merge(state.get());
    }
    return Optional.of(total);
  }

  /** Each file's place in the files sorted by path. */
  private static int[] foldPositions(List<DataFile> files) {
    Integer[] byPath = new Integer[files.size()];
    for (int f = 0; f < byPath.length; f++) {
      byPath[f] = f;
    }
    Arrays.sort(byPath, Comparator.comparing(f -> files.get(f).location()));
    int[] position = new int[files.size()];
    for (int p = 0; p < byPath.length; p++) {
      position[byPath[p]] = p;
    }
    return position;
  }

  /**
   * The analyzers of {@code file} in at most {@code ways} groups, each read on its own thread, with
   * the analyzers its statistics answer in the first. Each analyzer goes, most expensive first, to
   * the group it makes the least expensive: a group costs a unit per column it decodes and per
   * column its analyzers look at (two for key analyzers, which hash and remember every value), so a
   * column is decoded twice only where that balances the groups better than keeping it in one.
   */
  private List<int[]> columnGroups(DataFile file, List<Analyzer> analyzers, int ways) {
    List<Integer> fromMetadata = new ArrayList<>();
    List<Integer> reading = new ArrayList<>();
    for (int a = 0; a < analyzers.size(); a++) {
      (analyzers.get(a).fromMetadata(file, statistics).isPresent() ? fromMetadata : reading).add(a);
    }
    reading.sort((x, y) -> work(analyzers.get(y)) - work(analyzers.get(x)));
    List<List<Integer>> groups = new ArrayList<>();
    List<Set<String>> columns = new ArrayList<>();
    int[] cost = new int[Math.max(1, Math.min(ways, reading.size()))];
    for (int g = 0; g < cost.length; g++) {
      groups.add(new ArrayList<>());
      columns.add(new LinkedHashSet<>());
    }
    for (int a : reading) {
      Analyzer analyzer = analyzers.get(a);
      int best = -1;
      int bestCost = Integer.MAX_VALUE;
      for (int g = 0; g < cost.length; g++) {
        int added = work(analyzer);
        for (String column : analyzer.columns()) {
          added += columns.get(g).contains(column) ? 0 : 1;
        }
        if (cost[g] + added < bestCost) {
          best = g;
          bestCost = cost[g] + added;
        }
      }
      groups.get(best).add(a);
      columns.get(best).addAll(analyzer.columns());
      cost[best] = bestCost;
    }
    groups.get(0).addAll(fromMetadata);
    return groups.stream()
        .filter(g -> !g.isEmpty())
        .map(g -> g.stream().mapToInt(Integer::intValue).sorted().toArray())
        .toList();
  }

  private static int work(Analyzer analyzer) {
    return analyzer.columns().size() * (analyzer instanceof KeyAnalyzer ? 2 : 1);
  }

  /** Reads {@code columns} of each file in parallel, handing each row to {@code sink}. */
  void read(List<DataFile> files, List<String> columns, Consumer<List<Object>> sink) {
    forEachRow(
        files,
        schema.select(columns),
        read -> {
          Columns.Path[] paths = KeyAnalyzer.paths(read, columns);
          return (internal, raw) -> sink.accept(values(paths, internal));
        });
  }

  /** Takes a row's key columns and the hash of its key. */
  interface KeySink {
    void accept(long hash, List<Object> values);
  }

  /**
   * Reads the key columns of each file in parallel, handing each row whose key hash {@code wanted}
   * holds to {@code sink}, of the rows that meet the keys' condition: every row is hashed as {@link
   * KeyAnalyzer} hashes it, and only the wanted ones (the candidate duplicates, usually few) have
   * their key columns gathered.
   */
  void readKeys(List<DataFile> files, KeyAnalyzer keys, LongPredicate wanted, KeySink sink) {
    forEachRow(files, schema.select(keys.columns()), read -> keyReader(read, keys, wanted, sink));
  }

  /**
   * {@link #readKeys} of the rows at the deleted positions of each file, read as {@link
   * #evaluateDeleted} reads them.
   */
  void readDeletedKeys(
      List<DeletedRows> deleted, KeyAnalyzer keys, LongPredicate wanted, KeySink sink) {
    Schema fromFiles = withPosition(keys.columns());
    List<Future<?>> futures = new ArrayList<>();
    for (DeletedRows rows : deleted) {
      Schema read = rows.keeps(keys.columns()) ? rows.kept() : fromFiles;
      int position = read.columns().size() - 1;
      futures.add(
          pool.submit(
              () -> {
                forEachDeleted(rows, read, position, keyReader(read, keys, wanted, sink));
                return null;
              }));
    }
    futures.forEach(EvaluationThreads::await);
  }

  /** A visitor of rows of {@code read} that hands each wanted key of {@code keys} to the sink. */
  private static BiConsumer<StructLike, StructLike> keyReader(
      Schema read, KeyAnalyzer keys, LongPredicate wanted, KeySink sink) {
    Columns.Path[] paths = KeyAnalyzer.paths(read, keys.keyColumns());
    KeyAnalyzer.ColumnHash[] hashes = KeyAnalyzer.columnHashes(read, keys.keyColumns());
    Predicate<StructLike> checked = keys.rows(read);
    return (internal, raw) -> {
      if (!checked.test(internal)) {
        return;
      }
      long h = KeyAnalyzer.hash(hashes, internal, raw);
      if (wanted.test(h)) {
        sink.accept(h, values(paths, internal));
      }
    };
  }

  /** The values at {@code paths} of {@code row}. */
  static List<Object> values(Columns.Path[] paths, StructLike row) {
    List<Object> values = new ArrayList<>(paths.length);
    for (Columns.Path path : paths) {
      values.add(path.get(row, Object.class));
    }
    return values;
  }

  /**
   * Reads {@code projection} of the live rows of each file in parallel, handing each row as Iceberg
   * holds it internally and as read to the visitor {@code visitorFor} makes for the rows' schema:
   * the projection, and the columns a file's deletes need too.
   */
  private void forEachRow(
      List<DataFile> files,
      Schema projection,
      Function<Schema, BiConsumer<StructLike, StructLike>> visitorFor) {
    List<Future<?>> futures = new ArrayList<>();
    for (DataFile file : files) {
      FileScanTask deleting = withDeletes.get(file.location());
      futures.add(
          pool.submit(
              () -> {
                if (deleting != null && noLiveRows(deleting)) {
                  return null;
                }
                InternalRecordWrapper wrapper = null;
                BiConsumer<StructLike, StructLike> visit = null;
                try (CloseableIterable<Record> rows = liveRows(file, projection)) {
                  for (Record row : rows) {
                    if (wrapper == null) {
                      wrapper = new InternalRecordWrapper(row.struct());
                      visit = visitorFor.apply(new Schema(row.struct().fields()));
                    }
                    visit.accept(wrapper.wrap(row), row);
                  }
                } catch (IOException e) {
                  throw new UncheckedIOException(e);
                }
                return null;
              }));
    }
    futures.forEach(EvaluationThreads::await);
  }

  /** The live rows of {@code file}, of {@code projection} and whatever its deletes need. */
  private CloseableIterable<Record> liveRows(DataFile file, Schema projection) {
    FileScanTask deleting = withDeletes.get(file.location());
    if (deleting == null) {
      return open(file, projection);
    }
    return RecordFiles.liveRows(
        table, deleting, table.io().newInputFile(deleting.file()), projection, deletes);
  }

  /** States of one file's analyzers at {@code group} (null for the others); whether it was read. */
  private record FileStates(int file, State[] states, boolean[] scanned, boolean read) {}

  private FileStates evaluateFile(int index, DataFile file, List<Analyzer> analyzers, int[] group)
      throws IOException {
    State[] states = new State[analyzers.size()];
    boolean[] scanned = new boolean[analyzers.size()];
    List<Integer> toRead = new ArrayList<>();
    for (int a : group) {
      var fromMetadata = analyzers.get(a).fromMetadata(file, statistics);
      if (fromMetadata.isPresent()) {
        states[a] = fromMetadata.get();
      } else {
        toRead.add(a);
      }
    }
    boolean read = false;
    if (!toRead.isEmpty()
        && file.format() == FileFormat.PARQUET
        && file.recordCount() >= ColumnDictionaries.MIN_ROWS) {
      try (ColumnDictionaries dictionaries =
          new ColumnDictionaries(table.io().newInputFile(file), schema)) {
        for (Iterator<Integer> a = toRead.iterator(); a.hasNext(); ) {
          int analyzer = a.next();
          var fromDictionaries = analyzers.get(analyzer).fromDictionaries(file, dictionaries);
          if (fromDictionaries.isPresent()) {
            states[analyzer] = fromDictionaries.get();
            scanned[analyzer] = true;
            read = true;
            a.remove();
          }
        }
      }
    }
    if (toRead.isEmpty()) {
      return new FileStates(index, states, scanned, read);
    }
    Set<String> columns = new LinkedHashSet<>();
    toRead.forEach(a -> columns.addAll(analyzers.get(a).columns()));
    Schema projection = projections.computeIfAbsent(columns, schema::select);
    List<Analyzer> reading = toRead.stream().map(analyzers::get).toList();
    Analyzer.Accumulator[] accumulators = new Analyzer.Accumulator[reading.size()];
    for (int a = 0; a < reading.size(); a++) {
      accumulators[a] = reading.get(a).accumulator(projection, file.recordCount());
    }
    InternalRecordWrapper wrapper = new InternalRecordWrapper(projection.asStruct());
    try (CloseableIterable<Record> rows = open(file, projection)) {
      for (Record row : rows) {
        StructLike internal = wrapper.wrap(row);
        for (Analyzer.Accumulator accumulator : accumulators) {
          accumulator.add(internal, row);
        }
      }
    }
    for (int i = 0; i < toRead.size(); i++) {
      states[toRead.get(i)] = accumulators[i].result();
      scanned[toRead.get(i)] = true;
    }
    return new FileStates(index, states, scanned, true);
  }

  /** States of the live rows of a file that row-level deletes apply to. */
  private FileStates evaluateLiveRows(
      int index, FileScanTask task, List<Analyzer> analyzers, Map<String, MinMaxState> reached)
      throws IOException {
    State[] states = new State[analyzers.size()];
    boolean[] scanned = new boolean[analyzers.size()];
    OptionalLong deleted = deletedByVector(task);
    List<Integer> toRead = new ArrayList<>();
    for (int a = 0; a < analyzers.size(); a++) {
      Analyzer analyzer = analyzers.get(a);
      Optional<State> counted =
          deleted.isPresent()
              ? analyzer.liveFromMetadata(task.file(), deleted.getAsLong())
              : Optional.empty();
      if (counted.isEmpty() && within(analyzer, task.file(), reached.get(analyzer.key()))) {
        counted = Optional.of(analyzer.empty());
      }
      if (counted.isPresent()) {
        states[a] = counted.get();
      } else {
        toRead.add(a);
      }
    }
    if (toRead.isEmpty()) {
      return new FileStates(index, states, scanned, false);
    }
    Set<String> columns = new LinkedHashSet<>();
    toRead.forEach(a -> columns.addAll(analyzers.get(a).columns()));
    if (columns.isEmpty()) {
      // counting rows needs a column to read, and the deletes may need it too
      columns.add(schema.columns().get(0).name());
    }
    Schema projection = projections.computeIfAbsent(columns, schema::select);
    Analyzer.Accumulator[] accumulators = null;
    InternalRecordWrapper wrapper = null;
    try (CloseableIterable<Record> rows = liveRows(task.file(), projection)) {
      for (Record row : rows) {
        if (accumulators == null) {
          // the rows hold the projection's columns and whatever the deletes need
          Schema read = new Schema(row.struct().fields());
          wrapper = new InternalRecordWrapper(read.asStruct());
          accumulators = new Analyzer.Accumulator[toRead.size()];
          for (int i = 0; i < toRead.size(); i++) {
            accumulators[i] =
                analyzers.get(toRead.get(i)).accumulator(read, task.file().recordCount());
          }
        }
        StructLike internal = wrapper.wrap(row);
        for (Analyzer.Accumulator accumulator : accumulators) {
          accumulator.add(internal, row);
        }
      }
    }
    for (int i = 0; i < toRead.size(); i++) {
      Analyzer analyzer = analyzers.get(toRead.get(i));
      states[toRead.get(i)] = accumulators == null ? analyzer.empty() : accumulators[i].result();
      scanned[toRead.get(i)] = true;
    }
    return new FileStates(index, states, scanned, true);
  }

  /**
   * For each bound analyzer (smallest and largest value), the bounds the files without deletes
   * reach by their statistics alone; none for one whose statistics do not all answer.
   */
  private Map<String, MinMaxState> boundsWithoutDeletes(
      List<DataFile> files, List<Analyzer> analyzers) {
    if (withDeletes.isEmpty()) {
      return Map.of();
    }
    List<DataFile> withoutDeletes =
        files.stream().filter(file -> !withDeletes.containsKey(file.location())).toList();
    Map<String, MinMaxState> reached = new HashMap<>();
    for (Analyzer analyzer : analyzers) {
      if (!(analyzer instanceof MinMaxAnalyzer)) {
        continue;
      }
      fromMetadata(analyzer, withoutDeletes, statistics)
          .ifPresent(total -> reached.put(analyzer.key(), (MinMaxState) total));
    }
    return reached;
  }

  /**
   * Whether a file with deletes leaves {@code reached}, the bounds the files without deletes reach,
   * as they are: its statistics' bounds, of all its rows, the deleted ones too, lie within them, so
   * the bounds of its live rows do too, and reading it would change nothing.
   */
  private boolean within(Analyzer analyzer, DataFile file, MinMaxState reached) {
    if (reached == null || reached.min() == null) {
      return false;
    }
    Optional<State> bounds = analyzer.fromMetadata(file, statistics);
    if (bounds.isEmpty()) {
      return false;
    }
    MinMaxState all = (MinMaxState) bounds.get();
    Comparator<Object> order = reached.comparator();
    return all.min() == null
        || (order.compare(all.min(), reached.min()) >= 0
            && order.compare(all.max(), reached.max()) <= 0);
  }

  /**
   * Whether the task's deletes delete every row of its file, so there is nothing to read: a
   * deletion vector's cardinality says so; position delete files, which may name a position twice,
   * are loaded (once, for every read) when they name at least as many positions as there are rows.
   */
  private boolean noLiveRows(FileScanTask task) {
    return noLiveRows.computeIfAbsent(task.file().location(), location -> countsNoLiveRows(task));
  }

  private boolean countsNoLiveRows(FileScanTask task) {
    long rows = task.file().recordCount();
    OptionalLong vector = deletedByVector(task);
    if (vector.isPresent()) {
      return vector.getAsLong() >= rows;
    }
    List<DeleteFile> files = task.deletes();
    if (files.stream().anyMatch(file -> file.content() != FileContent.POSITION_DELETES)
        || files.stream().mapToLong(DeleteFile::recordCount).sum() < rows) {
      return false;
    }
    try {
      return deletes.loadPositionDeletes(files, task.file().location()).cardinality() >= rows;
    } catch (UnsupportedOperationException e) {
      return false; // an index that cannot count
    }
  }

  /** The states of a file without live rows: every analyzer's empty state, read from nothing. */
  private static FileStates noRows(int index, List<Analyzer> analyzers) {
    State[] states = new State[analyzers.size()];
    for (int a = 0; a < analyzers.size(); a++) {
      states[a] = analyzers.get(a).empty();
    }
    return new FileStates(index, states, new boolean[analyzers.size()], false);
  }

  /**
   * The count of rows a file's deletes delete, when they are one deletion vector: it names each
   * deleted position once, where position delete files may name a position twice between them and
   * equality deletes name no positions.
   */
  private static OptionalLong deletedByVector(FileScanTask task) {
    List<DeleteFile> deletes = task.deletes();
    return deletes.size() == 1 && ContentFileUtil.isDV(deletes.get(0))
        ? OptionalLong.of(deletes.get(0).recordCount())
        : OptionalLong.empty();
  }

  private CloseableIterable<Record> open(DataFile file, Schema projection) {
    if (projection.columns().isEmpty()) {
      throw new IllegalStateException("nothing to read from " + file.location());
    }
    // the file's size from its metadata: no request to the object store for it before the footer
    return RecordFiles.read(table, file, table.io().newInputFile(file), projection, true);
  }
}
