package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Layer;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One view of the {@code interface} schema: the stable contract BI users query, defined over
 * published gold tables.
 *
 * @param name the view name inside {@code interface}, e.g. {@code category_report}
 * @param sql the query the view runs (a {@code SELECT} or {@code WITH} query; names resolve in the
 *     Iceberg catalog, so write {@code iceberg.gold.category_report}, which {@code floe audit
 *     query} can also time-travel)
 * @param comment what the view shows, stored as the view's comment
 * @param owner who answers for the view (a team or person), appended to the comment
 */
public record InterfaceView(
    String name, String sql, Optional<String> comment, Optional<String> owner) {
  static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  public InterfaceView {
    requireNonNull(name, "name is null");
    requireNonNull(sql, "sql is null");
    requireNonNull(comment, "comment is null");
    requireNonNull(owner, "owner is null");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("view name must match [a-z][a-z0-9_]*: " + name);
    }
    if (sql.isBlank()) {
      throw new IllegalArgumentException("view " + name + " has no SQL");
    }
  }

  /** The schema every interface view lives in. */
  public static String schema() {
    return Layer.INTERFACE.namespace();
  }

  /** The comment Trino stores: the comment, then the owner. */
  public Optional<String> storedComment() {
    if (comment.isEmpty() && owner.isEmpty()) {
      return Optional.empty();
    }
    String text = comment.orElse("");
    if (owner.isPresent()) {
      text = (text.isEmpty() ? "" : text + " ") + "(owner: " + owner.get() + ")";
    }
    return Optional.of(text);
  }
}
