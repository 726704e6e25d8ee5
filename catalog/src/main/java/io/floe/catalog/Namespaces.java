package io.floe.catalog;

import java.util.Arrays;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.exceptions.AlreadyExistsException;

/** Namespaces Floe creates for the tables it makes itself (metric history, ledger, run log). */
public final class Namespaces {
  private Namespaces() {}

  /**
   * Creates the namespace of {@code table} when {@code catalog} has namespaces and not this one: a
   * nested namespace level by level from the top, as catalogs that keep a tree of namespaces want
   * each parent to exist first. A level another writer created meanwhile is taken as it is.
   */
  public static void createFor(Catalog catalog, TableRef table) {
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return;
    }
    String[] levels = table.toIdentifier().namespace().levels();
    for (int depth = 1; depth <= levels.length; depth++) {
      Namespace namespace = Namespace.of(Arrays.copyOf(levels, depth));
      if (!namespaces.namespaceExists(namespace)) {
        try {
          namespaces.createNamespace(namespace);
        } catch (AlreadyExistsException raced) {
          // another evaluation or run created it first
        }
      }
    }
  }
}
