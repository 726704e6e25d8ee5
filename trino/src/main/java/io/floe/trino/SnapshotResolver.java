package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Turns an {@link AsOf} into the snapshot id of one table, through Trino's metadata tables: a tag
 * from {@code $refs}, a time from {@code $history} (the snapshot {@code main} pointed to then, i.e.
 * the latest publish), a snapshot id checked against {@code $snapshots}.
 */
final class SnapshotResolver {
  private final Connection connection;

  SnapshotResolver(Connection connection) {
    this.connection = requireNonNull(connection, "connection is null");
  }

  long resolve(QualifiedTable table, AsOf asOf) {
    try {
      if (asOf instanceof AsOf.Snapshot snapshot) {
        return requireSnapshot(table, snapshot.id());
      }
      if (asOf instanceof AsOf.Tag tag) {
        return tagged(table, tag.name());
      }
      return currentAt(table, (AsOf.At) asOf);
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot read the history of %s: %s".formatted(table, firstLine(e)),
          e);
    }
  }

  private long requireSnapshot(QualifiedTable table, long id) throws SQLException {
    List<Long> found =
        longs(
            "SELECT snapshot_id FROM %s WHERE snapshot_id = ?"
                .formatted(SqlNames.metadataTable(table.catalog(), table.table(), "snapshots")),
            id);
    if (found.isEmpty()) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "%s has no snapshot %d".formatted(table, id));
    }
    return id;
  }

  private long tagged(QualifiedTable table, String name) throws SQLException {
    String refs = SqlNames.metadataTable(table.catalog(), table.table(), "refs");
    List<Long> found = longs("SELECT snapshot_id FROM %s WHERE name = ?".formatted(refs), name);
    if (!found.isEmpty()) {
      return found.get(0);
    }
    List<String> published = new ArrayList<>();
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT name FROM %s WHERE type = 'TAG' AND name LIKE ? ORDER BY name DESC LIMIT 5"
                    .formatted(refs));
        ResultSet rows = bind(statement, Refs.PUBLISHED_TAG_PREFIX + "%").executeQuery()) {
      while (rows.next()) {
        published.add(rows.getString(1));
      }
    }
    throw new FloeException(
        ErrorCode.INVALID_ARGUMENT,
        "%s has no tag or branch '%s'; latest published tags: %s"
            .formatted(table, name, published.isEmpty() ? "none" : String.join(", ", published)));
  }

  /** The latest publish at or before the time: the snapshot BI users saw then. */
  private long currentAt(QualifiedTable table, AsOf.At at) throws SQLException {
    String refs = SqlNames.metadataTable(table.catalog(), table.table(), "refs");
    Instant best = null;
    long snapshot = 0;
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT name, snapshot_id FROM %s WHERE type = 'TAG' AND name LIKE ?"
                    .formatted(refs));
        ResultSet rows = bind(statement, Refs.PUBLISHED_TAG_PREFIX + "%").executeQuery()) {
      while (rows.next()) {
        Optional<Instant> time = PublishTags.time(rows.getString(1));
        if (time.isPresent()
            && !time.get().isAfter(at.time())
            && (best == null || time.get().isAfter(best))) {
          best = time.get();
          snapshot = rows.getLong(2);
        }
      }
    }
    if (best == null) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s had no published snapshot at %s (no %s tag at or before it)"
              .formatted(table, at.time(), Refs.PUBLISHED_TAG_PREFIX + "<utc>"));
    }
    return snapshot;
  }

  private List<Long> longs(String sql, Object... parameters) throws SQLException {
    List<Long> values = new ArrayList<>();
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet rows = bind(statement, parameters).executeQuery()) {
      while (rows.next()) {
        values.add(rows.getLong(1));
      }
    }
    return values;
  }

  private static PreparedStatement bind(PreparedStatement statement, Object... parameters)
      throws SQLException {
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    return statement;
  }

  static String firstLine(SQLException e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.lines().findFirst().orElse("").strip();
  }
}
