package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;

/**
 * Publishes every table the earlier stages audited, through a {@link Publisher}, then removes the
 * run's audit branch from each table whose head is on {@code main} (published, or never written). A
 * rejected table keeps its branch for inspection, and the stage fails naming every rejection after
 * trying all tables.
 */
public final class PublishStage implements Stage {
  public static final String NAME = "publish";

  /** Count of tables whose audit head became {@code main}. */
  public static final String PUBLISHED = "published-tables";

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
    List<String> rejections = new ArrayList<>();
    Set<TableRef> audited = Set.copyOf(context.audited());
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
        rejections.add(table + ": " + result.message());
      }
    }
    for (TableRef table : context.branched()) {
      if (!audited.contains(table)) {
        removeBranch(table, context.auditBranch());
      }
    }
    if (!rejections.isEmpty()) {
      throw new FloeException(
          ErrorCode.JOB_FAILED,
          "%d of %d tables not published (main untouched, audit branch %s kept): %s"
              .formatted(
                  rejections.size(),
                  audited.size(),
                  context.auditBranch(),
                  String.join("; ", rejections)));
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
