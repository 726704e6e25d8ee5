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
 * @param rows each row's values as Trino JDBC renders them ({@code null} as {@code NULL})
 */
public record QueryRows(List<String> columns, List<List<String>> rows) {
  public QueryRows {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
  }

  /** Reads every row of {@code result} as text. */
  public static QueryRows read(ResultSet result) throws SQLException {
    ResultSetMetaData metadata = result.getMetaData();
    List<String> columns = new ArrayList<>();
    for (int i = 1; i <= metadata.getColumnCount(); i++) {
      columns.add(metadata.getColumnLabel(i));
    }
    List<List<String>> rows = new ArrayList<>();
    while (result.next()) {
      List<String> row = new ArrayList<>();
      for (int i = 1; i <= columns.size(); i++) {
        Object value = result.getObject(i);
        row.add(value == null ? "NULL" : value.toString());
      }
      rows.add(row);
    }
    return new QueryRows(columns, rows);
  }

  /** Each row's values joined by {@code |}, handy for assertions and diffs. */
  public List<String> lines() {
    return rows.stream().map(row -> String.join("|", row)).toList();
  }
}
