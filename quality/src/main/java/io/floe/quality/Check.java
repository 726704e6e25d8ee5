package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * One declared expectation about a table: a metric of {@code type} over {@code columns} that must
 * fall within {@code bounds} (or, for row checks, hold on every row), with a {@link Severity}.
 *
 * @param name unique within the suite, e.g. {@code unique(order_id)}
 * @param options what only some types need (accepted values, pattern, reference, ...)
 * @param where a row condition ({@code status = 'paid'}): only the rows it holds for are measured;
 *     a change or anomaly check carries it on its metric
 */
public record Check(
    String name,
    CheckType type,
    Severity severity,
    List<String> columns,
    Bounds bounds,
    CheckOptions options,
    Optional<String> where) {

  public Check {
    requireNonNull(name, "name is null");
    requireNonNull(type, "type is null");
    requireNonNull(severity, "severity is null");
    columns = List.copyOf(requireNonNull(columns, "columns is null"));
    requireNonNull(bounds, "bounds is null");
    requireNonNull(options, "options is null");
    requireNonNull(where, "where is null");
  }

  /** A check of every row. */
  public Check(
      String name,
      CheckType type,
      Severity severity,
      List<String> columns,
      Bounds bounds,
      CheckOptions options) {
    this(name, type, severity, columns, bounds, options, Optional.empty());
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

  /**
   * Which rows are measured, as names and messages say it: {@code " where status = 'paid'"}, or
   * nothing when every row is.
   */
  public String whereSuffix() {
    return whereSuffix(where);
  }

  static String whereSuffix(Optional<String> where) {
    return where.map(w -> " where " + w).orElse("");
  }

  /**
   * The check as a record prints it, naming {@code where} only when set: {@link Suite#hash} digests
   * this text, so a suite without conditions keeps the hash it had before they existed.
   */
  @Override
  public String toString() {
    return "Check[name=%s, type=%s, severity=%s, columns=%s, bounds=%s, options=%s%s]"
        .formatted(
            name,
            type,
            severity,
            columns,
            bounds,
            options,
            where.map(w -> ", where=" + w).orElse(""));
  }
}
