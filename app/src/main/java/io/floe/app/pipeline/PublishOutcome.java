package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.util.OptionalLong;

/**
 * What publishing one table's audit branch did.
 *
 * @param snapshotId {@code main}'s head afterwards, if the table has one
 * @param message why, in one line (the rejection reason for {@link Status#REJECTED})
 */
public record PublishOutcome(
    TableRef table, Status status, OptionalLong snapshotId, String message) {
  public enum Status {
    /** {@code main} now points at the audit branch's head. */
    PUBLISHED,
    /** {@code main} already pointed at the audit branch's head. */
    UNCHANGED,
    /** {@code main} is untouched; the audit branch stays for inspection. */
    REJECTED
  }

  public PublishOutcome {
    requireNonNull(table, "table is null");
    requireNonNull(status, "status is null");
    requireNonNull(snapshotId, "snapshotId is null");
    requireNonNull(message, "message is null");
  }

  public boolean published() {
    return status != Status.REJECTED;
  }
}
