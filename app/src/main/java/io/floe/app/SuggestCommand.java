package io.floe.app;

import io.floe.app.pipeline.ExampleSuites;
import io.floe.catalog.LogTables;
import io.floe.catalog.Namespaces;
import io.floe.catalog.Refs;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Drafts quality suites from the tables' data. */
@Command(
    name = "suggest",
    description =
        "Draft a quality suite for a table from the data of main's head (or a branch's): the checks that snapshot passes, as YAML to paste into floe.yaml; with --all, for every table without a suite.")
final class SuggestCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(SuggestCommand.class);

  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(index = "0", arity = "0..1", paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(
      names = "--all",
      description =
          "Every table of the catalog that has no suite yet (Floe's own tables aside), in one tables: section.")
  boolean all;

  @Option(
      names = "--namespace",
      paramLabel = "NS",
      description = "With --all, only the tables of this namespace (and those nested in it).")
  String namespace;

  @Option(names = "--branch", paramLabel = "B", description = "Draw from the head of this branch.")
  String branch;

  @Override
  public Integer call() {
    if ((table == null) != all) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          all
              ? "give a table or --all, not both"
              : "name the table to draw a suite for, or pass --all for every table without one");
    }
    if (all && branch != null) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "--all draws from main; give --branch with one table");
    }
    if (!all && namespace != null) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "--namespace narrows --all; a table names its own");
    }
    FloeConfig config = floe.options.load();
    QualityConfig quality = QualityConfig.from(config);
    Map<TableRef, Suite> suites = ExampleSuites.withExamples(config);
    StackEndpoints endpoints = StackAccess.running(config);
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (RESTCatalog catalog = endpoints.catalogConnection().open("floe-suggest")) {
      if (!all) {
        TableRef ref = QualityCommands.table(table);
        out.print(
            SuiteSuggestion.suggest(catalog, ref, Optional.ofNullable(branch), quality).yaml());
        out.flush();
        Suite declared = suites.get(ref);
        if (declared != null) {
          err.println(
              "floe: note: %s already has a suite (%s); the draft above is drawn from the data alone"
                  .formatted(ref, declared.source()));
        }
        err.flush();
        return Floe.EXIT_OK;
      }
      return suggestAll(catalog, quality, suites, out, err);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.SERVICE_FAILED, "closing the catalog client failed", e);
    }
  }

  /**
   * Drafts a suite for every table without one, skipping Floe's own (its log tables, and the
   * quality gate's stored states): a table with nothing on main is named in a comment, and one that
   * cannot be loaded or drafted is reported while the others still are; the exit code is then that
   * error's.
   */
  private int suggestAll(
      RESTCatalog catalog,
      QualityConfig quality,
      Map<TableRef, Suite> suites,
      PrintWriter out,
      PrintWriter err) {
    Set<TableRef> states = Set.of(quality.statesTable());
    StringBuilder yaml = new StringBuilder(SuiteSuggestion.TABLES);
    List<String> empty = new ArrayList<>();
    int drafted = 0;
    int exitCode = Floe.EXIT_OK;
    for (TableRef ref : Namespaces.tables(catalog, why -> LOG.warn("no suite drawn for {}", why))) {
      if (states.contains(ref)
          || suites.containsKey(ref)
          || (namespace != null
              && !ref.namespace().equals(namespace)
              && !ref.namespace().startsWith(namespace + "."))) {
        continue;
      }
      try {
        Table loaded = catalog.loadTable(ref.toIdentifier());
        // Floe's own logs: metric history, ledger, run log, leases, consumed files
        if (LogTables.isLogTable(loaded.properties())) {
          continue;
        }
        if (loaded.snapshot(Refs.MAIN) == null) {
          empty.add(ref.toString());
          continue;
        }
        yaml.append(
            SuiteSuggestion.suggest(catalog, ref, loaded, Optional.empty(), quality).entry());
        drafted++;
      } catch (NoSuchTableException e) {
        // dropped since the catalog listed it
        LOG.info("no suite drawn for {}: {}", ref, e.getMessage());
      } catch (RuntimeException e) {
        exitCode = Math.max(exitCode, QualityCommands.report(ref, e, err).exitCode());
      }
    }
    if (!empty.isEmpty()) {
      yaml.append("  # nothing on main yet to draw from: ").append(String.join(", ", empty));
      yaml.append('\n');
    }
    if (drafted == 0) {
      yaml.setLength(0);
      yaml.append("# no table without a suite has data on main to draw one from\n");
    }
    out.print(yaml);
    out.flush();
    err.flush();
    return exitCode;
  }
}
