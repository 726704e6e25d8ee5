package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KeyCountsTest {
  private static Map<List<Object>, Long> repeated(KeyCounts counts) {
    Map<List<Object>, Long> repeated = new HashMap<>();
    counts.forEachRepeated((key, count) -> repeated.put(key, count));
    return repeated;
  }

  @Test
  void countsEachKeyAndReportsOnlyThoseHeldMoreThanOnce() {
    KeyCounts counts = new KeyCounts(0);
    for (long id = 0; id < 10_000; id++) {
      for (int copy = 0; copy <= id % 3; copy++) {
        counts.add(Columns.hashLong(id), List.of(id));
      }
    }
    Map<List<Object>, Long> repeated = repeated(counts);
    assertThat(repeated).hasSize(6_666);
    assertThat(repeated).containsEntry(List.of(2L), 3L).containsEntry(List.of(4L), 2L);
    assertThat(repeated).doesNotContainKey(List.of(3L));
  }

  /** Two keys under one hash are counted apart, each exactly. */
  @Test
  void keysSharingAHashAreToldApart() {
    KeyCounts counts = new KeyCounts(4);
    counts.add(42, List.of("a"));
    counts.add(42, List.of("b"));
    counts.add(42, List.of("a"));
    counts.add(42, List.of("b"));
    counts.add(42, List.of("b"));
    counts.add(42, List.of("c"));
    counts.add(7, List.of("d"));
    assertThat(repeated(counts))
        .containsOnly(Map.entry(List.of("a"), 2L), Map.entry(List.of("b"), 3L));
  }

  /**
   * Keys whose {@code hashCode} clusters (a composite of a sequential id and its remainder) are
   * found by their 64-bit hash; rows come from several threads at once.
   */
  @Test
  void rowsFromSeveralThreadsAtOnceAreAllCounted() throws Exception {
    KeyCounts counts = new KeyCounts(1 << 10);
    ExecutorService threads = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        done.add(
            threads.submit(
                () -> {
                  for (long id = 0; id < 50_000; id++) {
                    List<Object> key = List.of(id % 1_000, id);
                    counts.add(Columns.combine(Columns.hashLong(id % 1_000), id), key);
                  }
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      threads.shutdown();
    }
    Map<List<Object>, Long> repeated = repeated(counts);
    assertThat(repeated).hasSize(50_000);
    assertThat(repeated.values()).containsOnly(4L);
  }
}
