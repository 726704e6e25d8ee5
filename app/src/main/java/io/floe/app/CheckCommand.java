package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Reports;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import io.floe.stack.StackEndpoints;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.RuntimeMXBean;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NoSuchTableException;
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

/** Evaluates a table's quality suite against one exact snapshot; or every table's, on main. */
@Command(
    name = "check",
    description =
        "Evaluate a table's quality suite against main's head, a branch or a snapshot, or with --all every table's suite against main (exit 1 when one fails).")
final class CheckCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(CheckCommand.class);

  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(
      names = "--all",
      description =
          "Every table that has a suite and a snapshot on main, in one process; tables declared in the configuration but not in the catalog are named.")
  boolean all;

  @Option(names = "--branch", paramLabel = "B", description = "Evaluate the head of this branch.")
  String branch;

  @Option(names = "--snapshot", paramLabel = "ID", description = "Evaluate this snapshot id.")
  Long snapshot;

  @Option(
      names = "--incremental",
      description =
          "Reuse stored states of the last audited ancestor; read only the files added since, and those a copy-on-write change removed.")
  boolean incremental;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    if ((table == null) != all) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          all
              ? "give a table or --all, not both"
              : "name the table to check, or pass --all for every table with a suite");
    }
    if (all && (branch != null || snapshot != null)) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "--all checks main's head of every table; give --branch or --snapshot with one table");
    }
    if (branch != null && snapshot != null) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "give --branch or --snapshot, not both");
    }
    PrintWriter out = spec.commandLine().getOut();
    // milliseconds since the JVM started, logged per phase to show where start-up time goes
    RuntimeMXBean jvm = ManagementFactory.getRuntimeMXBean();
    long commandAt = jvm.getUptime();
    FloeConfig config = floe.options.load();
    if (all) {
      return checkAll(config, out);
    }
    TableRef ref = QualityCommands.table(table);
    Suite suite = QualityCommands.suite(config, ref);
    StackEndpoints endpoints = StackAccess.running(config);
    long configAt = jvm.getUptime();
    try (RESTCatalog catalog = endpoints.catalogConnection().open("floe-check")) {
      long catalogAt = jvm.getUptime();
      QualityGate.CheckBuilder check =
          check(catalog, ref, suite, config)
              .onVerdict(
                  v -> {
                    print(v, out);
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
      Verdict verdict = check.execute();
      json.print(out, Reports.asMap(verdict));
      out.flush();
      QualityCommands.warn(verdict, spec.commandLine().getErr());
      return verdict.passed() ? Floe.EXIT_OK : Floe.EXIT_CHECK_FAILED;
    } catch (java.io.IOException e) {
      throw new FloeException(ErrorCode.SERVICE_FAILED, "closing the catalog client failed", e);
    }
  }

  /** The check of {@code ref}'s suite, its report written where the command's reports go. */
  private QualityGate.CheckBuilder check(
      RESTCatalog catalog, TableRef ref, Suite suite, FloeConfig config) {
    QualityGate.CheckBuilder check =
        QualityGate.check(catalog, ref)
            .suite(suite)
            .config(QualityConfig.from(config))
            .reportDirectory(config.home().resolve("reports"));
    return incremental ? check.incremental() : check;
  }

  /**
   * Prints the summary as soon as the verdict is known: it does not wait for the metric history
   * commit (the JSON object does, as it lists what that commit could not do among the warnings).
   */
  private void print(Verdict verdict, PrintWriter out) {
    if (!json.json) {
      Reports.print(verdict, out);
    }
    out.flush();
  }

  /**
   * Checks main's head of every table that has a suite (the configuration's, and the example's for
   * its tables), over one catalog connection. A table without a snapshot on main is not checked;
   * one the configuration declares a suite for but the catalog lacks is named, as a misspelt name
   * would otherwise go unseen. A table that cannot be checked is reported and the others still are;
   * the exit code is then that error's.
   */
  private int checkAll(FloeConfig config, PrintWriter out) {
    PrintWriter err = spec.commandLine().getErr();
    Map<TableRef, Suite> declared = Suites.load(config);
    Map<TableRef, Suite> suites = ExampleSuites.withExamples(declared);
    StackEndpoints endpoints = StackAccess.running(config);
    List<Map<String, Object>> verdicts = new ArrayList<>();
    Map<String, String> notChecked = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    List<String> failed = new ArrayList<>();
    int exitCode = Floe.EXIT_OK;
    try (RESTCatalog catalog = endpoints.catalogConnection().open("floe-check")) {
      for (Map.Entry<TableRef, Suite> entry : suites.entrySet()) {
        TableRef ref = entry.getKey();
        try {
          Table table;
          try {
            table = catalog.loadTable(ref.toIdentifier());
          } catch (NoSuchTableException e) {
            if (declared.containsKey(ref)) {
              notChecked.put(ref.toString(), "not in the catalog");
            }
            continue;
          }
          if (table.snapshot(Refs.MAIN) == null) {
            notChecked.put(ref.toString(), "no snapshot on main yet");
            continue;
          }
          if (!verdicts.isEmpty() && !json.json) {
            out.println();
          }
          Verdict verdict =
              check(catalog, ref, entry.getValue(), config)
                  .loaded(table)
                  .onVerdict(v -> print(v, out))
                  .execute();
          verdicts.add(Reports.asMap(verdict));
          QualityCommands.warn(verdict, err);
          if (!verdict.passed()) {
            failed.add(ref.toString());
            exitCode = Math.max(exitCode, Floe.EXIT_CHECK_FAILED);
          }
        } catch (RuntimeException e) {
          QualityCommands.TableError error = QualityCommands.report(ref, e, err);
          errors.put(ref.toString(), error.message());
          exitCode = Math.max(exitCode, error.exitCode());
        }
        err.flush();
      }
    } catch (java.io.IOException e) {
      throw new FloeException(ErrorCode.SERVICE_FAILED, "closing the catalog client failed", e);
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("passed", exitCode == Floe.EXIT_OK);
    summary.put("verdicts", verdicts);
    summary.put("failed", failed);
    summary.put("notChecked", notChecked);
    summary.put("errors", errors);
    if (!json.print(out, summary)) {
      out.printf(
          "%nchecked %s: %d passed, %d failed%s%s%n",
          counted(verdicts.size(), "table"),
          verdicts.size() - failed.size(),
          failed.size(),
          failed.isEmpty() ? "" : " (" + String.join(", ", failed) + ")",
          QualityCommands.unhandled("check", errors, "not checked", notChecked));
    }
    out.flush();
    return exitCode;
  }
}
