package io.floe.maintenance;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Wall time spent per compaction phase, summed over the threads rewriting groups, so a debug log
 * line shows where a run goes (phases overlap across threads, so they may add up to more than the
 * run).
 */
final class PhaseTimes {
  /** The phases of one compaction run. */
  enum Phase {
    PLAN,
    FETCH_WAIT,
    FOOTERS,
    STITCH,
    TRANSCODE,
    REENCODE,
    CLOSE_UPLOAD,
    METRICS,
    COMMIT
  }

  private final Map<Phase, AtomicLong> nanos = new EnumMap<>(Phase.class);

  PhaseTimes() {
    for (Phase phase : Phase.values()) {
      nanos.put(phase, new AtomicLong());
    }
  }

  /** Starts timing; pass the result to {@link #stop}. */
  static long start() {
    return System.nanoTime();
  }

  void stop(Phase phase, long started) {
    nanos.get(phase).addAndGet(System.nanoTime() - started);
  }

  @Override
  public String toString() {
    return nanos.entrySet().stream()
        .filter(e -> e.getValue().get() > 0)
        .map(e -> e.getKey().name().toLowerCase() + "=" + e.getValue().get() / 1_000_000 + "ms")
        .collect(Collectors.joining(" "));
  }
}
