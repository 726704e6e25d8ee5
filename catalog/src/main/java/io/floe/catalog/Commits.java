package io.floe.catalog;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.PendingUpdate;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.SnapshotUpdate;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.ThreadPools;

/**
 * How Floe's snapshot commits run their manifest work.
 *
 * <p>A commit hands its manifest work (writing the new manifests, filtering and merging the old
 * ones, summarising them for the manifest list) to a thread pool in up to four phases, and
 * Iceberg's {@code Tasks} waits for each phase by checking its futures and sleeping 10 ms while any
 * is unfinished. A one-row append thus waited 20-40 ms for work that takes about one. {@link
 * #promptly} gives the commit Iceberg's own worker pool behind futures whose {@code isDone} waits
 * for the task: the check finds each phase finished the moment it is, and the phase's tasks still
 * run in parallel.
 */
public final class Commits {
  private static final ExecutorService WORKERS = new PromptExecutor(ThreadPools.getWorkerPool());

  private Commits() {}

  /** {@code update}, its manifest work running on Iceberg's worker pool without polling delays. */
  public static <T extends SnapshotUpdate<T>> T promptly(T update) {
    return update
        .scanManifestsWith(WORKERS)
        .writeManifestsWith(WORKERS, ThreadPools.WORKER_THREAD_POOL_SIZE);
  }

  /**
   * Appends one small file to a log-like table (metric history, run log, deletion ledger, leases)
   * and commits, with less commit work than a plain append and the same outcome: a fast append
   * while the current snapshot has fewer manifests than {@code commit.manifest.min-count-to-merge},
   * else a merging append, which folds the small manifests into one. The usual commit thus only
   * adds its manifest, where a merging append also filters and groups every existing one. The
   * choice is made on the metadata loaded for the commit; an attempt that loses a race to another
   * writer is applied again as the same kind of append, so writers appending at once can each leave
   * one manifest past the threshold, which the next append folds. Committed {@link #alone} on the
   * metadata {@code table} holds, which its caller loaded or refreshed just before, its manifest
   * work running {@link #promptly}.
   */
  public static void appendToLog(Table table, DataFile file) {
    appendToLog(table, List.of(file));
  }

  /**
   * Like {@link #appendToLog(Table, DataFile)}, several files (one per partition) in one commit.
   */
  public static void appendToLog(Table table, List<DataFile> files) {
    appendToLog(table, () -> {}, append -> files.forEach(append::appendFile));
  }

  /**
   * Like {@link #appendToLog(Table, DataFile)}, adding a manifest written beforehand instead of
   * writing one in the commit: its entries carry no snapshot id (they inherit the commit's). The
   * manifest and the files it lists may still be being stored: {@code stored} waits for them and
   * throws if any could not be stored. The commit writes its manifest list meanwhile, and waits for
   * them just before the catalog commit, so no snapshot ever lists a file that is not stored. An
   * append that folds manifests waits for them before it starts, as folding reads the manifest. See
   * {@link RecordFiles#appendToLog}.
   *
   * <p>{@code filesSize} is the listed files' total size in bytes. An added manifest's summary
   * carries their count and rows but not their size, so it goes into the snapshot summary ({@code
   * added-files-size}), from which Iceberg keeps the table's {@code total-files-size}.
   */
  public static void appendToLog(
      Table table, ManifestFile manifest, long filesSize, Runnable stored) {
    appendToLog(
        table,
        stored,
        append ->
            append
                .appendManifest(manifest)
                .set(SnapshotSummary.ADDED_FILE_SIZE_PROP, Long.toString(filesSize)));
  }

  /**
   * The caller loaded or refreshed {@code table} just before (each log table's writer does), so the
   * first attempt commits on the metadata it holds, without loading it once more: a table that
   * moved in between fails that attempt, which is retried on metadata loaded then.
   */
  private static void appendToLog(
      Table table, Runnable beforeCatalogCommit, Consumer<AppendFiles> content) {
    alone(
        table,
        false,
        beforeCatalogCommit,
        committing -> {
          Snapshot current = committing.currentSnapshot();
          int mergeAt =
              PropertyUtil.propertyAsInt(
                  committing.properties(),
                  TableProperties.MANIFEST_MIN_MERGE_COUNT,
                  TableProperties.MANIFEST_MIN_MERGE_COUNT_DEFAULT);
          boolean merge =
              current != null && current.allManifests(committing.io()).size() >= mergeAt;
          if (merge) {
            // folding reads every manifest it folds, the one this append adds included, which
            // may still be being stored
            beforeCatalogCommit.run();
          }
          AppendFiles append =
              promptly(merge ? committing.newAppend() : committing.newFastAppend());
          content.accept(append);
          return append;
        });
  }

  /**
   * Commits the snapshot update that {@code update} builds on {@code table} as loaded from the
   * catalog just now, with no catalog load after its commit. The outcome is the update's own
   * commit's: a conflicting catalog commit is retried under the table's {@code commit.retry.*}
   * settings, the table loaded again and the update applied to the newer metadata and validated
   * against it, the manifests of failed attempts deleted. But on the table's own operations that
   * commit loads the table from the catalog again once it committed, only to find the snapshot it
   * made; and a transaction, which skips that load, reads the new snapshot's manifest list back
   * instead. Here the metadata the catalog accepted answers that question (see {@link
   * LoadOnceOperations}). A table that is not Iceberg's {@link BaseTable} commits the update on its
   * own operations.
   */
  public static void alone(Table table, Function<Table, ? extends PendingUpdate<?>> update) {
    alone(table, true, () -> {}, update);
  }

  /** {@code beforeCatalogCommit} runs before each catalog commit, and may fail the attempt. */
  private static void alone(
      Table table,
      boolean loadFirst,
      Runnable beforeCatalogCommit,
      Function<Table, ? extends PendingUpdate<?>> update) {
    if (!(table instanceof BaseTable loaded)) {
      beforeCatalogCommit.run();
      update.apply(table).commit();
      return;
    }
    Table committing =
        new BaseTable(
            new LoadOnceOperations(loaded.operations(), loadFirst, beforeCatalogCommit),
            loaded.name(),
            loaded.reporter());
    update.apply(committing).commit();
  }

  /**
   * A table's operations that load its metadata from the catalog when created (unless told to start
   * from the metadata {@code catalog} holds) and after a failed commit only: a refresh before the
   * first attempt answers with the metadata known then, and once a commit succeeded, the metadata
   * just committed is the table's, so the refresh that follows it answers with that metadata
   * instead of asking the catalog.
   */
  static final class LoadOnceOperations extends ForwardingTableOperations {
    private final Runnable beforeCommit;
    private TableMetadata known;

    LoadOnceOperations(TableOperations catalog, boolean loadFirst, Runnable beforeCommit) {
      super(catalog);
      this.beforeCommit = beforeCommit;
      this.known = loadFirst ? catalog.refresh() : catalog.current();
    }

    @Override
    public TableMetadata current() {
      return known != null ? known : delegate.current();
    }

    @Override
    public TableMetadata refresh() {
      if (known == null) {
        known = delegate.refresh();
      }
      return known;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      // whatever happens to this attempt, the next one starts from the catalog's metadata
      known = null;
      beforeCommit.run();
      delegate.commit(base, metadata);
      known = metadata;
    }
  }
}
