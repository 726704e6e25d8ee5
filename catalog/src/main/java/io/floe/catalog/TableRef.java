package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import org.apache.iceberg.catalog.TableIdentifier;

/**
 * A table named by a single-level namespace and a table name, written {@code namespace.name}
 * ({@code bronze.events}).
 *
 * <p>Floe's layers are single-level namespaces, so a reference has exactly two parts; neither part
 * may be blank, contain a dot or carry surrounding whitespace.
 */
public record TableRef(String namespace, String name) {

  public TableRef {
    requireNonNull(namespace, "namespace is null");
    requireNonNull(name, "name is null");
    requireValidPart(namespace, "namespace", namespace + "." + name);
    requireValidPart(name, "table name", namespace + "." + name);
  }

  /** The table {@code name} in the namespace of {@code layer}. */
  public static TableRef of(Layer layer, String name) {
    requireNonNull(layer, "layer is null");
    return new TableRef(layer.namespace(), name);
  }

  /**
   * Parses {@code namespace.name}.
   *
   * @throws IllegalArgumentException when {@code text} is not exactly two non-blank parts separated
   *     by one dot
   */
  public static TableRef parse(String text) {
    requireNonNull(text, "table reference is null");
    int dot = text.indexOf('.');
    if (dot < 0) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': expected <namespace>.<table>, e.g. bronze.events"
              .formatted(text));
    }
    if (text.indexOf('.', dot + 1) >= 0) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': expected exactly one dot, as in <namespace>.<table>"
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
    return TableIdentifier.of(namespace, name);
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
    if (part.indexOf('.') >= 0) {
      throw new IllegalArgumentException(
          "invalid table reference '%s': the %s '%s' contains a dot".formatted(whole, role, part));
    }
  }
}
