package io.floe.maintenance;

import org.apache.iceberg.Table;

/** The {@code namespace.name} of a loaded table, whose own name carries the catalog in front. */
final class TableNames {
  private TableNames() {}

  static String of(Table table) {
    String[] parts = table.name().split("\\.");
    if (parts.length < 2) {
      return table.name();
    }
    return parts[parts.length - 2] + "." + parts[parts.length - 1];
  }
}
