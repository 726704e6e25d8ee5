package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Lineage;
import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Publishes by fast-forwarding {@code main} to the audit head, with no checks of the data. The
 * catalog's commit is conditional on the metadata it read, so a concurrent change of {@code main}
 * fails the commit instead of being overwritten; that failure is a rejection, never retried into a
 * non-fast-forward.
 */
final class FastForwardPublisher implements Publisher {
  private final Catalog catalog;

  FastForwardPublisher(Catalog catalog) {
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  @Override
  public PublishOutcome publish(TableRef ref, String auditBranch) {
    Table table = catalog.loadTable(ref.toIdentifier());
    SnapshotRef audit = table.refs().get(auditBranch);
    SnapshotRef main = table.refs().get(Refs.MAIN);
    if (audit == null || !audit.isBranch()) {
      return conflict(ref, main, "no audit branch " + auditBranch);
    }
    long head = audit.snapshotId();
    if (main != null && main.snapshotId() == head) {
      return new PublishOutcome(
          ref, PublishOutcome.Status.UNCHANGED, OptionalLong.of(head), "main is at the audit head");
    }
    if (main != null && !SnapshotUtil.isAncestorOf(table, head, main.snapshotId())) {
      return conflict(
          ref,
          main,
          "main (%d) moved since %s was created from it; not a fast-forward"
              .formatted(main.snapshotId(), auditBranch));
    }
    Optional<String> unpublished = Lineage.unpublishedInput(catalog, table, auditBranch);
    if (unpublished.isPresent()) {
      return new PublishOutcome(
          ref,
          PublishOutcome.Status.HELD,
          main == null ? OptionalLong.empty() : OptionalLong.of(main.snapshotId()),
          "held back: " + unpublished.get());
    }
    try {
      if (main == null) {
        table.manageSnapshots().createBranch(Refs.MAIN, head).commit();
      } else {
        table.manageSnapshots().fastForwardBranch(Refs.MAIN, auditBranch).commit();
      }
    } catch (CommitFailedException e) {
      return conflict(ref, main, "main changed while publishing: " + e.getMessage());
    }
    return new PublishOutcome(
        ref,
        PublishOutcome.Status.PUBLISHED,
        OptionalLong.of(head),
        "main fast-forwarded to " + head);
  }

  private static PublishOutcome conflict(TableRef ref, SnapshotRef main, String reason) {
    return new PublishOutcome(
        ref,
        PublishOutcome.Status.CONFLICT,
        main == null ? OptionalLong.empty() : OptionalLong.of(main.snapshotId()),
        reason);
  }
}
