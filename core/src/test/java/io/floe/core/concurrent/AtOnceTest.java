package io.floe.core.concurrent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class AtOnceTest {
  @Test
  void runsUpToParallelismAtOnceAndHandsResultsOverInOrder() {
    CountDownLatch threeUnderWay = new CountDownLatch(3);
    AtomicInteger underWay = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    List<Supplier<Integer>> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int n = i;
      tasks.add(
          () -> {
            most.accumulateAndGet(underWay.incrementAndGet(), Math::max);
            try {
              threeUnderWay.countDown();
              assertThat(threeUnderWay.await(30, TimeUnit.SECONDS)).isTrue();
              // later tasks finish first
              Thread.sleep(5L * (6 - n));
              return n;
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            } finally {
              underWay.decrementAndGet();
            }
          });
    }
    List<Integer> done = new ArrayList<>();
    AtOnce.run("test", 3, tasks, done::add);
    assertThat(done).containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(most.get()).isEqualTo(3);
  }

  @Test
  void aFailureLetsTheOthersFinishAndIsThrownFirstWithTheLaterOnesSuppressed() {
    AtomicInteger finished = new AtomicInteger();
    List<Supplier<String>> tasks =
        List.of(
            () -> {
              finished.incrementAndGet();
              return "a";
            },
            () -> {
              throw new IllegalArgumentException("first");
            },
            () -> {
              finished.incrementAndGet();
              return "c";
            },
            () -> {
              throw new IllegalStateException("second");
            });
    List<String> done = new ArrayList<>();
    assertThatThrownBy(() -> AtOnce.run("test", 2, tasks, done::add))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("first")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .extracting(Throwable::getMessage)
                    .containsExactly("second"));
    assertThat(finished.get()).isEqualTo(2);
    assertThat(done).containsExactly("a", "c");
  }
}
