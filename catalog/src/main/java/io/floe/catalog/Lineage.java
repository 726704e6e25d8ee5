package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * What a branch was computed from, and whether all of it is published. Every transform write
 * records the input snapshots it read in its summary ({@value Refs#SUMMARY_CONSUMED_PREFIX}{@code
 * <namespace.table>=<snapshot id>}); a branch whose writes read an input snapshot that is not on
 * that input's {@code main} (an audit head the gate rejected, say) carries data that never passed a
 * gate, and must not be published before that input is.
 */
public final class Lineage {
  private Lineage() {}

  /**
   * The input snapshots that the snapshots {@code branch} adds to {@code main} were computed from,
   * the newest per input; empty when the branch does not exist or records no inputs.
   */
  public static Map<TableRef, Long> consumed(Table table, String branch) {
    requireNonNull(table, "table is null");
    requireNonNull(branch, "branch is null");
    Snapshot head = table.snapshot(branch);
    if (head == null) {
      return Map.of();
    }
    Set<Long> published = new HashSet<>();
    Snapshot main = table.snapshot(Refs.MAIN);
    if (main != null) {
      published.addAll(SnapshotUtil.ancestorIds(main, table::snapshot));
    }
    Map<TableRef, Long> consumed = new LinkedHashMap<>();
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(head.snapshotId(), table::snapshot)) {
      if (published.contains(snapshot.snapshotId())) {
        break;
      }
      snapshot
          .summary()
          .forEach(
              (key, value) -> {
                if (key.startsWith(Refs.SUMMARY_CONSUMED_PREFIX) && value.matches("-?\\d+")) {
                  input(key).ifPresent(input -> consumed.putIfAbsent(input, Long.parseLong(value)));
                }
              });
    }
    return consumed;
  }

  /**
   * Why {@code branch} of {@code table} must not be published yet, e.g. {@code computed from
   * silver.fact_orders snapshot 42, which is not on its main}: the first input snapshot it was
   * computed from that is neither its table's {@code main} head nor one of that head's ancestors.
   * An input snapshot or table that no longer exists passes: expiry removes only snapshots older
   * than anything still unpublished, and a dropped input cannot be published anyway.
   */
  public static Optional<String> unpublishedInput(Catalog catalog, Table table, String branch) {
    requireNonNull(catalog, "catalog is null");
    for (Map.Entry<TableRef, Long> input : consumed(table, branch).entrySet()) {
      Table loaded;
      try {
        loaded = catalog.loadTable(input.getKey().toIdentifier());
      } catch (NoSuchTableException dropped) {
        continue;
      }
      long id = input.getValue();
      if (loaded.snapshot(id) == null) {
        continue;
      }
      Snapshot main = loaded.snapshot(Refs.MAIN);
      // main's head counts as its own ancestor
      boolean published = main != null && SnapshotUtil.isAncestorOf(loaded, main.snapshotId(), id);
      if (!published) {
        return Optional.of(
            "computed from %s snapshot %d, which is not on its main".formatted(input.getKey(), id));
      }
    }
    return Optional.empty();
  }

  private static Optional<TableRef> input(String key) {
    try {
      return Optional.of(TableRef.parse(key.substring(Refs.SUMMARY_CONSUMED_PREFIX.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }
}
