package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.QualityConfig;
import io.floe.quality.Suite;
import io.floe.quality.SuiteValidation;
import io.floe.quality.Suites;
import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Validates quality suites against their tables' schemas, reading no data. */
@Command(
    name = "validate",
    description =
        "Validate the configuration and the quality suites against the catalog, reading no data: each check's columns, their types, its values, conditions and compared tables, on main's head (or a branch's) and on the current schema (exit 2 when a check does not fit).")
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TABLE",
      description = "namespace.table; without it, every table with a suite")
  String table;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "Validate against the head of this branch (one table).")
  String branch;

  @Mixin JsonOption json;

  @Override
  public Integer call() {
    if (table == null && branch != null) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "--branch validates one table; name it");
    }
    // a configuration that does not load is reported here, naming the file and the key
    FloeConfig config = floe.options.load();
    QualityConfig quality = QualityConfig.from(config);
    Map<TableRef, Suite> declared = Suites.load(config);
    Map<TableRef, Suite> suites;
    if (table == null) {
      suites = ExampleSuites.withExamples(declared);
    } else {
      TableRef ref = QualityCommands.table(table);
      suites = Map.of(ref, QualityCommands.suite(config, ref));
    }
    StackEndpoints endpoints = StackAccess.running(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    List<SuiteValidation> validations = new ArrayList<>();
    Map<String, String> notValidated = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    int exitCode = Floe.EXIT_OK;
    try (RESTCatalog catalog = endpoints.catalogConnection().open("floe-validate")) {
      for (Map.Entry<TableRef, Suite> entry : suites.entrySet()) {
        TableRef ref = entry.getKey();
        try {
          Table loaded;
          try {
            loaded = catalog.loadTable(ref.toIdentifier());
          } catch (NoSuchTableException e) {
            if (table != null) {
              throw new FloeException(
                  ErrorCode.INVALID_ARGUMENT, "table %s does not exist".formatted(ref), e);
            }
            // the example's own suites are for tables floe run creates; only a declared one is
            // worth naming
            if (declared.containsKey(ref)) {
              notValidated.put(ref.toString(), "not in the catalog");
            }
            continue;
          }
          SuiteValidation validation =
              SuiteValidation.of(
                  catalog, loaded, entry.getValue(), Optional.ofNullable(branch), quality);
          validations.add(validation);
          if (!json.json) {
            print(validation, out);
          }
          if (!validation.fits()) {
            exitCode = Math.max(exitCode, Floe.EXIT_USAGE);
          }
        } catch (RuntimeException e) {
          if (table != null) {
            throw e;
          }
          QualityCommands.TableError error = QualityCommands.report(ref, e, err);
          errors.put(ref.toString(), error.message());
          exitCode = Math.max(exitCode, error.exitCode());
        }
      }
    } catch (IOException e) {
      throw new FloeException(ErrorCode.SERVICE_FAILED, "closing the catalog client failed", e);
    }
    List<String> misfit =
        validations.stream().filter(v -> !v.fits()).map(v -> v.suite().table().toString()).toList();
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("valid", exitCode == Floe.EXIT_OK);
    summary.put("suites", validations.stream().map(ValidateCommand::asMap).toList());
    summary.put("notValidated", notValidated);
    summary.put("errors", errors);
    if (!json.print(out, summary) && table == null) {
      out.printf(
          "%nvalidated %s: %d fit, %d do not%s%s%n",
          counted(validations.size(), "suite"),
          validations.size() - misfit.size(),
          misfit.size(),
          misfit.isEmpty() ? "" : " (" + String.join(", ", misfit) + ")",
          QualityCommands.unhandled("validate", errors, "not validated", notValidated));
    }
    out.flush();
    err.flush();
    return exitCode;
  }

  /** A line per suite, and under one that does not fit a line per check that does not, with why. */
  private static void print(SuiteValidation validation, PrintWriter out) {
    Suite suite = validation.suite();
    int checks = suite.checks().size();
    if (validation.fits()) {
      out.printf(
          "%s: %s %s %s%n",
          suite.table(),
          counted(checks, "check"),
          checks == 1 ? "fits" : "fit",
          validation.against());
    } else {
      out.printf(
          "%s: %d of %s do not fit %s (%s)%n",
          suite.table(),
          validation.misfits().size(),
          counted(checks, "check"),
          validation.against(),
          suite.source());
      validation.misfits().forEach((check, why) -> out.printf("  %s: %s%n", check, why));
    }
    out.flush();
  }

  private static Map<String, Object> asMap(SuiteValidation validation) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("table", validation.suite().table().toString());
    map.put("source", validation.suite().source());
    map.put("against", validation.against());
    map.put("checks", validation.suite().checks().size());
    map.put("fits", validation.fits());
    map.put("misfits", validation.misfits());
    return map;
  }
}
