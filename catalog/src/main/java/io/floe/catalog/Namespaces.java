package io.floe.catalog;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
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

  /**
   * Every table of {@code catalog}, namespace by namespace from the top and then the nested ones;
   * none when the catalog has no namespaces. A table whose namespace level or name has a dot cannot
   * be named by a reference: {@code unnameable} is told why, and it is left out.
   */
  public static List<TableRef> tables(Catalog catalog, Consumer<String> unnameable) {
    List<TableRef> tables = new ArrayList<>();
    if (!(catalog instanceof SupportsNamespaces namespaces)) {
      return tables;
    }
    Deque<Namespace> pending = new ArrayDeque<>(namespaces.listNamespaces());
    while (!pending.isEmpty()) {
      Namespace namespace = pending.poll();
      pending.addAll(namespaces.listNamespaces(namespace));
      for (TableIdentifier id : catalog.listTables(namespace)) {
        try {
          tables.add(TableRef.of(id));
        } catch (IllegalArgumentException e) {
          unnameable.accept("%s: %s".formatted(id, e.getMessage()));
        }
      }
    }
    return tables;
  }
}
