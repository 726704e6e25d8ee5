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

/**
 * A table's snapshots with what an auditor asks of each: when, what, how many rows, published or
 * not, tags, and the quality verdict. Read through Trino's {@code $snapshots} and {@code $refs}
 * metadata tables, so it works against any Trino, embedded or not.
 */
public final class AuditHistory {
  private AuditHistory() {}

  /**
   * Every snapshot of {@code table}, oldest first.
   *
   * @throws FloeException {@code SERVICE_FAILED} when Trino cannot read the metadata tables (for
   *     example a table that does not exist)
   */
  public static List<SnapshotEntry> read(Connection connection, String catalog, TableRef table) {
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
                    .or(() -> Optional.ofNullable(verdictByAudited.get(raw.id()))),
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
