package io.floe.app;

import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Reports;
import io.floe.quality.Suite;
import io.floe.quality.Verdict;
import io.floe.stack.StackEndpoints;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.concurrent.Callable;
import org.apache.iceberg.rest.RESTCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Evaluates a table's quality suite against one exact snapshot. */
@Command(
    name = "check",
    description =
        "Evaluate a table's quality suite against main's head, a branch or a snapshot (exit 1 when it fails).")
final class CheckCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(CheckCommand.class);

  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(names = "--branch", paramLabel = "B", description = "Evaluate the head of this branch.")
  String branch;

  @Option(names = "--snapshot", paramLabel = "ID", description = "Evaluate this snapshot id.")
  Long snapshot;

  @Option(
      names = "--incremental",
      description = "Reuse stored states of the last audited ancestor; read only added files.")
  boolean incremental;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    if (branch != null && snapshot != null) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "give --branch or --snapshot, not both");
    }
    PrintWriter out = spec.commandLine().getOut();
    // milliseconds since the JVM started, logged per phase to show where start-up time goes
    RuntimeMXBean jvm = ManagementFactory.getRuntimeMXBean();
    long commandAt = jvm.getUptime();
    FloeConfig config = floe.options.load();
    TableRef ref = QualityCommands.table(table);
    Suite suite = QualityCommands.suite(config, ref);
    StackEndpoints endpoints = StackAccess.running(config);
    long configAt = jvm.getUptime();
    try (RESTCatalog catalog = endpoints.catalogConnection().open("floe-check")) {
      long catalogAt = jvm.getUptime();
      QualityGate.CheckBuilder check =
          QualityGate.check(catalog, ref)
              .suite(suite)
              .config(QualityConfig.from(config))
              .reportDirectory(config.home().resolve("reports"))
              // print first: the verdict does not wait for the metric history commit (the JSON
              // object does, as it lists what that commit could not do among the warnings)
              .onVerdict(
                  v -> {
                    if (!json.json) {
                      Reports.print(v, out);
                    }
                    out.flush();
                    LOG.info(
                        "check {}: command at {} ms, config and suite {} ms, catalog open {} ms,"
                            + " verdict {} ms after JVM start",
                        ref,
                        commandAt,
                        configAt,
                        catalogAt,
                        jvm.getUptime());
                  });
      if (branch != null) {
        check.branch(branch);
      }
      if (snapshot != null) {
        check.snapshot(snapshot);
      }
      if (incremental) {
        check.incremental();
      }
      Verdict verdict = check.execute();
      json.print(out, Reports.asMap(verdict));
      out.flush();
      QualityCommands.warn(verdict, spec.commandLine().getErr());
      return verdict.passed() ? Floe.EXIT_OK : Floe.EXIT_CHECK_FAILED;
    } catch (java.io.IOException e) {
      throw new FloeException(ErrorCode.SERVICE_FAILED, "closing the catalog client failed", e);
    }
  }
}
