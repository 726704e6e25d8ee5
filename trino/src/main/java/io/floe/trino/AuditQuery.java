package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a read-only query against tables as they were at a tag, a time or a snapshot:
 *
 * <pre>{@code
 * AuditQuery.Result result =
 *     AuditQuery.on(connection, "iceberg")
 *         .sql("SELECT * FROM iceberg.interface.order_report")
 *         .asOf("published-20260303T101500Z")
 *         .views(views)
 *         .execute();
 * }</pre>
 *
 * Every {@code <catalog>.<schema>.<table>} in the query reads the snapshot the point resolves to
 * for that table; declared interface views are expanded to their definitions first (see {@link
 * TimeTravelRewriter} for the exact rule). Single use.
 */
public final class AuditQuery {
  private final Connection connection;
  private final Set<String> catalogs = new LinkedHashSet<>();
  private String sql;
  private AsOf asOf;
  private Optional<TableRef> onlyTable = Optional.empty();
  private List<InterfaceView> views = List.of();
  private int maxRows = Integer.MAX_VALUE;
  private boolean executed;

  private AuditQuery(Connection connection, String catalog) {
    this.connection = requireNonNull(connection, "connection is null");
    catalogs.add(requireNonNull(catalog, "catalog is null"));
  }

  /** A query through {@code connection} whose tables are named in {@code catalog}. */
  public static AuditQuery on(Connection connection, String catalog) {
    return new AuditQuery(connection, catalog);
  }

  /** Also time-travels tables named in this catalog (e.g. the auditors' read-only catalog). */
  public AuditQuery alsoCatalog(String catalog) {
    catalogs.add(requireNonNull(catalog, "catalog is null"));
    return this;
  }

  /** The query: {@code SELECT}, {@code WITH}, {@code VALUES} or {@code TABLE}. */
  public AuditQuery sql(String sql) {
    this.sql = requireNonNull(sql, "sql is null");
    return this;
  }

  /** A tag, a time ({@code 2026-03-03T10:15:00Z}, {@code 2026-03-03}) or a snapshot id. */
  public AuditQuery asOf(String point) {
    this.asOf = AsOf.parse(point);
    return this;
  }

  /** Time-travel only this table; other tables read their current (published) state. */
  public AuditQuery onlyTable(TableRef table) {
    this.onlyTable = Optional.of(requireNonNull(table, "table is null"));
    return this;
  }

  /** The declared interface views, expanded when the query names them. */
  public AuditQuery views(List<InterfaceView> views) {
    this.views = List.copyOf(views);
    return this;
  }

  /**
   * Reads at most this many rows of the answer (default: all); {@link QueryRows#more()} says
   * whether it had more. The rest is neither fetched nor held.
   */
  public AuditQuery maxRows(int rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows is negative: " + rows);
    }
    this.maxRows = rows;
    return this;
  }

  /**
   * Resolves the point for every table, rewrites and runs the query.
   *
   * @throws FloeException {@code INVALID_ARGUMENT} for a statement that is not a query, a query
   *     naming no table, an unknown tag or time, or a snapshot id with several tables; {@code
   *     SERVICE_FAILED} when Trino rejects the rewritten query
   */
  public Result execute() {
    if (executed) {
      throw new IllegalStateException("this audit query already ran");
    }
    executed = true;
    requireNonNull(sql, "sql is not set");
    requireNonNull(asOf, "asOf is not set");
    String query = withoutTrailingSemicolon(sql);
    requireQuery(query);
    SnapshotResolver resolver = new SnapshotResolver(connection);
    List<QualifiedTable> seen = new ArrayList<>();
    TimeTravelRewriter rewriter =
        new TimeTravelRewriter(
            catalogs,
            views,
            onlyTable,
            table -> {
              seen.add(table);
              if (asOf instanceof AsOf.Snapshot && seen.size() > 1) {
                throw new FloeException(
                    ErrorCode.INVALID_ARGUMENT,
                    ("a snapshot id belongs to one table, but the query reads %s;"
                            + " choose one with --table")
                        .formatted(seen));
              }
              return resolver.resolve(table, asOf);
            });
    String rewritten = rewriter.rewrite(query);
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(rewritten)) {
      Map<String, Long> snapshots = new LinkedHashMap<>();
      rewriter.resolved().forEach((table, id) -> snapshots.put(table.toString(), id));
      return new Result(asOf.toString(), rewritten, snapshots, QueryRows.read(rows, maxRows));
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "Trino rejected the audit query: %s".formatted(SnapshotResolver.firstLine(e)),
          e);
    }
  }

  /**
   * An audit query's answer.
   *
   * @param asOf the point in time, as given
   * @param sql the query Trino ran, with its {@code FOR VERSION AS OF} clauses
   * @param snapshots the snapshot each table ({@code catalog.namespace.table}) was read at
   * @param rows the result, or its first {@link #maxRows} rows
   */
  public record Result(String asOf, String sql, Map<String, Long> snapshots, QueryRows rows) {
    public Result {
      requireNonNull(asOf, "asOf is null");
      requireNonNull(sql, "sql is null");
      snapshots = Map.copyOf(snapshots);
      requireNonNull(rows, "rows is null");
    }
  }

  private static String withoutTrailingSemicolon(String sql) {
    String text = sql.strip();
    while (text.endsWith(";")) {
      text = text.substring(0, text.length() - 1).strip();
    }
    return text;
  }

  private static void requireQuery(String sql) {
    List<SqlTokens.Token> tokens = SqlTokens.significant(sql);
    String first = tokens.isEmpty() ? "" : tokens.get(0).text().toUpperCase(Locale.ROOT);
    if (!Set.of("SELECT", "WITH", "VALUES", "TABLE", "(").contains(first)) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "an audit query must be read-only (SELECT, WITH, VALUES or TABLE), not '%s'"
              .formatted(first));
    }
  }
}
