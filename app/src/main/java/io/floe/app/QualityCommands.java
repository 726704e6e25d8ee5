package io.floe.app;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.Suite;
import io.floe.quality.Verdict;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the quality commands share: parsing the table argument and finding its suite. */
final class QualityCommands {
  private static final Logger LOG = LoggerFactory.getLogger(QualityCommands.class);

  private QualityCommands() {}

  static TableRef table(String text) {
    try {
      return TableRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  /**
   * The table's suite from the configuration, else the example's built-in one: the suite {@code
   * floe run}'s gate used, so checking a table the example published needs no configuration.
   */
  static Suite suite(FloeConfig config, TableRef table) {
    Map<TableRef, Suite> suites = ExampleSuites.withExamples(config);
    return Optional.ofNullable(suites.get(table))
        .orElseThrow(
            () ->
                new FloeException(
                    ErrorCode.INVALID_CONFIG,
                    "no quality suite for %s (%s); declare tables.%s.quality.checks in %s, or draft them with floe suggest %s"
                        .formatted(
                            table,
                            withSuites(suites.keySet()),
                            table,
                            config.fromDefaults()
                                ? "a floe.yaml (none is in use: create ./floe.yaml or pass"
                                    + " --config)"
                                : config.source(),
                            table)));
  }

  /**
   * What the evaluation could not do besides judging (an alert not sent, the metric history not
   * recorded) is said on stderr, a line each: nobody else will hear.
   */
  static void warn(Verdict verdict, PrintWriter err) {
    verdict.warnings().forEach(warning -> err.println("floe: warning: " + warning));
    err.flush();
  }

  /** Why a command over every table could not handle one, and the exit code that calls for. */
  record TableError(String message, int exitCode) {}

  /**
   * Says in one line on {@code err} why {@code ref} could not be handled (the stack trace goes to
   * the log): a Floe error with its own exit code, anything else as an internal error.
   */
  static TableError report(TableRef ref, RuntimeException e, PrintWriter err) {
    TableError error =
        e instanceof FloeException floe
            ? new TableError(e.getMessage(), floe.exitCode())
            : new TableError("internal error: " + Floe.oneLine(e), Floe.EXIT_INTERNAL);
    LOG.error("{}: {}", ref, error.message(), e);
    err.println("floe: " + ref + ": " + error.message());
    err.flush();
    return error;
  }

  /**
   * How a summary over every table ends: the tables it could not {@code verb}, and those it left
   * out ({@code notDone}: "not checked") with why.
   */
  static String unhandled(
      String verb, Map<String, String> errors, String notDone, Map<String, String> skipped) {
    return (errors.isEmpty()
            ? ""
            : "; could not " + verb + " " + String.join(", ", errors.keySet()))
        + (skipped.isEmpty()
            ? ""
            : "; "
                + notDone
                + ": "
                + skipped.entrySet().stream()
                    .map(e -> e.getKey() + " (" + e.getValue() + ")")
                    .collect(Collectors.joining(", ")));
  }

  static final int TABLES_NAMED = 10;

  /** The tables that have a suite, so a mistyped table name shows the right one. */
  private static String withSuites(Set<TableRef> tables) {
    if (tables.isEmpty()) {
      return "no table has one";
    }
    List<String> names = tables.stream().map(TableRef::toString).sorted().toList();
    return "suites: "
        + String.join(", ", names.subList(0, Math.min(names.size(), TABLES_NAMED)))
        + (names.size() > TABLES_NAMED ? ", ..." : "");
  }
}
