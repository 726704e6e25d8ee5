package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bin-packs main's small files (and rewrites partitions with delete files, applying and dropping
 * the deletes) with a pure-Java executor, one commit per file group.
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
  private int parallelism = 2;
  private int maxRounds = 5;
  private boolean dryRun;
  private boolean used;
  private final Object commitLock = new Object();

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
            policy.leaseDuration());
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

  /** How many groups are rewritten at once; default 2. */
  public Compaction parallelism(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("parallelism must be at least 1: " + threads);
    }
    this.parallelism = threads;
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
    List<FileGroup> groups = CompactionPlanner.plan(table, start.snapshotId(), policy);
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
          groups = CompactionPlanner.plan(table, start.snapshotId(), policy);
          totals.retries.addAndGet(groups.size());
        }
        long startId = start.snapshotId();
        long startSequence = start.sequenceNumber();
        List<Future<Boolean>> outcomes = new ArrayList<>();
        for (FileGroup group : groups) {
          outcomes.add(
              workers.submit(() -> rewriteAndCommit(group, startId, startSequence, totals)));
        }
        replan = false;
        for (Future<Boolean> outcome : outcomes) {
          try {
            replan |= !outcome.get();
          } catch (ExecutionException e) {
            if (e.getCause() instanceof CommitStateUnknownException unknown) {
              throw unknown;
            }
            LOG.warn("a file group of {} failed", name, e.getCause());
            failures.add(String.valueOf(e.getCause()));
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("compaction interrupted", e);
    } finally {
      workers.shutdownNow();
    }
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

  /** Returns false when a concurrent commit conflicted and the group must be replanned. */
  private boolean rewriteAndCommit(
      FileGroup group, long startId, long startSequence, Totals totals) {
    List<DataFile> added = new GroupRewriter(table, policy.targetFileSize(), mode).rewrite(group);
    RewriteFiles rewrite =
        table.newRewrite().validateFromSnapshot(startId).dataSequenceNumber(startSequence);
    group.dataFiles().forEach(rewrite::deleteFile);
    for (DeleteFile delete : group.deletesToDrop()) {
      rewrite.deleteFile(delete);
    }
    added.forEach(rewrite::addFile);
    rewrite.set("floe.maintenance", "compact");
    try {
      synchronized (commitLock) {
        rewrite.commit();
      }
    } catch (ValidationException | CommitFailedException e) {
      // the commit definitely did not happen: the new files are garbage, the group is replanned
      LOG.info(
          "group {} of {} conflicted with a concurrent commit: {}",
          group.partitionName(),
          table.name(),
          e.getMessage());
      added.forEach(file -> table.io().deleteFile(file.location()));
      return false;
    }
    totals.groups.incrementAndGet();
    totals.rewritten.addAndGet(group.tasks().size());
    totals.added.addAndGet(added.size());
    totals.droppedDeletes.addAndGet(group.deletesToDrop().size());
    totals.bytes.addAndGet(group.bytes());
    return true;
  }

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
