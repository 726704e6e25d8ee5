package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToLongFunction;

/**
 * Rewrites a query so that it reads tables as of given snapshots. The rule, kept simple so that
 * anyone can predict it:
 *
 * <ul>
 *   <li>A table reference is a three-part name {@code catalog.schema.table} (each part plain or
 *       double-quoted) whose catalog is one of {@code catalogs}, outside string literals and
 *       comments, and not followed by a further {@code .part} (that would be a column).
 *   <li>Each such reference gets {@code FOR VERSION AS OF <snapshot id>}, the id coming from the
 *       resolver; with {@code onlyTable} set, only references to that table do.
 *   <li>A reference to an interface view ({@code catalog.interface.view}) declared in {@code views}
 *       is replaced by its definition in parentheses (aliased as the view unless the query gives an
 *       alias), whose own table references are rewritten in turn: Trino cannot time-travel a view.
 *   <li>Two-part or one-part names are left alone, as are metadata tables ({@code "t$snapshots"}).
 * </ul>
 */
final class TimeTravelRewriter {
  private static final Set<String> NOT_AN_ALIAS =
      Set.of(
          "WHERE",
          "JOIN",
          "LEFT",
          "RIGHT",
          "FULL",
          "INNER",
          "CROSS",
          "NATURAL",
          "ON",
          "USING",
          "GROUP",
          "ORDER",
          "LIMIT",
          "OFFSET",
          "FETCH",
          "UNION",
          "EXCEPT",
          "INTERSECT",
          "HAVING",
          "WINDOW",
          "TABLESAMPLE",
          "FOR",
          "MATCH_RECOGNIZE");
  private static final int MAX_VIEW_DEPTH = 8;

  private final Set<String> catalogs;
  private final Map<String, InterfaceView> views = new LinkedHashMap<>();
  private final Optional<TableRef> onlyTable;
  private final ToLongFunction<QualifiedTable> resolver;
  private final Map<QualifiedTable, Long> resolved = new LinkedHashMap<>();

  TimeTravelRewriter(
      Set<String> catalogs,
      List<InterfaceView> views,
      Optional<TableRef> onlyTable,
      ToLongFunction<QualifiedTable> resolver) {
    this.catalogs = Set.copyOf(catalogs);
    views.forEach(view -> this.views.put(view.name(), view));
    this.onlyTable = requireNonNull(onlyTable, "onlyTable is null");
    this.resolver = requireNonNull(resolver, "resolver is null");
  }

  /** Every table the rewritten query reads, with the snapshot it reads. */
  Map<QualifiedTable, Long> resolved() {
    return Map.copyOf(resolved);
  }

  String rewrite(String sql) {
    String rewritten = rewrite(sql, 0);
    if (resolved.isEmpty()) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          onlyTable
              .map(t -> "the query never names %s as <catalog>.%s".formatted(t, t))
              .orElse(
                  "the query names no table as <catalog>.<schema>.<table> (catalog %s), so there is nothing to time-travel"
                      .formatted(String.join(" or ", catalogs.stream().sorted().toList()))));
    }
    return rewritten;
  }

  private String rewrite(String sql, int depth) {
    List<SqlTokens.Token> tokens;
    try {
      tokens = SqlTokens.significant(sql);
    } catch (IllegalArgumentException e) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "cannot read the query: " + e.getMessage());
    }
    StringBuilder out = new StringBuilder();
    int copied = 0;
    for (int i = 0; i + 4 < tokens.size(); i++) {
      if (!isThreePartName(tokens, i)) {
        continue;
      }
      SqlTokens.Token first = tokens.get(i);
      SqlTokens.Token last = tokens.get(i + 4);
      String catalog = first.name();
      String schema = tokens.get(i + 2).name();
      String name = last.name();
      Optional<SqlTokens.Token> next =
          i + 5 < tokens.size() ? Optional.of(tokens.get(i + 5)) : Optional.empty();
      if (!catalogs.contains(catalog) || name.contains("$")) {
        i += 4;
        continue;
      }
      if (schema.equals(InterfaceView.schema())) {
        InterfaceView view = views.get(name);
        if (view == null) {
          throw new FloeException(
              ErrorCode.INVALID_ARGUMENT,
              ("%s.%s.%s is not an interface view declared in floe.yaml, so its definition is unknown;"
                      + " query its gold tables instead")
                  .formatted(catalog, schema, name));
        }
        if (depth >= MAX_VIEW_DEPTH) {
          throw new FloeException(
              ErrorCode.INVALID_ARGUMENT, "interface views nest deeper than " + MAX_VIEW_DEPTH);
        }
        out.append(sql, copied, first.start())
            .append('(')
            .append(rewrite(view.sql(), depth + 1))
            .append(')');
        if (!next.map(TimeTravelRewriter::startsAlias).orElse(false)) {
          out.append(" AS ").append(SqlNames.quoted(name));
        }
        copied = last.end();
        i += 4;
        continue;
      }
      TableRef table = new TableRef(schema, name);
      if (onlyTable.isPresent() && !onlyTable.get().equals(table)) {
        i += 4;
        continue;
      }
      if (next.isPresent() && next.get().is("FOR")) {
        throw new FloeException(
            ErrorCode.INVALID_ARGUMENT,
            "%s.%s already has a FOR ... AS OF clause; leave time travel to --as-of"
                .formatted(catalog, table));
      }
      QualifiedTable qualified = new QualifiedTable(catalog, table);
      long snapshot = resolved.computeIfAbsent(qualified, resolver::applyAsLong);
      out.append(sql, copied, last.end())
          .append(" FOR VERSION AS OF ")
          .append(versionLiteral(snapshot));
      copied = last.end();
      i += 4;
    }
    out.append(sql.substring(copied));
    return out.toString();
  }

  private static boolean isThreePartName(List<SqlTokens.Token> tokens, int i) {
    boolean shape =
        tokens.get(i).isIdentifier()
            && tokens.get(i + 1).is(".")
            && tokens.get(i + 2).isIdentifier()
            && tokens.get(i + 3).is(".")
            && tokens.get(i + 4).isIdentifier();
    boolean longer =
        (i > 0 && tokens.get(i - 1).is("."))
            || (i + 5 < tokens.size() && tokens.get(i + 5).is("."));
    return shape && !longer;
  }

  private static boolean startsAlias(SqlTokens.Token token) {
    return token.kind() == SqlTokens.Kind.QUOTED
        || (token.kind() == SqlTokens.Kind.WORD
            && !NOT_AN_ALIAS.contains(token.text().toUpperCase(java.util.Locale.ROOT)));
  }

  /** Snapshot ids are bigints; a small one would otherwise read as an integer literal. */
  static String versionLiteral(long snapshot) {
    return snapshot > Integer.MAX_VALUE || snapshot < Integer.MIN_VALUE
        ? Long.toString(snapshot)
        : "CAST(%d AS BIGINT)".formatted(snapshot);
  }
}
