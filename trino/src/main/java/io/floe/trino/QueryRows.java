package io.floe.trino;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A query's result as text, for printing and comparing.
 *
 * @param columns column names
 * @param rows each row's values as Trino renders them as text, as its CLI prints them ({@code null}
 *     as {@code NULL})
 * @param more whether the query returned rows beyond these, which were not read
 */
public record QueryRows(List<String> columns, List<List<String>> rows, boolean more) {
  public QueryRows {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
  }

  /** Reads every row of {@code result} as text. */
  public static QueryRows read(ResultSet result) throws SQLException {
    return read(result, Integer.MAX_VALUE);
  }

  /**
   * Reads at most {@code max} rows of {@code result} as text, and whether there is another: a
   * caller printing a few rows of a large result holds only those, and closing the result set
   * cancels the rest of the query.
   */
  public static QueryRows read(ResultSet result, int max) throws SQLException {
    if (max < 0) {
      throw new IllegalArgumentException("max is negative: " + max);
    }
    ResultSetMetaData metadata = result.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= metadata.getColumnCount(); i++) {
      columns.add(metadata.getColumnLabel(i));
    }
    List<List<String>> rows = new ArrayList<>();
    boolean more = false;
    while (result.next()) {
      if (rows.size() == max) {
        more = true;
        break;
      }
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= columns.size(); i++) {
        // Trino's own text: a timestamp keeps its precision and zone, varbinary reads 0x0102
        String value = result.getString(i);
        row.add(value == null ? "NULL" : value);
      }
      rows.add(row);
    }
    return new QueryRows(columns, rows, more);
  }

  /** Each row's values joined by {@code |}, handy for assertions and diffs. */
  public List<String> lines() {
    return rows.stream().map(row -> String.join("|", row)).toList();
  }
}
