package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EvaluationThreadsTest {
  @Test
  void evaluationsOfOneParallelismShareOnePoolOfThatManyDaemonThreads() throws Exception {
    ExecutorService pool = EvaluationThreads.pool(3);
    assertThat(EvaluationThreads.pool(3)).isSameAs(pool);
    assertThat(EvaluationThreads.pool(1)).isNotSameAs(pool);

    Set<Thread> used = ConcurrentHashMap.newKeySet();
    CountDownLatch busy = new CountDownLatch(3);
    List<Future<?>> tasks = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      tasks.add(
          pool.submit(
              () -> {
                used.add(Thread.currentThread());
                busy.countDown();
                // the first three hold their threads until all three run, so three are started
                busy.await(10, TimeUnit.SECONDS);
                return null;
              }));
    }
    for (Future<?> task : tasks) {
      task.get(10, TimeUnit.SECONDS);
    }
    assertThat(used).hasSize(3);
    assertThat(used)
        .allSatisfy(
            thread -> {
              assertThat(thread.isDaemon()).isTrue();
              assertThat(thread.getName()).startsWith("floe-quality-3-");
            });
  }

  @Test
  void aTaskWaitingForAnEarlierOneOnTheSamePoolFinishes() throws Exception {
    ExecutorService pool = EvaluationThreads.pool(1);
    // as the states probe waits for the states table's load, on a pool of one thread
    Future<String> load = pool.submit(() -> "loaded");
    Future<String> probe = pool.submit(() -> load.get() + " and probed");
    assertThat(probe.get(10, TimeUnit.SECONDS)).isEqualTo("loaded and probed");
  }

  @Test
  void refusesNoThreads() {
    assertThatThrownBy(() -> EvaluationThreads.pool(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("threads must be positive");
  }
}
