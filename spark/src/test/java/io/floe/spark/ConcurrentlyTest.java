package io.floe.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ConcurrentlyTest {
  @Test
  void tasksRunAtOnceUpToTheParallelismAndResultsKeepTheirOrder() throws Exception {
    CountDownLatch started = new CountDownLatch(3);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Callable<String>> tasks =
        List.of("a", "b", "c", "d", "e").stream()
            .<Callable<String>>map(
                name ->
                    () -> {
                      most.accumulateAndGet(running.incrementAndGet(), Math::max);
                      started.countDown();
                      // the first three wait for one another: run one at a time, they would not
                      boolean together = started.await(30, TimeUnit.SECONDS);
                      running.decrementAndGet();
                      return together ? name : "alone";
                    })
            .toList();

    assertThat(Concurrently.run("test", 3, tasks)).containsExactly("a", "b", "c", "d", "e");
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void aFailedTaskLetsTheOthersFinishAndTheFirstFailureIsThrownWithTheRestSuppressed() {
    AtomicInteger finished = new AtomicInteger();
    List<Callable<Integer>> tasks =
        List.of(
            () -> finished.incrementAndGet(),
            () -> {
              throw new IOException("first");
            },
            () -> finished.incrementAndGet(),
            () -> {
              throw new IllegalStateException("second");
            },
            () -> finished.incrementAndGet());

    assertThatThrownBy(() -> Concurrently.run("test", 2, tasks))
        .isInstanceOf(IOException.class)
        .hasMessage("first")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .isInstanceOf(IllegalStateException.class));
    assertThat(finished.get()).isEqualTo(3);
  }
}
