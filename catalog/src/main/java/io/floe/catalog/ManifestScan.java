package io.floe.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.apache.iceberg.BaseFileScanTask;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestReader;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.PartitionSpecParser;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SchemaParser;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ManifestEvaluator;
import org.apache.iceberg.expressions.ResidualEvaluator;
import org.apache.iceberg.inmemory.InMemoryInputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SeekableInputStream;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.iceberg.util.ThreadPools;

/**
 * Plans the data files of a snapshot by reading its manifests, each on {@code executor}, and
 * waiting for them. Iceberg's own planning waits for its parallel manifest reads in 10 ms sleeps,
 * which at a few small manifests is most of the time it takes. A snapshot with live delete files is
 * planned by Iceberg's scan, which matches them to the data files, over its manifests fetched first
 * on {@code executor} ({@link #withDeletes}).
 */
public final class ManifestScan {
  /**
   * The most manifest bytes fetched into memory for one plan; Iceberg plans a snapshot with more on
   * its worker pool, reading them itself.
   */
  static final long FETCHED_BYTES = 32L << 20;

  private static final ExecutorService CALLING_THREAD = new CallingThreadExecutor();

  private ManifestScan() {}

  /**
   * Iceberg's scan tasks of {@code snapshot}, each with the delete files that apply to it, from the
   * scan {@code refine} makes of one of the snapshot. Iceberg's scan reads the manifests on its
   * worker pool and waits for them in 10 ms sleeps, tens of milliseconds for a plan whose reads
   * take a few. Here its live manifests, up to {@link #FETCHED_BYTES} of them, are fetched whole on
   * {@code executor} first (one on the calling thread) and Iceberg plans over them in memory on the
   * calling thread; more are left to Iceberg's planning as it is.
   */
  public static List<FileScanTask> withDeletes(
      Table table, Snapshot snapshot, UnaryOperator<TableScan> refine, Executor executor) {
    return withDeletes(table, snapshot, refine, executor, FETCHED_BYTES);
  }

  /** {@link #withDeletes}, fetching the manifests on Iceberg's worker pool. */
  public static List<FileScanTask> withDeletes(
      Table table, Snapshot snapshot, UnaryOperator<TableScan> refine) {
    return withDeletes(table, snapshot, refine, ThreadPools.getWorkerPool(), FETCHED_BYTES);
  }

  /** {@link #withDeletes}, fetching manifests of no more than {@code budget} bytes in all. */
  static List<FileScanTask> withDeletes(
      Table table,
      Snapshot snapshot,
      UnaryOperator<TableScan> refine,
      Executor executor,
      long budget) {
    List<ManifestFile> manifests =
        snapshot.allManifests(table.io()).stream().filter(ManifestScan::live).toList();
    long bytes = manifests.stream().mapToLong(ManifestFile::length).sum();
    TableScan scan;
    if (bytes <= budget && table instanceof HasTableOperations operations) {
      FileIO fetched = new FetchedFileIO(table.io(), fetch(table.io(), manifests, executor));
      Table inMemory =
          new BaseTable(
              new ForwardingTableOperations(operations.operations()) {
                @Override
                public FileIO io() {
                  return fetched;
                }
              },
              table.name(),
              report -> {}); // the table's own scans report; this one is an implementation detail
      scan =
          refine
              .apply(inMemory.newScan().useSnapshot(snapshot.snapshotId()))
              .planWith(CALLING_THREAD);
    } else {
      scan = refine.apply(table.newScan().useSnapshot(snapshot.snapshotId()));
    }
    List<FileScanTask> tasks = new ArrayList<>();
    try (CloseableIterable<FileScanTask> planned = scan.planFiles()) {
      planned.forEach(tasks::add);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return tasks;
  }

  /** The bytes of each of {@code manifests}, read in parallel on {@code executor}. */
  private static Map<String, byte[]> fetch(
      FileIO io, List<ManifestFile> manifests, Executor executor) {
    Executor reader = manifests.size() == 1 ? Runnable::run : executor;
    List<CompletableFuture<byte[]>> reads = new ArrayList<>();
    for (ManifestFile manifest : manifests) {
      reads.add(CompletableFuture.supplyAsync(() -> bytes(io.newInputFile(manifest)), reader));
    }
    Map<String, byte[]> fetched = new HashMap<>();
    for (int i = 0; i < manifests.size(); i++) {
      fetched.put(manifests.get(i).path(), joined(reads.get(i)));
    }
    return fetched;
  }

  private static byte[] bytes(InputFile file) {
    try (SeekableInputStream in = file.newStream()) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T joined(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /**
   * The live data files of {@code snapshot} whose partition and column bounds can match {@code
   * filter}, with column statistics only for the field ids in {@code statsIds}; empty when the
   * snapshot has live delete files. One manifest is read on the calling thread, which would only
   * wait for the executor.
   */
  public static Optional<List<DataFile>> dataFiles(
      Table table, Snapshot snapshot, Expression filter, Set<Integer> statsIds, Executor executor) {
    FileIO io = table.io();
    if (hasDeleteFiles(table, snapshot)) {
      return Optional.empty();
    }
    Map<Integer, ManifestEvaluator> evaluators = new HashMap<>();
    List<ManifestFile> manifests = new ArrayList<>();
    for (ManifestFile manifest : snapshot.dataManifests(io)) {
      ManifestEvaluator evaluator =
          evaluators.computeIfAbsent(
              manifest.partitionSpecId(),
              id -> ManifestEvaluator.forRowFilter(filter, table.specs().get(id), true));
      if (live(manifest) && evaluator.eval(manifest)) {
        manifests.add(manifest);
      }
    }
    Executor reader = manifests.size() == 1 ? Runnable::run : executor;
    List<CompletableFuture<List<DataFile>>> reads = new ArrayList<>();
    for (ManifestFile manifest : manifests) {
      reads.add(
          CompletableFuture.supplyAsync(
              () -> liveFiles(table, manifest, filter, statsIds), reader));
    }
    List<DataFile> files = new ArrayList<>();
    reads.forEach(read -> files.addAll(joined(read)));
    return Optional.of(files);
  }

  /**
   * The live data files of one data manifest that can match {@code filter}, with column statistics
   * only for the field ids in {@code statsIds}.
   */
  public static List<DataFile> liveFiles(
      Table table, ManifestFile manifest, Expression filter, Set<Integer> statsIds) {
    List<DataFile> files = new ArrayList<>();
    try (ManifestReader<DataFile> reader =
        ManifestFiles.read(manifest, table.io(), table.specs()).filterRows(filter)) {
      reader.forEach(file -> files.add(file.copyWithStats(statsIds)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }

  /**
   * Scan tasks of {@code snapshot} for the files that can match {@code filter}, with column
   * statistics of {@code statsColumns}: {@link #dataFiles}, or Iceberg's scan (each task with the
   * delete files that apply to it) when the snapshot has delete files.
   */
  public static List<FileScanTask> tasks(
      Table table,
      Snapshot snapshot,
      Expression filter,
      Collection<String> statsColumns,
      Executor executor) {
    Schema schema = SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    Set<Integer> statsIds = new HashSet<>();
    for (String column : statsColumns) {
      Types.NestedField field = schema.findField(column);
      if (field != null) {
        statsIds.add(field.fieldId());
      }
    }
    Optional<List<DataFile>> files = dataFiles(table, snapshot, filter, statsIds, executor);
    if (files.isEmpty()) {
      return withDeletes(
          table, snapshot, scan -> scan.filter(filter).includeColumnStats(statsColumns), executor);
    }
    String schemaString = SchemaParser.toJson(schema);
    Map<Integer, String> specStrings = new HashMap<>();
    Map<Integer, ResidualEvaluator> residuals = new HashMap<>();
    List<FileScanTask> tasks = new ArrayList<>();
    for (DataFile file : files.get()) {
      PartitionSpec spec = table.specs().get(file.specId());
      tasks.add(
          new BaseFileScanTask(
              file,
              new DeleteFile[0],
              schemaString,
              specStrings.computeIfAbsent(spec.specId(), id -> PartitionSpecParser.toJson(spec)),
              residuals.computeIfAbsent(
                  spec.specId(), id -> ResidualEvaluator.of(spec, filter, true))));
    }
    return tasks;
  }

  /**
   * Whether {@code snapshot} may have live delete files: whether one of its delete manifests lists
   * a file as added or existing. Read from the manifest list alone.
   */
  public static boolean hasDeleteFiles(Table table, Snapshot snapshot) {
    return snapshot.deleteManifests(table.io()).stream().anyMatch(ManifestScan::live);
  }

  private static boolean live(ManifestFile manifest) {
    return manifest.hasAddedFiles() || manifest.hasExistingFiles();
  }

  /** A file IO that reads the files it was given the bytes of from them, and others as its own. */
  private static final class FetchedFileIO implements FileIO {
    private final FileIO io;
    private final Map<String, byte[]> fetched;

    FetchedFileIO(FileIO io, Map<String, byte[]> fetched) {
      this.io = io;
      this.fetched = fetched;
    }

    @Override
    public InputFile newInputFile(String path) {
      byte[] bytes = fetched.get(path);
      return bytes != null ? new InMemoryInputFile(path, bytes) : io.newInputFile(path);
    }

    @Override
    public InputFile newInputFile(String path, long length) {
      byte[] bytes = fetched.get(path);
      return bytes != null ? new InMemoryInputFile(path, bytes) : io.newInputFile(path, length);
    }

    @Override
    public OutputFile newOutputFile(String path) {
      throw new UnsupportedOperationException("a plan writes nothing: " + path);
    }

    @Override
    public void deleteFile(String path) {
      throw new UnsupportedOperationException("a plan deletes nothing: " + path);
    }

    @Override
    public Map<String, String> properties() {
      return io.properties();
    }
  }

  /**
   * Runs each task on the thread that hands it over, so Iceberg's planning reads the manifests in
   * memory one after another and never waits on a pool. Shutting it down is refused: it is shared.
   */
  private static final class CallingThreadExecutor extends AbstractExecutorService {
    @Override
    public void execute(Runnable command) {
      command.run();
    }

    @Override
    public void shutdown() {
      throw new UnsupportedOperationException("a shared executor is not shut down by its users");
    }

    @Override
    public List<Runnable> shutdownNow() {
      throw new UnsupportedOperationException("a shared executor is not shut down by its users");
    }

    @Override
    public boolean isShutdown() {
      return false;
    }

    @Override
    public boolean isTerminated() {
      return false;
    }

    @Override
    public boolean awaitTermination(long timeout, TimeUnit unit) {
      return false;
    }
  }
}
