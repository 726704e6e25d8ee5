package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class CommitsTest {
  private static ExecutorService pool;

  @BeforeAll
  static void startPool() {
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stopPool() {
    pool.shutdownNow();
  }

  @Test
  void aFutureAnswersDoneOnlyOnceItsTaskHasRun() throws Exception {
    ExecutorService prompt = new PromptExecutor(pool);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean ran = new AtomicBoolean();
    Future<?> task =
        prompt.submit(
            () -> {
              release.await();
              ran.set(true);
              return null;
            });
    Thread releaser =
        new Thread(
            () -> {
              try {
                Thread.sleep(50);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              release.countDown();
            });
    releaser.start();

    // a plain future would answer false here, sending a polling caller to sleep
    assertThat(task.isDone()).isTrue();
    assertThat(ran).isTrue();
    releaser.join();
  }

  @Test
  void anInterruptedWaitAnswersNotDoneAndKeepsTheInterrupt() {
    ExecutorService prompt = new PromptExecutor(pool);
    CountDownLatch release = new CountDownLatch(1);
    Future<?> task =
        prompt.submit(
            () -> {
              release.await();
              return null;
            });
    try {
      Thread.currentThread().interrupt();
      assertThat(task.isDone()).isFalse();
      assertThat(Thread.interrupted()).isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void aFailedTaskIsDoneAndKeepsItsFailure() throws Exception {
    ExecutorService prompt = new PromptExecutor(pool);
    Future<?> task =
        prompt.submit(
            () -> {
              throw new IllegalStateException("broken manifest");
            });
    assertThat(task.isDone()).isTrue();
    assertThat(task)
        .failsWithin(1, TimeUnit.SECONDS)
        .withThrowableOfType(java.util.concurrent.ExecutionException.class)
        .withMessageContaining("broken manifest");
  }

  @Test
  void commitsEveryFileOfAnAppendSplitOverParallelManifestWriters() {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    try (InMemoryCatalog catalog = new InMemoryCatalog()) {
      catalog.initialize("commits", Map.of());
      catalog.createNamespace(Namespace.of("db"));
      Table table = catalog.createTable(TableIdentifier.of("db", "t"), schema);
      List<DataFile> files =
          IntStream.range(0, 40)
              .mapToObj(
                  i ->
                      DataFiles.builder(PartitionSpec.unpartitioned())
                          .withPath("memory://db/t/data/" + i + ".parquet")
                          .withFileSizeInBytes(100)
                          .withRecordCount(1)
                          .build())
              .toList();
      var append = Commits.promptly(table.newAppend());
      files.forEach(append::appendFile);
      append.commit();
      Commits.promptly(table.newDelete()).deleteFile(files.get(0)).commit();

      table.refresh();
      assertThat(table.currentSnapshot().summary())
          .containsEntry("total-data-files", "39")
          .containsEntry("deleted-data-files", "1");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void logAppendsKeepEveryFileAndFoldManifestsOnceEnoughPileUp() throws Exception {
    Schema schema = new Schema(Types.NestedField.required(1, "id", Types.LongType.get()));
    try (InMemoryCatalog catalog = new InMemoryCatalog()) {
      catalog.initialize("commits", Map.of());
      catalog.createNamespace(Namespace.of("db"));
      TableIdentifier id = TableIdentifier.of("db", "log");
      Table table =
          catalog.createTable(
              id,
              schema,
              PartitionSpec.unpartitioned(),
              Map.of(org.apache.iceberg.TableProperties.MANIFEST_MIN_MERGE_COUNT, "4"));
      int maxManifests = 0;
      for (int i = 0; i < 10; i++) {
        Commits.appendToLog(table, file("seq-" + i));
        table.refresh();
        int manifests = table.currentSnapshot().allManifests(table.io()).size();
        maxManifests = Math.max(maxManifests, manifests);
      }
      assertThat(maxManifests).isEqualTo(4);

      // writers with their own table objects conflict, and each retries until its file is in
      List<Future<?>> writers = new java.util.ArrayList<>();
      for (int w = 0; w < 4; w++) {
        int writer = w;
        Table own = catalog.loadTable(id);
        writers.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 5; i++) {
                    Commits.appendToLog(own, file("w" + writer + "-" + i));
                  }
                  return null;
                }));
      }
      for (Future<?> writer : writers) {
        writer.get(60, TimeUnit.SECONDS);
      }
      table.refresh();
      List<String> paths = new java.util.ArrayList<>();
      try (var tasks = table.newScan().planFiles()) {
        tasks.forEach(t -> paths.add(t.file().location()));
      }
      assertThat(paths).hasSize(30).doesNotHaveDuplicates();
      // a writer that chose a fast append below the threshold and lost a race appends it all the
      // same: each of the four can leave one manifest past the threshold, never more
      for (Snapshot snapshot : table.snapshots()) {
        assertThat(snapshot.allManifests(table.io()).size()).isLessThanOrEqualTo(4 - 1 + 4);
      }
      // and the next append folds whatever piled up
      Commits.appendToLog(table, file("after"));
      table.refresh();
      assertThat(table.currentSnapshot().allManifests(table.io()).size()).isLessThanOrEqualTo(4);
    }
  }

  @Test
  void aLogAppendCommitsOnTheMetadataItsCallerLoadedAndLoadsNothingMore() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      Table table = catalog.loadTable(LOG);
      CountingOperations counting =
          new CountingOperations(((BaseTable) table).operations(), () -> {});
      Table counted = new BaseTable(counting, table.name());

      Commits.appendToLog(counted, file("first"));
      // the new snapshot's manifest list is written, never read back
      assertThat(counting.manifestListReads).isZero();
      Commits.appendToLog(counted, file("second"));

      // no load before a commit (the caller loaded the table) and none to find the committed
      // snapshot again
      assertThat(counting.refreshes).isZero();
      assertThat(counting.commits).isEqualTo(2);
      assertThat(paths(catalog.loadTable(LOG)))
          .containsExactlyInAnyOrder(path("first"), path("second"));
    }
  }

  @Test
  void anyOtherCommitAloneLoadsTheTableOnceBeforeItAndNotAfter() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      Table table = catalog.loadTable(LOG);
      CountingOperations counting =
          new CountingOperations(((BaseTable) table).operations(), () -> {});
      Table counted = new BaseTable(counting, table.name());

      Commits.alone(counted, committing -> committing.newFastAppend().appendFile(file("first")));
      Commits.alone(counted, committing -> committing.newFastAppend().appendFile(file("second")));

      assertThat(counting.refreshes).isEqualTo(2);
      assertThat(counting.commits).isEqualTo(2);
      assertThat(paths(catalog.loadTable(LOG)))
          .containsExactlyInAnyOrder(path("first"), path("second"));
    }
  }

  @Test
  void logRowsAreStoredWithTheirManifestAndCommittedInOneSnapshot() throws Exception {
    try (InMemoryCatalog catalog = new InMemoryCatalog()) {
      catalog.initialize("commits", Map.of());
      catalog.createNamespace(Namespace.of("db"));
      Table table =
          catalog.createTable(
              TableIdentifier.of("db", "events"),
              EVENTS,
              PartitionSpec.builderFor(EVENTS).identity("kind").build(),
              LogTables.PROPERTIES);
      RecordFiles.appendToLog(table, List.of(event(1, "a"), event(2, "b"), event(3, "a")));
      RecordFiles.appendToLog(table, List.of(event(4, "b")));

      table.refresh();
      assertThat(table.snapshots()).hasSize(2);
      Snapshot first = table.snapshots().iterator().next();
      // one file per partition, listed as added by the snapshot that committed them: the
      // manifest's entries took the commit's snapshot id
      List<DataFile> added = new java.util.ArrayList<>();
      first.addedDataFiles(table.io()).forEach(added::add);
      assertThat(added).hasSize(2);
      assertThat(added).allMatch(f -> f.format() == LogTables.APPEND_FORMAT);
      assertThat(added.stream().mapToLong(DataFile::recordCount).sum()).isEqualTo(3);
      assertThat(added).allMatch(f -> f.dataSequenceNumber() == first.sequenceNumber());
      List<Long> ids = new java.util.ArrayList<>();
      try (var rows = IcebergGenerics.read(table).build()) {
        rows.forEach(row -> ids.add((Long) row.getField("id")));
      }
      assertThat(ids).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);

      // the summaries carry the files' sizes, which an added manifest's own counts do not
      long firstSize = added.stream().mapToLong(DataFile::fileSizeInBytes).sum();
      assertThat(firstSize).isPositive();
      assertThat(first.summary())
          .containsEntry("added-files-size", Long.toString(firstSize))
          .containsEntry("total-files-size", Long.toString(firstSize))
          .containsEntry("total-records", "3");
      assertThat(table.currentSnapshot().summary())
          .containsEntry("total-files-size", Long.toString(liveFilesSize(table)))
          .containsEntry("total-records", "4");
    }
  }

  @Test
  void aLogAppendWhoseCommitFailsDeletesWhatItStoredAndAnUnknownOneKeepsIt() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      Table table = catalog.loadTable(LOG);
      for (RuntimeException failure :
          List.of(
              new IllegalStateException("catalog refused"),
              new CommitStateUnknownException(new RuntimeException("connection reset")))) {
        CountingOperations counting =
            new CountingOperations(
                ((BaseTable) table).operations(),
                () -> {
                  throw failure;
                });
        Table counted = new BaseTable(counting, table.name());

        assertThatThrownBy(() -> RecordFiles.appendToLog(counted, List.of(logRow(table, 7))))
            .isSameAs(failure);

        // a data file and its manifest were stored before the catalog commit (the manifest list
        // the commit wrote is Iceberg's to clean up)
        List<String> stored = counting.written.stream().filter(CommitsTest::isLogFile).toList();
        assertThat(stored).hasSize(2);
        boolean unknown = failure instanceof CommitStateUnknownException;
        for (String location : stored) {
          // the table may reference them after an unknown outcome: only a failure deletes them
          assertThat(((InMemoryFileIO) table.io()).fileExists(location)).isEqualTo(unknown);
        }
        assertThat(catalog.loadTable(LOG).currentSnapshot()).isNull();
      }
    }
  }

  @Test
  void aLogAppendCommitsToTheCatalogOnlyOnceEveryFileItListsIsStored() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      Table table = catalog.loadTable(LOG);
      InMemoryFileIO files = (InMemoryFileIO) table.io();
      List<Boolean> allStored = new java.util.ArrayList<>();
      CountingOperations[] counting = new CountingOperations[1];
      counting[0] =
          new CountingOperations(
              ((BaseTable) table).operations(),
              () ->
                  allStored.add(
                      counting[0].written.stream()
                          .filter(CommitsTest::isLogFile)
                          .allMatch(files::fileExists)));
      Table counted = new BaseTable(counting[0], table.name());
      // a first append, so the second's commit takes milliseconds, not the first one's class
      // loading
      RecordFiles.appendToLog(counted, List.of(logRow(table, 7)));
      counting[0].written.clear();
      allStored.clear();

      // the data file and the manifest take a while to store; the commit runs on meanwhile
      counting[0].storeDelayMillis = 300;
      RecordFiles.appendToLog(counted, List.of(logRow(table, 8)));

      assertThat(counting[0].written.stream().filter(CommitsTest::isLogFile)).hasSize(2);
      assertThat(allStored).containsExactly(true);
      try (var rows = IcebergGenerics.read(catalog.loadTable(LOG)).build()) {
        assertThat(rows).extracting(r -> r.getField("id")).containsExactlyInAnyOrder(7L, 8L);
      }
    }
  }

  @Test
  void aLogAppendThatFoldsManifestsReadsItsOwnOnlyOnceItIsStored() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      catalog
          .loadTable(LOG)
          .updateProperties()
          .set(TableProperties.MANIFEST_MIN_MERGE_COUNT, "2")
          .commit();
      Table table = catalog.loadTable(LOG);
      CountingOperations counting =
          new CountingOperations(((BaseTable) table).operations(), () -> {});
      Table counted = new BaseTable(counting, table.name());
      // the manifest takes a while to store, longer than the data file, and a folding append
      // reads every manifest it folds, the one it adds included
      counting.storeDelayMillis = 200;
      counting.slowStore = "floe-log-";
      for (long id = 1; id <= 5; id++) {
        counted.refresh();
        RecordFiles.appendToLog(counted, List.of(logRow(table, id)));
      }

      Table loaded = catalog.loadTable(LOG);
      assertThat(loaded.snapshots()).hasSize(5);
      assertThat(loaded.currentSnapshot().allManifests(loaded.io()).size()).isLessThanOrEqualTo(2);
      try (var rows = IcebergGenerics.read(loaded).build()) {
        assertThat(rows)
            .extracting(r -> r.getField("id"))
            .containsExactlyInAnyOrder(1L, 2L, 3L, 4L, 5L);
      }
      // folding appends keep the table's size in their summaries too
      assertThat(loaded.currentSnapshot().summary())
          .containsEntry("total-files-size", Long.toString(liveFilesSize(loaded)))
          .containsEntry("total-records", "5");
    }
  }

  /** The total size of the data files the table's current snapshot lists. */
  private static long liveFilesSize(Table table) throws java.io.IOException {
    long size = 0;
    try (var tasks = table.newScan().planFiles()) {
      for (var task : tasks) {
        size += task.file().fileSizeInBytes();
      }
    }
    return size;
  }

  @Test
  void aLogAppendWhoseFileCannotBeStoredNeverReachesTheCatalogAndLeavesNoFile() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      Table table = catalog.loadTable(LOG);
      CountingOperations counting =
          new CountingOperations(((BaseTable) table).operations(), () -> {});
      counting.failingStore = ".avro";
      Table counted = new BaseTable(counting, table.name());

      assertThatThrownBy(() -> RecordFiles.appendToLog(counted, List.of(logRow(table, 7))))
          .isInstanceOf(RecordFiles.NotStored.class)
          .hasMessageContaining("cannot write")
          .hasRootCauseMessage("disk full");

      assertThat(counting.commits).isZero();
      assertThat(catalog.loadTable(LOG).currentSnapshot()).isNull();
      // the stored files and the manifest list the attempt wrote are deleted
      assertThat(counting.written).isNotEmpty();
      for (String location : counting.written) {
        assertThat(((InMemoryFileIO) table.io()).fileExists(location)).as(location).isFalse();
      }
    }
  }

  /** A row of the log table {@link #logCatalog} creates. */
  private static Record logRow(Table table, long id) {
    GenericRecord row = GenericRecord.create(table.schema());
    row.setField("id", id);
    return row;
  }

  /** A file a log append stores itself: its data file or its manifest, not a manifest list. */
  private static boolean isLogFile(String location) {
    return !location.substring(location.lastIndexOf('/')).contains("snap-");
  }

  private static final Schema EVENTS =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "kind", Types.StringType.get()));

  private static Record event(long id, String kind) {
    GenericRecord row = GenericRecord.create(EVENTS);
    row.setField("id", id);
    row.setField("kind", kind);
    return row;
  }

  @Test
  void aCommitThatLosesARaceLoadsTheTableAgainAndKeepsBothWrites() throws Exception {
    try (InMemoryCatalog catalog = logCatalog()) {
      Table table = catalog.loadTable(LOG);
      Table other = catalog.loadTable(LOG);
      AtomicBoolean raced = new AtomicBoolean();
      // another writer commits between this append's load and its first commit attempt
      CountingOperations counting =
          new CountingOperations(
              ((BaseTable) table).operations(),
              () -> {
                if (raced.compareAndSet(false, true)) {
                  other.newFastAppend().appendFile(file("other")).commit();
                }
              });
      Table counted = new BaseTable(counting, table.name());

      Commits.appendToLog(counted, file("mine"));

      // the first attempt failed on the stale metadata; only the retry loaded the table
      assertThat(counting.commits).isEqualTo(2);
      assertThat(counting.refreshes).isEqualTo(1);
      assertThat(paths(catalog.loadTable(LOG)))
          .containsExactlyInAnyOrder(path("other"), path("mine"));
    }
  }

  private static final TableIdentifier LOG = TableIdentifier.of("db", "log");

  private static InMemoryCatalog logCatalog() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("commits", Map.of());
    catalog.createNamespace(Namespace.of("db"));
    catalog.createTable(
        LOG,
        new Schema(Types.NestedField.required(1, "id", Types.LongType.get())),
        PartitionSpec.unpartitioned(),
        Map.of(TableProperties.COMMIT_MIN_RETRY_WAIT_MS, "1"));
    return catalog;
  }

  private static List<String> paths(Table table) throws java.io.IOException {
    List<String> paths = new java.util.ArrayList<>();
    try (var tasks = table.newScan().planFiles()) {
      tasks.forEach(t -> paths.add(t.file().location()));
    }
    return paths;
  }

  /** Counts catalog loads and commit attempts, running {@code beforeCommit} before each attempt. */
  private static final class CountingOperations extends ForwardingTableOperations {
    private final Runnable beforeCommit;
    int refreshes;
    int commits;
    int manifestListReads;
    final List<String> written = new java.util.concurrent.CopyOnWriteArrayList<>();
    // files other than manifest lists take this long to store
    volatile long storeDelayMillis;
    // files whose name contains this fail to store
    volatile String failingStore;
    // when set, only files whose name contains this take storeDelayMillis to store
    volatile String slowStore;

    CountingOperations(TableOperations delegate, Runnable beforeCommit) {
      super(delegate);
      this.beforeCommit = beforeCommit;
    }

    @Override
    public TableMetadata refresh() {
      refreshes++;
      return delegate.refresh();
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      commits++;
      beforeCommit.run();
      delegate.commit(base, metadata);
    }

    @Override
    public FileIO io() {
      FileIO io = delegate.io();
      return new FileIO() {
        @Override
        public InputFile newInputFile(String path) {
          if (path.substring(path.lastIndexOf('/') + 1).startsWith("snap-")) {
            manifestListReads++;
          }
          return io.newInputFile(path);
        }

        @Override
        public OutputFile newOutputFile(String path) {
          written.add(path);
          OutputFile file = io.newOutputFile(path);
          String name = path.substring(path.lastIndexOf('/') + 1);
          if (name.startsWith("snap-")) {
            return file;
          }
          if (failingStore != null && name.contains(failingStore)) {
            return new SlowOutputFile(file, 0, true);
          }
          boolean slow = storeDelayMillis > 0 && (slowStore == null || name.contains(slowStore));
          return slow ? new SlowOutputFile(file, storeDelayMillis, false) : file;
        }

        @Override
        public void deleteFile(String path) {
          io.deleteFile(path);
        }
      };
    }
  }

  /** A file whose store takes {@code delayMillis} before it completes, or fails. */
  private record SlowOutputFile(OutputFile delegate, long delayMillis, boolean fail)
      implements OutputFile {
    @Override
    public PositionOutputStream create() {
      return createOrOverwrite();
    }

    @Override
    public PositionOutputStream createOrOverwrite() {
      PositionOutputStream out = delegate.createOrOverwrite();
      return new PositionOutputStream() {
        @Override
        public long getPos() throws java.io.IOException {
          return out.getPos();
        }

        @Override
        public void write(int b) throws java.io.IOException {
          out.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws java.io.IOException {
          out.write(b, off, len);
        }

        @Override
        public void close() throws java.io.IOException {
          if (fail) {
            throw new java.io.IOException("disk full");
          }
          try {
            Thread.sleep(delayMillis);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException();
          }
          out.close();
        }
      };
    }

    @Override
    public String location() {
      return delegate.location();
    }

    @Override
    public InputFile toInputFile() {
      return delegate.toInputFile();
    }
  }

  private static String path(String name) {
    return file(name).location();
  }

  private static DataFile file(String name) {
    return DataFiles.builder(PartitionSpec.unpartitioned())
        .withPath("memory://db/log/data/" + name + ".parquet")
        .withFileSizeInBytes(100)
        .withRecordCount(1)
        .build();
  }
}
