package io.floe.transform;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A silver table kept by upserting its bronze source: one row per business key, the version with
 * the latest {@code version} column winning (later ingests break ties).
 *
 * @param name the silver table's name
 * @param source the bronze table's name
 * @param keys the business key columns; bronze records with a null key are dropped and counted
 * @param columns the silver columns as {@code name type} pairs, in order
 * @param projection one Spark SQL expression over the bronze row per column
 * @param partitioning a {@code PARTITIONED BY} clause, or empty
 * @param version the column ordering versions of one key, or empty for insert-once facts
 */
record SilverTable(
    String name,
    String source,
    List<String> keys,
    List<String> columns,
    List<String> projection,
    String partitioning,
    String version) {
  SilverTable {
    requireNonNull(name, "name is null");
    requireNonNull(source, "source is null");
    keys = List.copyOf(keys);
    columns = List.copyOf(columns);
    projection = List.copyOf(projection);
    requireNonNull(partitioning, "partitioning is null");
    requireNonNull(version, "version is null");
    if (columns.size() != projection.size()) {
      throw new IllegalArgumentException(name + ": one projection per column");
    }
  }

  List<String> columnNames() {
    return columns.stream().map(column -> column.substring(0, column.indexOf(' '))).toList();
  }
}
