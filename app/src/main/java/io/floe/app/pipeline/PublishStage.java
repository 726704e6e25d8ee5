package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Lineage;
import io.floe.catalog.TableRef;
import io.floe.core.concurrent.AtOnce;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * Publishes every table the earlier stages audited, through a {@link Publisher}, then removes the
 * run's audit branch from each table whose head is on {@code main} (published, or never written). A
 * table kept off {@code main} (its suite failed, or {@code main} moved) keeps its branch for
 * inspection and is listed in the outcome ({@link StageOutcome#unpublished()}): the other tables
 * are still published and later stages still run, and the caller decides what the run's result is.
 *
 * <p>Tables are published inputs first ({@link Lineage}), silver before the gold computed from it:
 * a publisher holds back a table computed from an input snapshot that is not on that input's {@code
 * main} ({@link PublishOutcome.Status#HELD}), so each input's publish must come first. The tables
 * whose audited inputs are all done are published at once ({@link #waves}); their lines print in
 * the wave's order.
 */
public final class PublishStage implements Stage {
  public static final String NAME = "publish";

  /** Count of tables whose audit head became {@code main}. */
  public static final String PUBLISHED = "published-tables";

  /** Count of tables the stage tried to publish. */
  public static final String AUDITED = "audited-tables";

  /**
   * Tables published at once within a wave: their evaluations and catalog commits overlap, and
   * concurrent appends to the metric history retry on conflict.
   */
  static final int PARALLELISM = 3;

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
      consumed.put(table, Lineage.consumed(catalog.loadTable(table.toIdentifier()), branch));
    }
    for (List<TableRef> wave : waves(consumed)) {
      AtOnce.run(
          "floe-publish",
          PARALLELISM,
          wave.stream()
              .map(table -> (Supplier<PublishOutcome>) () -> publish(table, branch))
              .toList(),
          result -> {
            context.progress().line("  %s: %s".formatted(result.table(), result.message()));
            if (result.published()) {
              outcome.count(PUBLISHED, result.status() == PublishOutcome.Status.PUBLISHED ? 1 : 0);
            } else {
              outcome.unpublished(result);
            }
          });
    }
    for (TableRef table : context.branched()) {
      if (!audited.contains(table)) {
        removeBranch(table, branch);
      }
    }
    return outcome.build();
  }

  /** Publishes one table, and removes its audit branch once its head is on {@code main}. */
  private PublishOutcome publish(TableRef table, String branch) {
    PublishOutcome result = publisher.publish(table, branch);
    if (result.published()) {
      removeBranch(table, branch);
    }
    return result;
  }

  /**
   * The audited tables in waves that may be published at once: each table in a wave after every
   * audited table it was computed from, in the order {@link #inputsFirst} gives within each wave.
   */
  static List<List<TableRef>> waves(Map<TableRef, Map<TableRef, Long>> consumed) {
    Map<TableRef, Integer> wave = new HashMap<>();
    List<List<TableRef>> waves = new ArrayList<>();
    for (TableRef table : inputsFirst(consumed)) {
      // an input not placed yet closes a cycle, which no transform writes
      int index =
          consumed.get(table).keySet().stream()
              .filter(wave::containsKey)
              .mapToInt(input -> wave.get(input) + 1)
              .max()
              .orElse(0);
      wave.put(table, index);
      while (waves.size() <= index) {
        waves.add(new ArrayList<>());
      }
      waves.get(index).add(table);
    }
    return waves;
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

  private void removeBranch(TableRef ref, String branch) {
    Table table = catalog.loadTable(ref.toIdentifier());
    if (table.refs().containsKey(branch)) {
      table.manageSnapshots().removeBranch(branch).commit();
    }
  }
}
