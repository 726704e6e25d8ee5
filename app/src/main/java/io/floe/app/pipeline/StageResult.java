package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/** A finished stage: its name, its outcome and how long it took. */
public record StageResult(String stage, StageOutcome outcome, Duration duration) {
  public StageResult {
    requireNonNull(stage, "stage is null");
    requireNonNull(outcome, "outcome is null");
    requireNonNull(duration, "duration is null");
  }
}
