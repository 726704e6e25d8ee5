package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** The outcome of a pipeline run: every stage's result, in order, and the total time. */
public record PipelineSummary(
    String pipeline, String runId, List<StageResult> stages, Duration total) {
  public PipelineSummary {
    requireNonNull(pipeline, "pipeline is null");
    requireNonNull(runId, "runId is null");
    stages = List.copyOf(stages);
    requireNonNull(total, "total is null");
  }

  /** Rows per table, the last stage reporting a table winning, sorted by table name. */
  public Map<TableRef, Long> rowsPerTable() {
    Map<TableRef, Long> rows = new TreeMap<>(Comparator.comparing(TableRef::toString));
    stages.forEach(stage -> rows.putAll(stage.outcome().rows()));
    return rows;
  }

  /** Rows per table that the run wrote, where a stage knows them, summed over the stages. */
  public Map<TableRef, Long> writtenPerTable() {
    Map<TableRef, Long> written = new TreeMap<>(Comparator.comparing(TableRef::toString));
    stages.forEach(
        stage -> stage.outcome().written().forEach((t, n) -> written.merge(t, n, Long::sum)));
    return written;
  }

  /** A named count summed over every stage. */
  public long count(String name) {
    return stages.stream().mapToLong(stage -> stage.outcome().count(name)).sum();
  }

  /** Tables whose audit head did not become {@code main}, in the order they were published. */
  public List<PublishOutcome> unpublished() {
    return stages.stream().flatMap(stage -> stage.outcome().unpublished().stream()).toList();
  }

  /**
   * One line naming every table kept off {@code main} and why, e.g. {@code 1 of 11 tables not
   * published (main untouched, audit branch audit_r1 kept): gold.t: failed 1 check(s): ...}; empty
   * when every table was published.
   */
  public Optional<String> unpublishedLine() {
    List<PublishOutcome> unpublished = unpublished();
    if (unpublished.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        "%d of %d tables not published (main untouched, audit branch %s kept): %s"
            .formatted(
                unpublished.size(),
                count(PublishStage.AUDITED),
                Refs.auditBranch(runId),
                unpublished.stream()
                    .map(outcome -> outcome.table() + ": " + outcome.message())
                    .collect(Collectors.joining("; "))));
  }

  /** The result of the stage named {@code name}. */
  public StageResult stage(String name) {
    return stages.stream()
        .filter(stage -> stage.stage().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no stage " + name + " in " + pipeline));
  }

  /**
   * Prints time per stage, rows per table, the tables not published, records set aside, and how to
   * query the result.
   *
   * @param queries example SQL statements to show, in Trino's syntax
   */
  public void print(PrintWriter out, String trinoJdbcUrl, String trinoUser, List<String> queries) {
    out.printf("Pipeline %s, run %s: %.1f s%n", pipeline, runId, seconds(total));
    out.println("Time per stage:");
    for (StageResult stage : stages) {
      out.printf("  %-20s %8.1f s%n", stage.stage(), seconds(stage.duration()));
    }
    Map<TableRef, Long> rows = rowsPerTable();
    Map<TableRef, Long> written = writtenPerTable();
    List<PublishOutcome> unpublished = unpublished();
    Set<TableRef> kept =
        unpublished.stream().map(PublishOutcome::table).collect(Collectors.toSet());
    Set<TableRef> tables = new TreeSet<>(Comparator.comparing(TableRef::toString));
    tables.addAll(written.keySet());
    tables.addAll(rows.keySet());
    if (!tables.isEmpty()) {
      out.println("Rows per table:");
      // every count is the table's rows; an ingested table also shows what this run wrote into it
      // (appended, or for a table reloaded in full, all of its rows)
      tables.forEach(
          table ->
              out.printf(
                  "  %-40s %12s%s%n",
                  table,
                  rows.containsKey(table) ? "%,d".formatted(rows.get(table)) : "",
                  written.containsKey(table)
                      ? "  (%,d written this run)".formatted(written.get(table))
                      : kept.contains(table) ? "  (on the audit branch; main not moved)" : ""));
    }
    if (!unpublished.isEmpty()) {
      out.printf(
          "Not published (main untouched, audit branch %s kept):%n", Refs.auditBranch(runId));
      unpublished.forEach(
          outcome -> out.printf("  %-40s %s%n", outcome.table(), outcome.message()));
    }
    out.printf(
        "Records set aside: %,d quarantined (malformed), %,d dropped (null business key)%n",
        count(StageOutcome.QUARANTINED), count(StageOutcome.DROPPED));
    out.println("Query it with any Trino client:");
    out.printf("  JDBC URL  %s   user %s%n", trinoJdbcUrl, trinoUser);
    queries.forEach(sql -> out.printf("  SQL       %s%n", sql));
    out.flush();
  }

  private static double seconds(Duration duration) {
    return duration.toMillis() / 1000.0;
  }
}
