package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Lineage;
import io.floe.catalog.TableRef;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
 * main} ({@link PublishOutcome.Status#HELD}), so each input's publish must come first.
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
      consumed.put(table, Lineage.consumed(catalog.loadTable(table.toIdentifier()), branch));
    }
    for (TableRef table : inputsFirst(consumed)) {
      PublishOutcome result = publisher.publish(table, branch);
      context.progress().line("  %s: %s".formatted(table, result.message()));
      if (result.published()) {
        outcome.count(PUBLISHED, result.status() == PublishOutcome.Status.PUBLISHED ? 1 : 0);
        removeBranch(table, branch);
      } else {
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
