package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MaintenanceDaemonTest {
  @Test
  void aFailedPassIsReportedAndTheScheduleGoesOn() throws Exception {
    CountDownLatch passes = new CountDownLatch(3);
    List<String> failures = new CopyOnWriteArrayList<>();
    try (MaintenanceDaemon daemon =
        MaintenanceDaemon.start(
            () -> {
              throw new IllegalStateException("catalog unreachable");
            },
            Duration.ofMillis(10),
            outcomes -> failures.add("reported outcomes of a pass that failed"),
            failure -> {
              failures.add(failure.getMessage());
              passes.countDown();
              // a failing reporter must not stop the schedule either
              throw new IllegalStateException("terminal closed");
            })) {
      assertThat(passes.await(30, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(failures).hasSizeGreaterThanOrEqualTo(3).containsOnly("catalog unreachable");
  }
}
