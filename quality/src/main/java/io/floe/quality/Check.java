package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One declared expectation about a table: a metric of {@code type} over {@code columns} that must
 * fall within {@code bounds} (or, for row checks, hold on every row), with a {@link Severity}.
 *
 * @param name unique within the suite, e.g. {@code unique(order_id)}
 * @param options what only some types need (accepted values, pattern, reference, ...)
 */
public record Check(
    String name,
    CheckType type,
    Severity severity,
    List<String> columns,
    Bounds bounds,
    CheckOptions options) {

  public Check {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(severity, "severity is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(bounds, "bounds is null");
    requireNonNull(options, "options is null");
  }

  /** The single column of a single-column check. */
  public String column() {
    if (columns.size() != 1) {
      throw new IllegalStateException(name + " has " + columns.size() + " columns");
    }
    return columns.get(0);
  }

  public boolean blocksPublish() {
    return severity == Severity.ERROR;
  }
}
