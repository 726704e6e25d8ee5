package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.RuntimeLayout;
import io.floe.stack.StackEndpoints;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * The main job. Today it runs the foundation slice end to end: start the stack if needed, append a
 * batch to {@code bronze.slice_events} with Spark, read it back with pure Java and with Trino, and
 * show where to query it.
 */
@Command(
    name = "run",
    description = "Run the main job end to end on the stack and print where to query it.")
final class RunCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Option(
      names = "--rows",
      defaultValue = "1000",
      description = "Rows per batch (default: ${DEFAULT-VALUE}).")
  long rows;

  @Option(
      names = "--namespace",
      defaultValue = "bronze",
      description = "Namespace of the slice table (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig config = floe.options.load();
    Instant begin = Instant.now();
    out.print("[1/3] ");
    StackEndpoints endpoints = StackAccess.startIfNeeded(config, floe.options, out);
    Duration stackTime = Duration.between(begin, Instant.now());

    out.printf(
        "[2/3] Spark job: appending %d rows to %s.%s ...%n",
        rows, namespace, BronzeSlice.TABLE_NAME);
    out.flush();
    SparkJobLauncher launcher =
        new SparkJobLauncher(
            config.spark(),
            RuntimeLayout.discover(),
            config.home().toAbsolutePath().resolve("logs").resolve("jobs"));
    BronzeSlice.Result result = BronzeSlice.run(endpoints, launcher, namespace, rows);

    out.printf(
        "[3/3] Read snapshot %d back: Spark wrote %d rows, pure Java read %d, Trino read %d: %s%n",
        result.snapshotId(),
        result.sparkRows(),
        result.javaRows().size(),
        result.trinoRows().size(),
        result.agree() ? "all three agree" : "MISMATCH");
    out.printf(
        "Time: stack %.1f s, Spark job %.1f s, Iceberg read %.1f s, Trino read %.1f s%n",
        seconds(stackTime),
        seconds(result.sparkTime()),
        seconds(result.javaTime()),
        seconds(result.trinoTime()));
    out.println();
    out.println("Query it with any Trino client:");
    out.printf("  JDBC URL  %s   user %s%n", endpoints.trinoJdbcUrl(), endpoints.trinoUser());
    out.printf(
        "  SQL       SELECT category, count(*), sum(amount) FROM %s.%s.%s GROUP BY category;%n",
        endpoints.trinoCatalog(), namespace, BronzeSlice.TABLE_NAME);
    out.println("Stack status: ./floe status   Stop: ./floe down");
    return result.agree() ? Floe.EXIT_OK : Floe.EXIT_CHECK_FAILED;
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
