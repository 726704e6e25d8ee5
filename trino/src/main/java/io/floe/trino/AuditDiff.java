package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The rows added to and removed from a table between two points of its history, as multisets
 * ({@code EXCEPT ALL} both ways), so a duplicated row counts twice and an updated row shows as one
 * removal plus one addition. Single use:
 *
 * <pre>{@code
 * AuditDiff.Result diff =
 *     AuditDiff.on(connection, "iceberg", TableRef.parse("gold.order_report"))
 *         .from("published-20260302T230000Z")
 *         .to("published-20260303T230000Z")
 *         .execute();
 * }</pre>
 */
public final class AuditDiff {
  private final Connection connection;
  private final QualifiedTable table;
  private AsOf from;
  private AsOf to;
  private int maxRows = Integer.MAX_VALUE;
  private boolean executed;

  private AuditDiff(Connection connection, QualifiedTable table) {
    this.connection = requireNonNull(connection, "connection is null");
    this.table = table;
  }

  public static AuditDiff on(Connection connection, String catalog, TableRef table) {
    return new AuditDiff(connection, new QualifiedTable(catalog, table));
  }

  /** The earlier point: a tag, a time or a snapshot id (see {@link AuditQuery#asOf}). */
  public AuditDiff from(String point) {
    this.from = AsOf.parse(point);
    return this;
  }

  /** The later point. */
  public AuditDiff to(String point) {
    this.to = AsOf.parse(point);
    return this;
  }

  /**
   * Reads at most this many rows of each side (default: all); the counts are exact either way. The
   * rows beyond are counted by Trino, neither fetched nor held.
   */
  public AuditDiff maxRows(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows is negative: " + rows);
    }
    this.maxRows = rows;
    return this;
  }

  /**
   * @throws FloeException {@code INVALID_ARGUMENT} for an unknown point; {@code SERVICE_FAILED}
   *     when Trino rejects the comparison (for example after a schema change between the points)
   */
  public Result execute() {
    if (executed) {
      throw new IllegalStateException("this diff already ran");
    }
    executed = true;
    requireNonNull(from, "from is not set");
    requireNonNull(to, "to is not set");
    SnapshotResolver resolver = new SnapshotResolver(connection);
    long fromSnapshot = resolver.resolve(table, from);
    long toSnapshot = resolver.resolve(table, to);
    String before =
        "SELECT * FROM %s FOR VERSION AS OF %s"
            .formatted(table.sql(), TimeTravelRewriter.versionLiteral(fromSnapshot));
    String after =
        "SELECT * FROM %s FOR VERSION AS OF %s"
            .formatted(table.sql(), TimeTravelRewriter.versionLiteral(toSnapshot));
    return new Result(
        table.toString(),
        fromSnapshot,
        toSnapshot,
        side(after + " EXCEPT ALL " + before),
        side(before + " EXCEPT ALL " + after));
  }

  /** The first rows of one side and, only when there are more, a count of them all. */
  private Side side(String difference) {
    QueryRows rows = query(difference, result -> QueryRows.read(result, maxRows));
    if (!rows.more()) {
      return new Side(rows.rows().size(), rows);
    }
    long count =
        query(
            "SELECT count(*) FROM (" + difference + ")",
            result -> {
              result.next();
              return result.getLong(1);
            });
    return new Side(count, rows);
  }

  private interface ResultReader<T> {
    T read(ResultSet result) throws SQLException;
  }

  private <T> T query(String sql, ResultReader<T> reader) {
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      return reader.read(result);
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot compare two versions of %s: %s".formatted(table, SnapshotResolver.firstLine(e)),
          e);
    }
  }

  /**
   * @param table {@code catalog.namespace.table}
   * @param fromSnapshot the snapshot the earlier point resolved to
   * @param toSnapshot the snapshot the later point resolved to
   * @param added rows in the later snapshot and not in the earlier
   * @param removed rows in the earlier snapshot and not in the later
   */
  public record Result(String table, long fromSnapshot, long toSnapshot, Side added, Side removed) {
    public Result {
      requireNonNull(table, "table is null");
      requireNonNull(added, "added is null");
      requireNonNull(removed, "removed is null");
    }
  }

  /**
   * One direction of a diff.
   *
   * @param count how many rows it has
   * @param rows its first rows, at most {@link #maxRows}
   */
  public record Side(long count, QueryRows rows) {
    public Side {
      requireNonNull(rows, "rows is null");
    }

    /** Each row's values joined by {@code |}, as {@link QueryRows#lines()}. */
    public List<String> lines() {
      return rows.lines();
    }
  }
}
