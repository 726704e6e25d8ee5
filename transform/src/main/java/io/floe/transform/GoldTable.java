package io.floe.transform;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Writes gold tables as full recomputations from their inputs, on the audit branch, and only when
 * an input moved: each gold snapshot records the input snapshots it was computed from, so a run
 * whose inputs are unchanged writes nothing.
 */
final class GoldTable {
  private final TransformRun run;

  GoldTable(TransformRun run) {
    this.run = run;
  }

  /** The current snapshot of each input (its audit head for silver, main for bronze). */
  Map<String, Long> inputSnapshots(List<String> inputs, boolean onAuditBranch) {
    Map<String, Long> snapshots = new LinkedHashMap<>();
    for (String input : inputs) {
      if (!run.exists(input)) {
        continue;
      }
      if (onAuditBranch) {
        snapshots.put(input, run.auditHead(input));
      } else {
        var current = run.load(input).currentSnapshot();
        if (current != null) {
          snapshots.put(input, current.snapshotId());
        }
      }
    }
    return snapshots;
  }

  /** Whether {@code table}'s audit branch was computed from other snapshots than {@code inputs}. */
  boolean stale(String table, Map<String, Long> inputs) {
    for (Map.Entry<String, Long> input : inputs.entrySet()) {
      Optional<Long> consumed = run.consumed(table, input.getKey());
      if (consumed.isEmpty() || !consumed.get().equals(input.getValue())) {
        return true;
      }
    }
    return false;
  }

  /** Creates {@code table} if needed with {@code ddl} columns and opens its audit branch. */
  void prepare(String table, String ddl) {
    run.spark()
        .sql(
            "CREATE TABLE IF NOT EXISTS %s (%s) USING iceberg TBLPROPERTIES ('format-version' = '2')"
                .formatted(table, ddl));
    run.ensureAuditBranch(table);
  }

  /** Replaces the content of {@code table}'s audit branch with {@code rows}. */
  void replace(String table, Map<String, Long> inputs, Dataset<Row> rows) {
    run.commit(
        table,
        inputs,
        () -> {
          try {
            rows.writeTo(run.onBranch(table)).overwrite(functions.lit(true));
          } catch (org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
            throw new IllegalStateException(e);
          }
        });
    run.report("rows." + table, run.auditRows(table));
  }
}
