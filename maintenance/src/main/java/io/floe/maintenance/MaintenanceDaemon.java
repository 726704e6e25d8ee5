package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link MaintenanceRun} every poll interval until closed; each table's trigger decides
 * whether it is due and its lease keeps two daemons (or a daemon and a one-shot run) apart.
 */
public final class MaintenanceDaemon implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceDaemon.class);

  private final ScheduledExecutorService scheduler =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "floe-maintenance");
            thread.setDaemon(false);
            return thread;
          });

  private MaintenanceDaemon() {}

  /**
   * Starts polling at once and then every {@code poll}: each pass's outcomes go to {@code report},
   * and a pass that fails as a whole (the catalog briefly unreachable) to {@code failed}, after
   * which the schedule goes on.
   */
  public static MaintenanceDaemon start(
      Supplier<MaintenanceRun> runs,
      Duration poll,
      Consumer<List<MaintenanceRun.TableOutcome>> report,
      Consumer<RuntimeException> failed) {
    requireNonNull(runs, "runs is null");
    requireNonNull(report, "report is null");
    requireNonNull(failed, "failed is null");
    MaintenanceDaemon daemon = new MaintenanceDaemon();
    daemon.scheduler.scheduleWithFixedDelay(
        () -> {
          try {
            report.accept(runs.get().execute());
          } catch (RuntimeException e) {
            // one failed pass must not stop the schedule: an exception escaping this task would
            // cancel every later pass
            LOG.error("maintenance pass failed", e);
            try {
              failed.accept(e);
            } catch (RuntimeException reporting) {
              LOG.error("reporting a failed maintenance pass failed", reporting);
            }
          }
        },
        0,
        poll.toMillis(),
        TimeUnit.MILLISECONDS);
    return daemon;
  }

  /** Blocks until the daemon is closed from another thread or the process is stopped. */
  public void awaitTermination() throws InterruptedException {
    while (!scheduler.awaitTermination(1, TimeUnit.HOURS)) {
      // keep waiting
    }
  }

  @Override
  public void close() {
    scheduler.shutdown();
  }
}
