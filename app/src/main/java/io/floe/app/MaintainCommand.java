package io.floe.app;

import io.floe.core.config.Durations;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.maintenance.MaintenanceDaemon;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.maintenance.MaintenanceRun;
import io.floe.maintenance.RunLog;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.iceberg.catalog.Catalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "maintain",
    description =
        "Run each table's maintenance policy when its trigger is due, holding a per-table lease; once (for cron, Airflow, Kubernetes CronJob) or as a daemon.")
final class MaintainCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Option(names = "--table", description = "namespace.table (repeatable)")
  List<String> tables = List.of();

  @Option(names = "--all", description = "Every table in the catalog.")
  boolean all;

  @Option(names = "--daemon", description = "Keep running, checking triggers every --poll.")
  boolean daemon;

  @Option(
      names = "--poll",
      description = "How often the daemon checks triggers (default ${DEFAULT-VALUE}).",
      defaultValue = "PT1M",
      converter = DurationConverter.class)
  Duration poll;

  @Option(names = "--now", description = "Ignore triggers: run every named table now.")
  boolean now;

  @Option(
      names = "--dry-run",
      description =
          "Change nothing: print which tables are due and why, and what each step would do.")
  boolean dryRun;

  @Override
  public Integer call() throws Exception {
    if (tables.isEmpty() && !all) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "name tables with --table namespace.table or pass --all");
    }
    if (daemon && dryRun) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "--dry-run runs once; it cannot be combined with --daemon");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (MaintenanceAccess access = MaintenanceAccess.open(floe)) {
      if (daemon) {
        PrintWriter err = spec.commandLine().getErr();
        PassFailures failures = new PassFailures(err);
        ConfigReloads reloads = new ConfigReloads(floe.options::load, access.config, err);
        try (MaintenanceDaemon running =
            MaintenanceDaemon.start(
                () -> {
                  FloeConfig config = reloads.current();
                  return run(access.catalog, config, MaintenancePolicy.read(config));
                },
                poll,
                outcomes -> {
                  report(out, outcomes);
                  failures.passed();
                },
                failures::failed)) {
          out.printf(
              "maintenance daemon polling every %s, reading the configuration again before each"
                  + " pass; stop with Ctrl-C%n",
              Durations.format(poll));
          out.flush();
          running.awaitTermination();
        }
        return Floe.EXIT_OK;
      }
      List<MaintenanceRun.TableOutcome> outcomes =
          run(access.catalog, access.config, access.policies).execute();
      report(out, outcomes);
      return outcomes.stream().anyMatch(o -> o.outcome() == RunLog.Outcome.FAILED)
          ? Floe.EXIT_CHECK_FAILED
          : Floe.EXIT_OK;
    }
  }

  private MaintenanceRun run(
      Catalog catalog, FloeConfig config, MaintenancePolicy.Policies policies) {
    MaintenanceRun run =
        MaintenanceRun.of(catalog, policies).compactor(SparkCompaction.compactor(config));
    tables.forEach(t -> run.table(MaintenanceAccess.parse(t)));
    if (all) {
      run.allTables();
    }
    if (now) {
      run.ignoreTriggers();
    }
    if (dryRun) {
      run.dryRun();
    }
    return run;
  }

  private void report(PrintWriter out, List<MaintenanceRun.TableOutcome> outcomes) {
    for (MaintenanceRun.TableOutcome outcome : outcomes) {
      out.printf(
          "%-40s %-8s %s%n",
          outcome.table(),
          dryRun && outcome.outcome() == RunLog.Outcome.OK
              ? "due"
              : outcome.outcome().name().toLowerCase(java.util.Locale.ROOT),
          outcome.detail());
      for (RunLog.Entry step : outcome.steps()) {
        if (!step.operation().equals("run")) {
          out.printf(
              "    %-18s %-7s %s%n",
              step.operation(),
              step.outcome().name().toLowerCase(java.util.Locale.ROOT),
              step.detail());
        }
      }
    }
    out.flush();
  }

  /**
   * What the daemon says about passes that fail as a whole: the first failure and each change of
   * it, then that passes work again; not the same line every poll while the catalog is down.
   */
  static final class PassFailures {
    private final StandingWarning warning;

    PassFailures(PrintWriter err) {
      this.warning = new StandingWarning(err, "floe: maintenance passes work again");
    }

    void failed(RuntimeException failure) {
      warning.problem(
          ("floe: warning: a maintenance pass failed: %s (the daemon goes on and says when passes"
                  + " work again; details in the log)")
              .formatted(describe(failure)));
    }

    void passed() {
      warning.cleared();
    }

    /** The failure's message, and its root cause's when that is another exception. */
    static String describe(Throwable failure) {
      Throwable root = failure;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String text = Floe.oneLine(failure);
      return root == failure
          ? text
          : "%s (%s: %s)".formatted(text, root.getClass().getSimpleName(), Floe.oneLine(root));
    }
  }

  static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      return Durations.parse(value)
          .orElseThrow(
              () ->
                  new IllegalArgumentException("not a duration: " + value + " (e.g. 30s, 5m, 1h)"));
    }
  }
}
