package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Named stages run in order, each timed. A line announces every stage; while a stage runs longer
 * than the heartbeat interval, a line says it is still running; a failing stage stops the run.
 *
 * <pre>{@code
 * PipelineSummary summary =
 *     Pipeline.named("ecommerce").stage(ingest).stage(transform).stage(publish).build()
 *         .run("r20260101t120000", Progress.to(out));
 * }</pre>
 */
public final class Pipeline {
  public static final Duration HEARTBEAT_DEFAULT = Duration.ofSeconds(15);

  private final String name;
  private final List<Stage> stages;
  private final Duration heartbeat;

  private Pipeline(String name, List<Stage> stages, Duration heartbeat) {
    this.name = name;
    this.stages = List.copyOf(stages);
    this.heartbeat = heartbeat;
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public List<String> stageNames() {
    return stages.stream().map(Stage::name).toList();
  }

  /**
   * Runs every stage once, in order.
   *
   * @param runId lower-case letters, digits and '_' (it names the run's audit branch)
   */
  public PipelineSummary run(String runId, Progress progress) {
    Refs.auditBranch(runId);
    requireNonNull(progress, "progress is null");
    List<StageResult> completed = new ArrayList<>();
    long begin = System.nanoTime();
    ScheduledExecutorService ticker =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "floe-pipeline-progress");
              thread.setDaemon(true);
              return thread;
            });
    try {
      for (int i = 0; i < stages.size(); i++) {
        Stage stage = stages.get(i);
        String label = "[%d/%d] %s".formatted(i + 1, stages.size(), stage.name());
        progress.line(label + " ...");
        long start = System.nanoTime();
        ScheduledFuture<?> heartbeatTask =
            ticker.scheduleAtFixedRate(
                () ->
                    progress.line(
                        "%s: still running, %d s"
                            .formatted(label, (System.nanoTime() - start) / 1_000_000_000L)),
                heartbeat.toMillis(),
                heartbeat.toMillis(),
                TimeUnit.MILLISECONDS);
        StageOutcome outcome;
        try {
          outcome =
              requireNonNull(
                  stage.run(new StageContext(name, runId, completed, progress)),
                  () -> "stage " + stage.name() + " returned no outcome");
        } finally {
          heartbeatTask.cancel(false);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        completed.add(new StageResult(stage.name(), outcome, took));
        progress.line("%s done in %.1f s".formatted(label, took.toMillis() / 1000.0));
      }
    } finally {
      ticker.shutdownNow();
    }
    return new PipelineSummary(name, runId, completed, Duration.ofNanos(System.nanoTime() - begin));
  }

  /** Collects the stages of a pipeline. */
  public static final class Builder {
    private final String name;
    private final List<Stage> stages = new ArrayList<>();
    private Duration heartbeat = HEARTBEAT_DEFAULT;

    private Builder(String name) {
      this.name = requireNonNull(name, "name is null");
    }

    public Builder stage(Stage stage) {
      stages.add(requireNonNull(stage, "stage is null"));
      return this;
    }

    /** How often a long stage reports that it is still running. */
    public Builder heartbeat(Duration interval) {
      requireNonNull(interval, "interval is null");
      if (interval.isNegative() || interval.isZero()) {
        throw new IllegalArgumentException("heartbeat must be positive: " + interval);
      }
      this.heartbeat = interval;
      return this;
    }

    public Pipeline build() {
      if (stages.isEmpty()) {
        throw new IllegalStateException("pipeline " + name + " has no stages");
      }
      List<String> names = stages.stream().map(Stage::name).toList();
      if (names.stream().distinct().count() != names.size()) {
        throw new IllegalStateException(
            "pipeline " + name + " has duplicate stage names: " + names);
      }
      return new Pipeline(name, stages, heartbeat);
    }
  }
}
