package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class TriggerCheckTest {
  private static final Instant NOW = Instant.parse("2026-03-03T12:00:00Z");

  @Test
  void anElapsedIntervalIsNamedAsTheConfigurationSpellsIt() {
    Trigger hourly = new Trigger(Optional.of(Duration.ofHours(1)), Optional.empty(), 0, 0);

    assertThat(
            TriggerCheck.due(
                hourly, null, Optional.of(NOW.minus(Duration.ofMinutes(61))), NOW, () -> 0))
        .contains("interval 1h elapsed");
    assertThat(
            TriggerCheck.due(
                hourly, null, Optional.of(NOW.minus(Duration.ofMinutes(59))), NOW, () -> 0))
        .isEmpty();
  }

  @Test
  void aFiredCronNamesItsTime() {
    Trigger daily = new Trigger(Optional.empty(), Optional.of("0 2 * * *"), 0, 0);

    assertThat(
            TriggerCheck.due(
                daily, null, Optional.of(Instant.parse("2026-03-02T12:00:00Z")), NOW, () -> 0))
        .contains("cron '0 2 * * *' fired at 2026-03-03T02:00:00Z");
  }
}
