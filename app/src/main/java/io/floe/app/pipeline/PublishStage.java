package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * Publishes every table the earlier stages audited, through a {@link Publisher}, then removes the
 * run's audit branch from each table whose head is on {@code main} (published, or never written). A
 * table kept off {@code main} (its suite failed, or {@code main} moved) keeps its branch for
 * inspection and is listed in the outcome ({@link StageOutcome#unpublished()}): the other tables
 * are still published and later stages still run, and the caller decides what the run's result is.
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
    Set<TableRef> audited = Set.copyOf(context.audited());
    outcome.count(AUDITED, audited.size());
    if (audited.isEmpty()) {
      context.progress().line("  no table has new data on " + context.auditBranch());
    }
    for (TableRef table : context.audited()) {
      PublishOutcome result = publisher.publish(table, context.auditBranch());
      context.progress().line("  %s: %s".formatted(table, result.message()));
      if (result.published()) {
        outcome.count(PUBLISHED, result.status() == PublishOutcome.Status.PUBLISHED ? 1 : 0);
        removeBranch(table, context.auditBranch());
      } else {
        outcome.unpublished(result);
      }
    }
    for (TableRef table : context.branched()) {
      if (!audited.contains(table)) {
        removeBranch(table, context.auditBranch());
      }
    }
    return outcome.build();
  }

  private void removeBranch(TableRef ref, String branch) {
    Table table = catalog.loadTable(ref.toIdentifier());
    if (table.refs().containsKey(branch)) {
      table.manageSnapshots().removeBranch(branch).commit();
    }
  }
}
