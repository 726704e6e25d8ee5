package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A table's snapshots with what an auditor asks of each: when, what, how many rows, published or
 * not, tags, and the quality verdict. Read through Trino's {@code $snapshots} and {@code $refs}
 * metadata tables, and the quality gate's metric history, so it works against any Trino, embedded
 * or not.
 */
public final class AuditHistory {
  private static final Logger LOG = LoggerFactory.getLogger(AuditHistory.class);

  private AuditHistory() {}

  /** Every snapshot of {@code table}, oldest first, with the verdicts its snapshots carry. */
  public static List<SnapshotEntry> read(Connection connection, String catalog, TableRef table) {
    return read(connection, catalog, table, Optional.empty());
  }

  /**
   * Every snapshot of {@code table}, oldest first. A snapshot whose verdict no snapshot summary
   * records (one that failed its audit: a rejected publish commits nothing) gets the verdict of its
   * latest evaluation in {@code results}, the gate's metric history, when there is one.
   *
   * @throws FloeException {@code SERVICE_FAILED} when Trino cannot read the metadata tables (for
   *     example a table that does not exist)
   */
  public static List<SnapshotEntry> read(
      Connection connection, String catalog, TableRef table, Optional<TableRef> results) {
    requireNonNull(results, "results is null");
    requireNonNull(connection, "connection is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(table, "table is null");
    try (Statement statement = connection.createStatement()) {
      Map<Long, List<String>> tags = new HashMap<>();
      Map<Long, List<String>> branches = new HashMap<>();
      try (ResultSet rows =
          statement.executeQuery(
              "SELECT name, type, snapshot_id FROM %s ORDER BY name"
                  .formatted(SqlNames.metadataTable(catalog, table, "refs")))) {
        while (rows.next()) {
          Map<Long, List<String>> target = "TAG".equals(rows.getString(2)) ? tags : branches;
          target.computeIfAbsent(rows.getLong(3), id -> new ArrayList<>()).add(rows.getString(1));
        }
      }
      List<Raw> raws = new ArrayList<>();
      try (ResultSet rows =
          statement.executeQuery(
              ("SELECT snapshot_id, parent_id, CAST(to_unixtime(committed_at) * 1000 AS BIGINT),"
                      + " operation, summary FROM %s ORDER BY committed_at, snapshot_id")
                  .formatted(SqlNames.metadataTable(catalog, table, "snapshots")))) {
        while (rows.next()) {
          long parent = rows.getLong(2);
          Optional<Long> parentId = rows.wasNull() ? Optional.empty() : Optional.of(parent);
          @SuppressWarnings("unchecked")
          Map<String, String> summary = (Map<String, String>) rows.getObject(5);
          raws.add(
              new Raw(
                  rows.getLong(1),
                  parentId,
                  Instant.ofEpochMilli(rows.getLong(3)),
                  rows.getString(4),
                  summary == null ? Map.of() : summary));
        }
      }
      Map<Long, String> verdictByAudited = new HashMap<>();
      for (Raw raw : raws) {
        String audited = raw.summary().get(Refs.SUMMARY_AUDITED_SNAPSHOT);
        String verdict = raw.summary().get(Refs.SUMMARY_VERDICT);
        if (audited != null && verdict != null && audited.matches("-?\\d+")) {
          verdictByAudited.put(Long.parseLong(audited), verdict);
        }
      }
      Map<Long, String> evaluated =
          results.isPresent() ? evaluated(statement, catalog, results.get(), table) : Map.of();
      List<SnapshotEntry> entries = new ArrayList<>();
      for (Raw raw : raws) {
        entries.add(
            new SnapshotEntry(
                raw.id(),
                raw.parentId(),
                raw.committedAt(),
                raw.operation() == null ? "" : raw.operation(),
                count(raw.summary(), "added-records"),
                count(raw.summary(), "deleted-records"),
                count(raw.summary(), "total-records"),
                publishedAt(tags.getOrDefault(raw.id(), List.of())),
                tags.getOrDefault(raw.id(), List.of()),
                branches.getOrDefault(raw.id(), List.of()),
                Optional.ofNullable(raw.summary().get(Refs.SUMMARY_VERDICT))
                    .or(() -> Optional.ofNullable(verdictByAudited.get(raw.id())))
                    .or(() -> Optional.ofNullable(evaluated.get(raw.id()))),
                Optional.ofNullable(raw.summary().get(Refs.SUMMARY_RUN_ID))));
      }
      return entries;
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot read the history of %s.%s: %s"
              .formatted(catalog, table, SnapshotResolver.firstLine(e)),
          e);
    }
  }

  /**
   * Per snapshot of {@code table} in the metric history, the verdict of its latest evaluation:
   * {@code fail} when a check of severity {@code error} failed or could not be evaluated (what
   * blocks a publish, as the history's severity and status columns record it), else {@code pass}.
   * Empty when there is no history table yet: nothing was ever checked.
   */
  private static Map<Long, String> evaluated(
      Statement statement, String catalog, TableRef results, TableRef table) {
    Map<Long, String> verdicts = new HashMap<>();
    String sql =
        ("SELECT snapshot_id, max_by(blocked, evaluated_at) FROM (SELECT snapshot_id,"
                + " evaluated_at, count_if(severity = 'error' AND status IN ('FAIL', 'ERROR')) > 0"
                + " AS blocked FROM %s WHERE table_name = %s GROUP BY snapshot_id, evaluated_at)"
                + " GROUP BY snapshot_id")
            .formatted(SqlNames.table(catalog, results), SqlNames.literal(table.toString()));
    try (ResultSet rows = statement.executeQuery(sql)) {
      while (rows.next()) {
        verdicts.put(
            rows.getLong(1), rows.getBoolean(2) ? Refs.VERDICT_FAILED : Refs.VERDICT_PASSED);
      }
    } catch (SQLException e) {
      // a history table that does not exist yet, or that another tool dropped, only means no
      // verdicts from it; Trino itself was reachable a moment ago
      LOG.debug("cannot read the metric history {}: {}", results, SnapshotResolver.firstLine(e), e);
      return Map.of();
    }
    return verdicts;
  }

  /** The earliest publish tag's time: when the gate first published this snapshot. */
  private static Optional<Instant> publishedAt(List<String> tags) {
    return tags.stream().map(PublishTags::time).flatMap(Optional::stream).min(Instant::compareTo);
  }

  private static Optional<Long> count(Map<String, String> summary, String key) {
    String value = summary.get(key);
    if (value == null || !value.matches("\\d+")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(value));
  }

  private record Raw(
      long id,
      Optional<Long> parentId,
      Instant committedAt,
      String operation,
      Map<String, String> summary) {}
}
