package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Publishes every table the earlier stages audited, through a {@link Publisher}, then removes the
 * run's audit branch from each table whose head is on {@code main} (published, or never written). A
 * table kept off {@code main} (its suite failed, or {@code main} moved) keeps its branch for
 * inspection and is listed in the outcome ({@link StageOutcome#unpublished()}): the other tables
 * are still published and later stages still run, and the caller decides what the run's result is.
 *
 * <p>What never passed a gate must not reach {@code main} through a table computed from it either:
 * tables are published inputs first, and one whose audit branch was computed from an input snapshot
 * that is not on that input's {@code main} (a silver table this run kept off it, say) is held back
 * without being evaluated ({@link PublishOutcome.Status#HELD}).
 */
public final class PublishStage implements Stage {
  public static final String NAME = "publish";

  /** Count of tables whose audit head became {@code main}. */
  public static final String PUBLISHED = "published-tables";

  /** Count of tables the stage tried to publish. */
  public static final String AUDITED = "audited-tables";

  private final Publisher publisher;
  private final Catalog catalog;

  public PublishStage(Publisher publisher, Catalog catalog) {
    this.publisher = requireNonNull(publisher, "publisher is null");
    this.catalog = requireNonNull(catalog, "catalog is null");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public StageOutcome run(StageContext context) {
    StageOutcome.Builder outcome = StageOutcome.builder();
    String branch = context.auditBranch();
    Set<TableRef> audited = Set.copyOf(context.audited());
    outcome.count(AUDITED, audited.size());
    if (audited.isEmpty()) {
      context.progress().line("  no table has new data on " + branch);
    }
    Map<TableRef, Map<TableRef, Long>> consumed = new LinkedHashMap<>();
    for (TableRef table : context.audited()) {
      consumed.put(table, consumedOnBranch(table, branch));
    }
    Inputs inputs = new Inputs(catalog);
    Set<TableRef> kept = new HashSet<>();
    for (TableRef table : inputsFirst(consumed)) {
      PublishOutcome result =
          inputs
              .unpublished(consumed.get(table), kept)
              .map(
                  why ->
                      new PublishOutcome(
                          table, PublishOutcome.Status.HELD, OptionalLong.empty(), why))
              .orElseGet(() -> publisher.publish(table, branch));
      context.progress().line("  %s: %s".formatted(table, result.message()));
      if (result.published()) {
        outcome.count(PUBLISHED, result.status() == PublishOutcome.Status.PUBLISHED ? 1 : 0);
        removeBranch(table, branch);
      } else {
        kept.add(table);
        outcome.unpublished(result);
      }
    }
    for (TableRef table : context.branched()) {
      if (!audited.contains(table)) {
        removeBranch(table, branch);
      }
    }
    return outcome.build();
  }

  /**
   * The input snapshots that the snapshots {@code branch} adds to {@code main} were computed from
   * ({@value Refs#SUMMARY_CONSUMED_PREFIX}{@code <table>} in their summaries), the newest per
   * input.
   */
  private Map<TableRef, Long> consumedOnBranch(TableRef ref, String branch) {
    Table table = catalog.loadTable(ref.toIdentifier());
    Snapshot head = table.snapshot(branch);
    if (head == null) {
      return Map.of();
    }
    Set<Long> published = new HashSet<>();
    Snapshot main = table.snapshot(Refs.MAIN);
    if (main != null) {
      SnapshotUtil.ancestorIds(main, table::snapshot).forEach(published::add);
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
                  inputOf(key)
                      .ifPresent(input -> consumed.putIfAbsent(input, Long.parseLong(value)));
                }
              });
    }
    return consumed;
  }

  private static Optional<TableRef> inputOf(String key) {
    try {
      return Optional.of(TableRef.parse(key.substring(Refs.SUMMARY_CONSUMED_PREFIX.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * The audited tables, each after the audited tables it was computed from (silver before the gold
   * built on it), otherwise in the order given.
   */
  static List<TableRef> inputsFirst(Map<TableRef, Map<TableRef, Long>> consumed) {
    List<TableRef> order = new ArrayList<>();
    Set<TableRef> visited = new HashSet<>();
    for (TableRef table : consumed.keySet()) {
      visit(table, consumed, visited, order);
    }
    return order;
  }

  private static void visit(
      TableRef table,
      Map<TableRef, Map<TableRef, Long>> consumed,
      Set<TableRef> visited,
      List<TableRef> order) {
    if (!visited.add(table)) {
      return; // done, or on the current path (a cycle, which no transform writes)
    }
    for (TableRef input : consumed.get(table).keySet()) {
      if (consumed.containsKey(input)) {
        visit(input, consumed, visited, order);
      }
    }
    order.add(table);
  }

  /**
   * The input tables a publish depends on, each loaded once: only after it was itself published (or
   * held back), as the audited tables are visited inputs first.
   */
  private static final class Inputs {
    private final Catalog catalog;
    private final Map<TableRef, Optional<Table>> loaded = new HashMap<>();

    Inputs(Catalog catalog) {
      this.catalog = catalog;
    }

    /**
     * Why a table computed from {@code consumed} must not be published: an input snapshot that is
     * neither {@code main}'s head nor one of its ancestors. An input snapshot that no longer exists
     * was expired, so it is older than anything unpublished can be, and passes.
     */
    Optional<String> unpublished(Map<TableRef, Long> consumed, Set<TableRef> keptThisRun) {
      for (Map.Entry<TableRef, Long> input : consumed.entrySet()) {
        Optional<Table> table = load(input.getKey());
        long id = input.getValue();
        if (table.isEmpty() || table.get().snapshot(id) == null) {
          continue;
        }
        Snapshot main = table.get().snapshot(Refs.MAIN);
        boolean published =
            main != null
                && (main.snapshotId() == id
                    || SnapshotUtil.isAncestorOf(table.get(), main.snapshotId(), id));
        if (!published) {
          return Optional.of(
              "held back: computed from %s snapshot %d, which %s"
                  .formatted(
                      input.getKey(),
                      id,
                      keptThisRun.contains(input.getKey())
                          ? "this run did not publish"
                          : "is not on its main"));
        }
      }
      return Optional.empty();
    }

    private Optional<Table> load(TableRef ref) {
      return loaded.computeIfAbsent(
          ref,
          r -> {
            try {
              return Optional.of(catalog.loadTable(r.toIdentifier()));
            } catch (NoSuchTableException e) {
              return Optional.empty();
            }
          });
    }
  }

  private void removeBranch(TableRef ref, String branch) {
    Table table = catalog.loadTable(ref.toIdentifier());
    if (table.refs().containsKey(branch)) {
      table.manageSnapshots().removeBranch(branch).commit();
    }
  }
}
