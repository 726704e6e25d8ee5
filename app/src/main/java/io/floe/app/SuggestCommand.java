package io.floe.app;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.QualityConfig;
import io.floe.quality.Suite;
import io.floe.quality.SuiteSuggestion;
import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.iceberg.rest.RESTCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Drafts a quality suite for a table from its data. */
@Command(
    name = "suggest",
    description =
        "Draft a quality suite for a table from the data of main's head (or a branch's): the checks that snapshot passes, as YAML to paste into floe.yaml.")
final class SuggestCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(names = "--branch", paramLabel = "B", description = "Draw from the head of this branch.")
  String branch;

  @Override
  public Integer call() {
    FloeConfig config = floe.options.load();
    TableRef ref = QualityCommands.table(table);
    StackEndpoints endpoints = StackAccess.running(config);
    PrintWriter out = spec.commandLine().getOut();
    try (RESTCatalog catalog = endpoints.catalogConnection().open("floe-suggest")) {
      SuiteSuggestion.Suggestion suggestion =
          SuiteSuggestion.suggest(
              catalog, ref, Optional.ofNullable(branch), QualityConfig.from(config));
      out.print(suggestion.yaml());
      out.flush();
    } catch (IOException e) {
      throw new FloeException(ErrorCode.SERVICE_FAILED, "closing the catalog client failed", e);
    }
    Suite declared = ExampleSuites.withExamples(config).get(ref);
    if (declared != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println(
          "floe: note: %s already has a suite (%s); the draft above is drawn from the data alone"
              .formatted(ref, declared.source()));
      err.flush();
    }
    return Floe.EXIT_OK;
  }
}
