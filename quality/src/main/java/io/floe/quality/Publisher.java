package io.floe.quality;

import io.floe.catalog.Commits;
import io.floe.catalog.Lineage;
import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Write-audit-publish for one audit branch.
 *
 * <ol>
 *   <li>Refuses unless main's head is an ancestor of the branch head S (a fast-forward).
 *   <li>Holds S back unevaluated when it was computed from an input snapshot that is not on that
 *       input's main ({@link Lineage}): data that failed its own gate must not arrive through S.
 *   <li>Evaluates the suite against S. On failure: main untouched, branch kept, verdict recorded.
 *   <li>On pass, commits an empty verdict snapshot V on the branch whose summary carries the
 *       verdict, suite hash and S (summaries are immutable, so the verdict rides on its own
 *       snapshot); V must have S as parent, else the branch moved during the audit.
 *   <li>In one catalog commit without retries, points main at V and creates the {@code
 *       published-<utc>} tag. The commit asserts main is still where the audit saw it, so a
 *       concurrent commit to main makes the publish fail instead of being overwritten or skipped.
 * </ol>
 */
final class Publisher {
  private final Catalog catalog;
  private final Table table;
  private final TableRef ref;
  private final String branch;
  private final Evaluation evaluation;
  private final boolean incremental;
  private final QualityConfig config;
  private final Clock clock;
  private final Runnable beforeSwap;

  Publisher(
      Catalog catalog,
      Table table,
      TableRef ref,
      String branch,
      Evaluation evaluation,
      boolean incremental,
      QualityConfig config,
      Clock clock,
      Runnable beforeSwap) {
    this.catalog = catalog;
    this.table = table;
    this.ref = ref;
    this.branch = branch;
    this.evaluation = evaluation;
    this.incremental = incremental;
    this.config = config;
    this.clock = clock;
    this.beforeSwap = beforeSwap;
  }

  PublishResult publish() {
    Snapshot head = table.snapshot(branch);
    if (head == null || table.refs().get(branch).isTag()) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s has no branch '%s' (%s)".formatted(ref, branch, Refs.describe(table.refs())));
    }
    Snapshot main = table.snapshot(Refs.MAIN);
    Long mainId = main == null ? null : main.snapshotId();
    if (mainId != null && !SnapshotUtil.isAncestorOf(table, head.snapshotId(), mainId)) {
      return conflict(
          Optional.empty(),
          "main (%d) is not an ancestor of %s (%d): main moved since the branch was cut; re-run the write on a new audit branch"
              .formatted(mainId, branch, head.snapshotId()));
    }
    Optional<String> unpublished = Lineage.unpublishedInput(catalog, table, branch);
    if (unpublished.isPresent()) {
      return new PublishResult(
          PublishResult.Outcome.HELD,
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          "%s@%d held back: %s; publish that first. main untouched, branch %s kept"
              .formatted(ref, head.snapshotId(), unpublished.get(), branch));
    }

    Verdict verdict =
        evaluation.evaluate(
            table, head, Optional.of(branch), incremental, Optional.ofNullable(mainId));
    if (!verdict.passed()) {
      Verdict recorded = evaluation.finish(verdict, false);
      return new PublishResult(
          PublishResult.Outcome.REJECTED,
          Optional.of(recorded),
          Optional.empty(),
          Optional.empty(),
          "%s@%d failed %d check(s): %s; main untouched, branch %s kept"
              .formatted(
                  ref,
                  head.snapshotId(),
                  recorded.blocking().size(),
                  Reports.failures(recorded),
                  branch));
    }

    Commits.promptly(table.newFastAppend())
        .toBranch(branch)
        .set(Refs.SUMMARY_VERDICT, Verdict.PASSED)
        .set(Refs.SUMMARY_SUITE_HASH, verdict.suiteHash())
        .set(Refs.SUMMARY_AUDITED_SNAPSHOT, Long.toString(head.snapshotId()))
        .commit();
    table.refresh();
    Snapshot stamped = table.snapshot(branch);
    if (!Objects.equals(stamped.parentId(), head.snapshotId())) {
      evaluation.finish(verdict, false);
      return conflict(
          Optional.of(verdict),
          "%s moved during the audit (head is now %d, audited %d); nothing published, re-audit"
              .formatted(branch, stamped.parentId(), head.snapshotId()));
    }

    TableOperations operations = ((HasTableOperations) table).operations();
    TableMetadata base = operations.refresh();
    SnapshotRef currentMain = base.ref(Refs.MAIN);
    Long currentMainId = currentMain == null ? null : currentMain.snapshotId();
    if (!Objects.equals(currentMainId, mainId)) {
      evaluation.finish(verdict, false);
      return conflict(
          Optional.of(verdict),
          "main moved from %s to %s during the audit; nothing published, re-audit"
              .formatted(mainId, currentMainId));
    }
    beforeSwap.run();
    String tag = freeTagName(base);
    SnapshotRef newMain =
        currentMain == null
            ? SnapshotRef.branchBuilder(stamped.snapshotId()).build()
            : SnapshotRef.builderFrom(currentMain, stamped.snapshotId()).build();
    TableMetadata updated =
        TableMetadata.buildFrom(base)
            .setRef(Refs.MAIN, newMain)
            .setRef(
                tag,
                SnapshotRef.tagBuilder(stamped.snapshotId())
                    .maxRefAgeMs(config.tagMaxAge().toMillis())
                    .build())
            .build();
    try {
      // one attempt: a retry would re-read main and could publish over a concurrent commit
      operations.commit(base, updated);
    } catch (CommitFailedException e) {
      evaluation.finish(verdict, false);
      return conflict(
          Optional.of(verdict),
          "main changed while publishing (%s); nothing published, re-audit"
              .formatted(SnapshotAudit.oneLine(e)));
    } catch (CommitStateUnknownException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "the catalog did not confirm publishing %s; check main and tag %s before retrying"
              .formatted(ref, tag),
          e);
    }
    table.refresh();
    Verdict recorded = evaluation.finish(verdict, true);
    return new PublishResult(
        PublishResult.Outcome.PUBLISHED,
        Optional.of(recorded),
        Optional.of(stamped.snapshotId()),
        Optional.of(tag),
        "published %s: main -> %d (audited %d), tag %s"
            .formatted(ref, stamped.snapshotId(), head.snapshotId(), tag));
  }

  private String freeTagName(TableMetadata base) {
    String name = Refs.publishedTag(clock.instant());
    String candidate = name;
    for (int i = 1; base.ref(candidate) != null; i++) {
      candidate = name + "-" + i;
    }
    return candidate;
  }

  private PublishResult conflict(Optional<Verdict> verdict, String message) {
    return new PublishResult(
        PublishResult.Outcome.CONFLICT, verdict, Optional.empty(), Optional.empty(), message);
  }
}
