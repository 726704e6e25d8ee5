package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;

/** A table as a query names it: catalog, namespace and name. */
record QualifiedTable(String catalog, TableRef table) {
  QualifiedTable {
    requireNonNull(catalog, "catalog is null");
    requireNonNull(table, "table is null");
  }

  String sql() {
    return SqlNames.table(catalog, table);
  }

  @Override
  public String toString() {
    return catalog + "." + table;
  }
}
