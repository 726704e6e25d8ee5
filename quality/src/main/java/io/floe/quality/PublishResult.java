package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * What {@code publish} did.
 *
 * @param verdict the audit of the branch head (absent when refused before evaluating)
 * @param publishedSnapshot the snapshot main now points to, when published
 * @param tag the {@code published-<utc>} tag created, when published
 * @param message one line saying what happened and what to do next
 */
public record PublishResult(
    Outcome outcome,
    Optional<Verdict> verdict,
    Optional<Long> publishedSnapshot,
    Optional<String> tag,
    String message) {

  /** How a publish ended. Only {@link #PUBLISHED} moved main. */
  public enum Outcome {
    PUBLISHED,
    /** The suite failed: main untouched, audit branch kept. */
    REJECTED,
    /** Main or the audit branch moved since the audit: nothing published; re-audit. */
    CONFLICT,
    /**
     * The branch was computed from an input snapshot that is not published: not evaluated, main
     * untouched, audit branch kept; publish the input first.
     */
    HELD
  }

  public PublishResult {
    requireNonNull(outcome, "outcome is null");
    requireNonNull(verdict, "verdict is null");
    requireNonNull(publishedSnapshot, "publishedSnapshot is null");
    requireNonNull(tag, "tag is null");
    requireNonNull(message, "message is null");
  }

  public boolean published() {
    return outcome == Outcome.PUBLISHED;
  }
}
