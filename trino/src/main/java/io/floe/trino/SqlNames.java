package io.floe.trino;

import io.floe.catalog.TableRef;

/** Quoting for the identifiers and literals Floe puts into Trino SQL. */
final class SqlNames {
  private SqlNames() {}

  /** A delimited identifier: {@code "name"}, inner quotes doubled. */
  static String quoted(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  /** A string literal: {@code 'text'}, inner quotes doubled. */
  static String literal(String text) {
    return '\'' + text.replace("'", "''") + '\'';
  }

  /** {@code "catalog"."namespace"."table"}. */
  static String table(String catalog, TableRef table) {
    return quoted(catalog) + "." + quoted(table.namespace()) + "." + quoted(table.name());
  }

  /** A metadata table such as {@code "catalog"."namespace"."table$snapshots"}. */
  static String metadataTable(String catalog, TableRef table, String suffix) {
    return quoted(catalog)
        + "."
        + quoted(table.namespace())
        + "."
        + quoted(table.name() + "$" + suffix);
  }
}
