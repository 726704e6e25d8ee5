package io.floe.app.pipeline;

/**
 * One named step of a {@link Pipeline}: generate upstream data, ingest, transform, publish, refresh
 * views. Each helper module provides its steps as stages; the pipeline times them, shows progress
 * and sums up their outcomes.
 */
public interface Stage {
  /** A short lower-case name for progress lines and the summary, e.g. {@code transform}. */
  String name();

  /**
   * Runs the stage.
   *
   * @param context the run and what the stages before this one reported
   * @throws io.floe.core.error.FloeException when the stage fails; later stages do not run
   */
  StageOutcome run(StageContext context);

  /** A stage from a name and a function, for small stages and adapters. */
  static Stage of(String name, java.util.function.Function<StageContext, StageOutcome> body) {
    java.util.Objects.requireNonNull(name, "name is null");
    java.util.Objects.requireNonNull(body, "body is null");
    return new Stage() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public StageOutcome run(StageContext context) {
        return body.apply(context);
      }
    };
  }
}
