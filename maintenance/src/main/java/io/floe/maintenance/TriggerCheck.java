package io.floe.maintenance;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.floe.core.config.Durations;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/** Decides from a {@link Trigger} whether a table's maintenance is due, and says why. */
final class TriggerCheck {
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private TriggerCheck() {}

  /** Why the table is due, or empty when it is not. */
  static Optional<String> due(
      Trigger trigger,
      Table table,
      Optional<Instant> lastRun,
      Instant now,
      LongSupplier smallFiles) {
    if (lastRun.isEmpty()) {
      return Optional.of("never maintained");
    }
    Instant last = lastRun.get();
    if (trigger.interval().isPresent() && !last.plus(trigger.interval().get()).isAfter(now)) {
      return Optional.of("interval " + Durations.format(trigger.interval().get()) + " elapsed");
    }
    if (trigger.cron().isPresent()) {
      Optional<ZonedDateTime> next =
          ExecutionTime.forCron(CRON.parse(trigger.cron().get()))
              .nextExecution(last.atZone(ZoneOffset.UTC));
      if (next.isPresent() && !next.get().toInstant().isAfter(now)) {
        return Optional.of(
            "cron '" + trigger.cron().get() + "' fired at " + next.get().toInstant());
      }
    }
    if (trigger.commits() > 0) {
      long commits = 0;
      for (Snapshot snapshot : table.snapshots()) {
        if (snapshot.timestampMillis() > last.toEpochMilli()) {
          commits++;
        }
      }
      if (commits >= trigger.commits()) {
        return Optional.of(commits + " commits since the last run");
      }
    }
    if (trigger.smallFiles() > 0) {
      long small = smallFiles.getAsLong();
      if (small >= trigger.smallFiles()) {
        return Optional.of(small + " small files");
      }
    }
    return Optional.empty();
  }
}
