package io.floe.quality;

import io.floe.catalog.TableRef;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executor;

/** Where evaluations are recorded and read back: metric history and stored analyzer states. */
interface ResultStore {
  /** Appends one evaluation's results. */
  void record(Verdict verdict, boolean published);

  /** The metric's values at the last {@code limit} published snapshots, newest first. */
  List<Double> publishedValues(TableRef table, String metricName, int limit);

  /** States stored for {@code snapshotId} of {@code table}, by analyzer key; empty if none. */
  Map<String, byte[]> states(TableRef table, long snapshotId);

  void saveStates(TableRef table, long snapshotId, Map<String, byte[]> states);

  /**
   * Deletes the stored states of {@code table}'s snapshots that are not in {@code live} (expired
   * ones, which can never be an incremental base again) and that were written before {@code
   * writtenBefore}; returns how many it deleted. Optional.
   */
  default int pruneStates(TableRef table, Set<Long> live, Instant writtenBefore) {
    return 0;
  }

  /**
   * Starts, on {@code executor}, what {@link #states} needs before it is called; optional. The
   * caller calls {@link #states} and {@link #saveStates} from one thread at a time.
   */
  default void preloadStates(Executor executor) {}

  /** Starts, on {@code executor}, what {@link #record} needs before it is called; optional. */
  default void preloadHistory(Executor executor) {}

  /** Records nothing and remembers nothing. */
  ResultStore NONE =
      new ResultStore() {
        @Override
        public void record(Verdict verdict, boolean published) {}

        @Override
        public List<Double> publishedValues(TableRef table, String metricName, int limit) {
          return List.of();
        }

        @Override
        public Map<String, byte[]> states(TableRef table, long snapshotId) {
          return Map.of();
        }

        @Override
        public void saveStates(TableRef table, long snapshotId, Map<String, byte[]> states) {}
      };

  static Optional<Double> first(List<Double> values) {
    return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }
}
