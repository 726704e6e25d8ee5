package io.floe.catalog;

import java.util.Optional;

/**
 * The medallion layers of a Floe lakehouse. Each layer is one Iceberg namespace, so a table's layer
 * is visible in its name ({@code bronze.events}).
 */
public enum Layer {
  /** Raw data as ingested, append-only. */
  BRONZE("bronze"),
  /** Cleaned, deduplicated and typed data. */
  SILVER("silver"),
  /** Aggregates and business-level tables. */
  GOLD("gold"),
  /** Views that consumers query; they hide the physical tables behind a stable contract. */
  INTERFACE("interface");

  private final String namespace;

  Layer(String namespace) {
    this.namespace = namespace;
  }

  /** The Iceberg namespace that holds this layer's tables. */
  public String namespace() {
    return namespace;
  }

  /** The layer whose namespace is {@code namespace}, if any. */
  public static Optional<Layer> fromNamespace(String namespace) {
    for (Layer layer : values()) {
      if (layer.namespace.equals(namespace)) {
        return Optional.of(layer);
      }
    }
    return Optional.empty();
  }
}
