package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Commits;
import io.floe.core.error.FloeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bin-packs main's small files (and rewrites partitions with delete files, applying and dropping
 * the deletes) with a pure-Java executor, committing up to {@link #groupsPerCommit} file groups per
 * snapshot.
 *
 * <p>Every commit is a {@code RewriteFiles} validated from the snapshot the plan started at, with
 * the new files carrying that snapshot's sequence number: a concurrent append is untouched, a
 * concurrent equality delete still applies to the rewritten rows, and a concurrent position delete
 * or file removal on a rewritten file fails validation, so that group is dropped and replanned from
 * the newer snapshot (never a deleted row resurrected, apache/iceberg#10312). A commit whose
 * outcome is unknown stops compaction without deleting anything it wrote. Audit branches are never
 * touched: compaction only reads and writes main.
 */
public final class Compaction {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);

  private final Table table;
  private MaintenancePolicy policy = MaintenancePolicy.defaults();
  private GroupRewriter.Mode mode = GroupRewriter.Mode.AUTO;
  // a group holds an output row group in memory: one per core, up to four, in all (see
  // GroupRewriter)
  private int parallelism = GroupRewriter.MAX_AT_ONCE;
  private int groupsPerCommit = 10;
  private int maxRounds = 5;
  private PartitionFilter partitions = PartitionFilter.ALL;
  private boolean dryRun;
  private boolean used;
  private final Object commitLock = new Object();
  private final PhaseTimes times = new PhaseTimes();
  private final Queue<Rewritten> ready = new ConcurrentLinkedQueue<>();

  Compaction(Table table) {
    this.table = requireNonNull(table, "table is null");
  }

  public Compaction policy(MaintenancePolicy policy) {
    this.policy = requireNonNull(policy, "policy is null");
    return this;
  }

  /** Overrides the policy's target file size. */
  public Compaction targetFileSize(long bytes) {
    if (bytes < 1) {
      throw new IllegalArgumentException("target file size must be positive: " + bytes);
    }
    this.policy =
        new MaintenancePolicy(
            policy.operations(),
            bytes,
            policy.smallFileRatio(),
            policy.minInputFiles(),
            policy.maxGroupSize(),
            policy.snapshotMaxAge(),
            policy.minSnapshots(),
            policy.auditBranchMaxAge(),
            policy.publishedTagMaxAge(),
            policy.orphanMinAge(),
            policy.quarantineGrace(),
            policy.quarantineLocation(),
            policy.manifestMinCount(),
            policy.retention(),
            policy.trigger(),
            policy.leaseDuration(),
            policy.compactionExecutor());
    return this;
  }

  /** Always stitch Parquet row groups where valid, even tiny ones (fastest, larger footers). */
  public Compaction stitchRowGroups() {
    this.mode = GroupRewriter.Mode.STITCH;
    return this;
  }

  /** Always decode and re-encode rows. */
  public Compaction reencode() {
    this.mode = GroupRewriter.Mode.REENCODE;
    return this;
  }

  /** How many rewritten groups share one commit at most; default 10. */
  public Compaction groupsPerCommit(int groups) {
    if (groups < 1) {
      throw new IllegalArgumentException("groups per commit must be at least 1: " + groups);
    }
    this.groupsPerCommit = groups;
    return this;
  }

  /**
   * How many of this compaction's groups are rewritten at once; default one per core, at most 4.
   * Every compaction and retention of the JVM together rewrite no more groups at once than that
   * default, whatever this says.
   */
  public Compaction parallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + threads);
    }
    this.parallelism = threads;
    return this;
  }

  /**
   * Compacts only the partitions that may hold a row matching {@code filter}, an expression on the
   * table's partition source columns (e.g. {@code order_ts >= '2026-11-01'} on a table partitioned
   * by day); each selected partition is planned whole, as without a filter.
   *
   * @throws IllegalArgumentException when the filter names a column the table lacks or does not
   *     partition by, or a value that does not fit the column's type
   */
  public Compaction filter(Expression filter) {
    this.partitions = PartitionFilter.of(table, requireNonNull(filter, "filter is null"));
    return this;
  }

  public Compaction dryRun() {
    this.dryRun = true;
    return this;
  }

  public CompactionResult execute() {
    if (used) {
      throw new IllegalStateException("a Compaction runs once; start a new one");
    }
    used = true;
    String name = TableNames.of(table);
    table.refresh();
    Snapshot start = table.currentSnapshot();
    if (start == null) {
      return new CompactionResult(
          name, dryRun, new CompactionPlan(name, -1, List.of()), 0, 0, 0, 0, 0, 0, List.of());
    }
    long planning = PhaseTimes.start();
    List<FileGroup> groups = CompactionPlanner.plan(table, start.snapshotId(), policy, partitions);
    times.stop(PhaseTimes.Phase.PLAN, planning);
    CompactionPlan plan =
        new CompactionPlan(
            name, start.snapshotId(), groups.stream().map(FileGroup::describe).toList());
    if (dryRun || groups.isEmpty()) {
      return new CompactionResult(name, dryRun, plan, 0, 0, 0, 0, 0, 0, List.of());
    }
    Totals totals = new Totals();
    List<String> failures = new ArrayList<>();
    ExecutorService workers = Executors.newFixedThreadPool(parallelism);
    try {
      boolean replan = false;
      for (int round = 0; round < maxRounds && (round == 0 || replan); round++) {
        if (replan) {
          table.refresh();
          start = table.currentSnapshot();
          groups = CompactionPlanner.plan(table, start.snapshotId(), policy, partitions);
          totals.retries.addAndGet(groups.size());
        }
        long startId = start.snapshotId();
        long startSequence = start.sequenceNumber();
        AtomicInteger left = new AtomicInteger(groups.size());
        List<Future<Rewritten>> rewrites = new ArrayList<>();
        for (FileGroup group : groups) {
          rewrites.add(
              workers.submit(
                  () -> rewriteAndMaybeCommit(group, startId, startSequence, left, totals)));
        }
        replan = false;
        for (Future<Rewritten> rewrite : rewrites) {
          try {
            replan |= !rewrite.get().outcome().join();
          } catch (ExecutionException | CompletionException e) {
            if (e.getCause() instanceof CommitStateUnknownException unknown) {
              throw unknown;
            }
            LOG.warn("a file group of {} failed", name, e.getCause());
            // a failure Floe explains needs no exception class in front of its explanation
            failures.add(
                e.getCause() instanceof FloeException explained
                    ? explained.getMessage()
                    : String.valueOf(e.getCause()));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("compaction interrupted", e);
    } finally {
      workers.shutdownNow();
    }
    LOG.debug("compaction of {} phase times: {}", name, times);
    return new CompactionResult(
        name,
        false,
        plan,
        totals.groups.get(),
        totals.rewritten.get(),
        totals.added.get(),
        totals.droppedDeletes.get(),
        totals.bytes.get(),
        totals.retries.get(),
        failures);
  }

  /**
   * Rewrites the group and queues it for a commit. Every {@code groupsPerCommit} queued groups, and
   * once the round's last group is rewritten, the queue is committed as one snapshot (Iceberg's
   * partial-progress idea): fewer manifest rewrites and catalog round trips, while a large run
   * still keeps its progress in steps. Its outcome completes false when a concurrent commit
   * conflicted and the group must be replanned.
   */
  private Rewritten rewriteAndMaybeCommit(
      FileGroup group, long startId, long startSequence, AtomicInteger left, Totals totals) {
    try {
      List<DataFile> added =
          new GroupRewriter(table, policy.targetFileSize(), mode, times).rewrite(group);
      Rewritten mine = new Rewritten(group, added, new CompletableFuture<>());
      ready.add(mine);
      return mine;
    } finally {
      // counted down even when the rewrite failed, so the last group still commits the others
      if (left.decrementAndGet() == 0 || ready.size() >= groupsPerCommit) {
        commitReady(startId, startSequence, totals);
      }
    }
  }

  private void commitReady(long startId, long startSequence, Totals totals) {
    synchronized (commitLock) {
      List<Rewritten> batch = new ArrayList<>();
      for (Rewritten next; (next = ready.poll()) != null; ) {
        batch.add(next);
      }
      if (!batch.isEmpty()) {
        long committing = PhaseTimes.start();
        commitBatch(batch, startId, startSequence, totals);
        times.stop(PhaseTimes.Phase.COMMIT, committing);
      }
    }
  }

  /** Commits the groups together; when that conflicts, one by one so only conflicting ones drop. */
  private void commitBatch(List<Rewritten> batch, long startId, long startSequence, Totals totals) {
    if (batch.size() > 1) {
      try {
        commit(batch, startId, startSequence);
        batch.forEach(done -> succeeded(done, totals));
        return;
      } catch (ValidationException | CommitFailedException e) {
        LOG.info(
            "{} groups of {} conflicted together; committing them one by one: {}",
            batch.size(),
            table.name(),
            e.getMessage());
      } catch (RuntimeException e) {
        batch.forEach(failed -> failed.outcome().completeExceptionally(e));
        return;
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      Rewritten one = batch.get(i);
      try {
        commit(List.of(one), startId, startSequence);
        succeeded(one, totals);
      } catch (ValidationException | CommitFailedException e) {
        // the commit definitely did not happen: the new files are garbage, the group is replanned
        LOG.info(
            "group {} of {} conflicted with a concurrent commit: {}",
            one.group().partitionName(),
            table.name(),
            e.getMessage());
        one.added().forEach(file -> table.io().deleteFile(file.location()));
        one.outcome().complete(false);
      } catch (RuntimeException e) {
        // an unknown commit state stops everything: nothing after it may commit or delete
        batch.subList(i, batch.size()).forEach(left -> left.outcome().completeExceptionally(e));
        return;
      }
    }
  }

  private void commit(List<Rewritten> groups, long startId, long startSequence) {
    Commits.alone(
        table,
        committing -> {
          RewriteFiles rewrite =
              Commits.promptly(committing.newRewrite())
                  .validateFromSnapshot(startId)
                  .dataSequenceNumber(startSequence);
          for (Rewritten rewritten : groups) {
            rewritten.group().dataFiles().forEach(rewrite::deleteFile);
            rewritten.group().deletesToDrop().forEach(rewrite::deleteFile);
            rewritten.added().forEach(rewrite::addFile);
          }
          rewrite.set("floe.maintenance", "compact");
          return rewrite;
        });
  }

  private static void succeeded(Rewritten done, Totals totals) {
    FileGroup group = done.group();
    totals.groups.incrementAndGet();
    totals.rewritten.addAndGet(group.tasks().size());
    totals.added.addAndGet(done.added().size());
    totals.droppedDeletes.addAndGet(group.deletesToDrop().size());
    totals.bytes.addAndGet(group.bytes());
    done.outcome().complete(true);
  }

  /** A rewritten group waiting for its commit, and how that commit went. */
  private record Rewritten(
      FileGroup group, List<DataFile> added, CompletableFuture<Boolean> outcome) {}

  private static final class Totals {
    final AtomicInteger groups = new AtomicInteger();
    final AtomicInteger rewritten = new AtomicInteger();
    final AtomicInteger added = new AtomicInteger();
    final AtomicInteger droppedDeletes = new AtomicInteger();
    final java.util.concurrent.atomic.AtomicLong bytes =
        new java.util.concurrent.atomic.AtomicLong();
    final AtomicInteger retries = new AtomicInteger();
  }
}
