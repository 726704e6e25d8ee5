package io.floe.app;

import static io.floe.core.text.Counts.counted;

import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.QualityConfig;
import io.floe.stack.StackEndpoints;
import io.floe.trino.AuditDiff;
import io.floe.trino.AuditHistory;
import io.floe.trino.AuditQuery;
import io.floe.trino.InterfaceViews;
import io.floe.trino.QueryRows;
import io.floe.trino.SnapshotEntry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code floe audit history|query|diff}: what the data said, and when, through Trino. */
@Command(
    name = "audit",
    description = "Time travel for audits: snapshot history, queries as of a point, diffs.",
    subcommands = {AuditCommand.History.class, AuditCommand.Query.class, AuditCommand.Diff.class})
final class AuditCommand implements Runnable {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private <T> T withTrino(TrinoWork<T> work) {
    FloeConfig config = floe.options.load();
    StackEndpoints endpoints = StackAccess.running(config);
    try (Connection trino = endpoints.openTrino()) {
      return work.run(config, endpoints.trinoCatalog(), trino);
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_UNREACHABLE,
          "cannot connect to Trino at %s: %s".formatted(endpoints.trinoJdbcUrl(), e.getMessage()),
          e);
    }
  }

  private interface TrinoWork<T> {
    T run(FloeConfig config, String catalog, Connection trino) throws SQLException;
  }

  static TableRef table(String text) {
    try {
      return TableRef.parse(text);
    } catch (IllegalArgumentException e) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  private static void printTable(PrintWriter out, QueryRows rows) {
    TextTable table = new TextTable(rows.columns());
    rows.rows().forEach(table::add);
    table.print(out);
  }

  /** {@code --limit}: rows to read and print, which may be none but not fewer. */
  private static int rowLimit(CommandSpec spec, int limit) {
    if (limit < 0) {
      throw new ParameterException(spec.commandLine(), "--limit must be 0 or more, got " + limit);
    }
    return limit;
  }

  @Command(
      name = "history",
      description =
          "Snapshots of a table: time, operation, row counts, published or not, tags, verdict.")
  static final class History implements Callable<Integer> {
    @ParentCommand AuditCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "TABLE", description = "namespace.table, e.g. gold.order_report")
    String table;

    @Override
    public Integer call() {
      TableRef ref = table(table);
      List<SnapshotEntry> entries =
          parent.withTrino(
              (config, catalog, trino) ->
                  AuditHistory.read(
                      trino, catalog, ref, Optional.of(QualityConfig.from(config).resultsTable())));
      PrintWriter out = spec.commandLine().getOut();
      out.printf("History of %s (%s, oldest first):%n", ref, counted(entries.size(), "snapshot"));
      TextTable text =
          new TextTable(
              List.of(
                  "SNAPSHOT",
                  "COMMITTED (UTC)",
                  "OPERATION",
                  "ADDED",
                  "DELETED",
                  "TOTAL",
                  "PUBLISHED",
                  "VERDICT",
                  "RUN",
                  "REFS"));
      for (SnapshotEntry entry : entries) {
        List<String> refs = new ArrayList<>(entry.tags());
        refs.addAll(entry.branches());
        text.add(
            List.of(
                Long.toString(entry.snapshotId()),
                entry.committedAt().toString(),
                entry.operation(),
                count(entry.addedRecords()),
                count(entry.deletedRecords()),
                count(entry.totalRecords()),
                entry.published() ? entry.publishedAt().map(Object::toString).orElse("yes") : "no",
                entry.verdict().orElse("-"),
                entry.runId().orElse("-"),
                String.join(", ", refs)));
      }
      text.print(out);
      return Floe.EXIT_OK;
    }

    private static String count(Optional<Long> value) {
      return value.map("%,d"::formatted).orElse("-");
    }
  }

  @Command(
      name = "query",
      description = {
        "Run a read-only query as of a tag, time or snapshot id.",
        "Every <catalog>.<schema>.<table> in the query (e.g. iceberg.gold.order_report) reads the"
            + " snapshot the point resolves to; declared interface views"
            + " (iceberg.interface.<view>) are expanded to their SQL first. Other names are not"
            + " rewritten."
      })
  static final class Query implements Callable<Integer> {
    @ParentCommand AuditCommand parent;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "SQL", description = "SELECT/WITH query with three-part table names")
    String sql;

    @Option(
        names = "--as-of",
        required = true,
        paramLabel = "POINT",
        description =
            "published-<utc> tag (or any tag/branch), time (2026-03-03T10:15:00Z; a date means the"
                + " end of that day, UTC; a time resolves to the latest publish by then) or snapshot id")
    String asOf;

    @Option(
        names = "--table",
        paramLabel = "TABLE",
        description = "Time-travel only this namespace.table; others read their published state.")
    String onlyTable;

    @Option(names = "--limit", defaultValue = "100", description = "Rows to print (default 100).")
    int limit;

    @Option(names = "--show-sql", description = "Print the query Trino ran.")
    boolean showSql;

    @Override
    public Integer call() {
      int rows = rowLimit(spec, limit);
      AuditQuery.Result result =
          parent.withTrino(
              (config, catalog, trino) -> {
                AuditQuery query =
                    AuditQuery.on(trino, catalog)
                        .sql(sql)
                        .asOf(asOf)
                        .views(InterfaceViews.read(config))
                        .maxRows(rows);
                if (onlyTable != null) {
                  query.onlyTable(table(onlyTable));
                }
                return query.execute();
              });
      PrintWriter out = spec.commandLine().getOut();
      out.printf("As of %s:", result.asOf());
      result.snapshots().forEach((table, id) -> out.printf(" %s@%d", table, id));
      out.println();
      if (showSql) {
        out.println("  SQL: " + result.sql());
      }
      printTable(out, result.rows());
      int shown = result.rows().rows().size();
      out.println(
          result.rows().more()
              ? "(first %s shown; the query returns more: raise --limit to see them)"
                  .formatted(counted(shown, "row"))
              : "(%s)".formatted(counted(shown, "row")));
      return Floe.EXIT_OK;
    }
  }

  @Command(
      name = "diff",
      description = "Rows added and removed between two points (tags, times or snapshot ids).")
  static final class Diff implements Callable<Integer> {
    @ParentCommand AuditCommand parent;
    @Spec CommandSpec spec;

    @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table")
    String table;

    @Parameters(index = "1", paramLabel = "FROM", description = "the earlier point")
    String from;

    @Parameters(index = "2", paramLabel = "TO", description = "the later point")
    String to;

    @Option(
        names = "--limit",
        defaultValue = "100",
        description = "Rows to print per side (default 100); the counts are exact regardless.")
    int limit;

    @Override
    public Integer call() {
      TableRef ref = table(table);
      int rows = rowLimit(spec, limit);
      AuditDiff.Result diff =
          parent.withTrino(
              (config, catalog, trino) ->
                  AuditDiff.on(trino, catalog, ref).from(from).to(to).maxRows(rows).execute());
      PrintWriter out = spec.commandLine().getOut();
      out.printf(
          "%s from snapshot %d to %d: %,d added, %,d removed%n",
          diff.table(),
          diff.fromSnapshot(),
          diff.toSnapshot(),
          diff.added().count(),
          diff.removed().count());
      print(out, "Added", diff.added());
      print(out, "Removed", diff.removed());
      return Floe.EXIT_OK;
    }

    private static void print(PrintWriter out, String title, AuditDiff.Side side) {
      int shown = side.rows().rows().size();
      if (side.count() == 0) {
        out.println(title + ": none");
        return;
      }
      if (shown == 0) {
        out.printf("%s: %,d rows, none shown (--limit 0)%n", title, side.count());
        return;
      }
      out.println(
          shown < side.count()
              ? "%s (first %,d of %,d; raise --limit to see more):"
                  .formatted(title, shown, side.count())
              : title + ":");
      printTable(out, side.rows());
    }
  }
}
