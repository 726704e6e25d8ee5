package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A table named by its namespace and its name, written {@code namespace.name} ({@code
 * bronze.events}). A nested namespace is written with its levels separated by dots ({@code
 * analytics.sales.orders} is the table {@code orders} in the namespace {@code analytics.sales}), as
 * Spark writes it; the table's name is the part after the last dot.
 *
 * <p>Neither the name nor any level of the namespace may be blank or carry surrounding whitespace,
 * and the name contains no dot.
 */
public record TableRef(String namespace, String name) {

  public TableRef {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(name, "name is null");
    String whole = namespace + "." + name;
    for (String level : namespace.split("\\.", -1)) {
      requireValidPart(level, "namespace level", whole);
    }
    requireValidPart(name, "table name", whole);
    if (name.indexOf('.') >= 0) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': the table name '%s' contains a dot"
              .formatted(whole, name));
    }
  }

  /** The table {@code name} in the namespace of {@code layer}. */
  public static TableRef of(Layer layer, String name) {
    requireNonNull(layer, "layer is null");
    return new TableRef(layer.namespace(), name);
  }

  /**
   * The reference to the table {@code identifier} names.
   *
   * @throws IllegalArgumentException when the identifier has no namespace, or a level of it or its
   *     name contains a dot, which a reference could not tell from a level separator
   */
  public static TableRef of(TableIdentifier identifier) {
    requireNonNull(identifier, "identifier is null");
    for (String level : identifier.namespace().levels()) {
      if (level.indexOf('.') >= 0) {
        throw new IllegalArgumentException(
            "invalid table reference '%s': the namespace level '%s' contains a dot"
                .formatted(identifier, level));
      }
    }
    return new TableRef(String.join(".", identifier.namespace().levels()), identifier.name());
  }

  /**
   * Parses {@code namespace.name}, where the namespace may have several levels ({@code
   * analytics.sales.orders}).
   *
   * @throws IllegalArgumentException when {@code text} has no dot, or a part is blank or padded
   */
  public static TableRef parse(String text) {
    requireNonNull(text, "table reference is null");
    int dot = text.lastIndexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': expected <namespace>.<table>, e.g. bronze.events"
              .formatted(text));
    }
    return new TableRef(text.substring(0, dot), text.substring(dot + 1));
  }

  /** The layer this table belongs to, when its namespace is one of Floe's layers. */
  public Optional<Layer> layer() {
    return Layer.fromNamespace(namespace);
  }

  /** The Iceberg identifier of this table. */
  public TableIdentifier toIdentifier() {
    return TableIdentifier.of(Namespace.of(namespace.split("\\.")), name);
  }

  /** {@code namespace.name}, the form {@link #parse} accepts. */
  @Override
  public String toString() {
    return namespace + "." + name;
  }

  private static void requireValidPart(String part, String role, String whole) {
    if (part.isBlank()) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': the %s is empty".formatted(whole, role));
    }
    if (!part.strip().equals(part)) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': the %s has leading or trailing whitespace"
              .formatted(whole, role));
    }
  }
}
