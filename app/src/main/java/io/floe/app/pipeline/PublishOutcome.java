package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.util.OptionalLong;

/**
 * What publishing one table's audit branch did.
 *
 * @param snapshotId {@code main}'s head afterwards, if the table has one
 * @param message why, in one line (the reason {@code main} did not move, when it did not)
 */
public record PublishOutcome(
    TableRef table, Status status, OptionalLong snapshotId, String message) {
  public enum Status {
    /** {@code main} now points at the audit branch's head. */
    PUBLISHED,
    /** {@code main} already pointed at the audit branch's head. */
    UNCHANGED,
    /** The suite failed: {@code main} is untouched; the audit branch stays for inspection. */
    REJECTED,
    /**
     * {@code main} is untouched because it moved since the audit branch was cut, or while
     * publishing (or there is no audit branch): nothing was wrong with the data, and a rerun audits
     * again. The audit branch stays.
     */
    CONFLICT,
    /**
     * Not evaluated: the audit branch was computed from an input snapshot that is not published (an
     * input this run kept off {@code main}), so publishing it would leak that input's data. The
     * audit branch stays.
     */
    HELD
  }

  public PublishOutcome {
    requireNonNull(table, "table is null");
    requireNonNull(status, "status is null");
    requireNonNull(snapshotId, "snapshotId is null");
    requireNonNull(message, "message is null");
  }

  /** Whether {@code main} is at the audit head now. */
  public boolean published() {
    return status == Status.PUBLISHED || status == Status.UNCHANGED;
  }
}
