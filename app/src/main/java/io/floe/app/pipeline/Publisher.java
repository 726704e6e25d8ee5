package io.floe.app.pipeline;

import io.floe.catalog.TableRef;
import org.apache.iceberg.catalog.Catalog;

/**
 * Decides whether the head of a table's audit branch becomes {@code main}: the publish step of
 * write-audit-publish. The quality gate is one; {@link #fastForward} publishes without checks.
 */
@FunctionalInterface
public interface Publisher {
  /**
   * Publishes the head of {@code auditBranch} of {@code table}, or explains why not. Must never
   * move {@code main} to anything but that head.
   */
  PublishOutcome publish(TableRef table, String auditBranch);

  /**
   * Fast-forwards {@code main} to the audit branch's head when {@code main} is still an ancestor of
   * it (or the table has no {@code main} yet); rejects otherwise.
   */
  static Publisher fastForward(Catalog catalog) {
    return new FastForwardPublisher(catalog);
  }

  /**
   * Publishes through the quality gate with each table's suite (tables without one get an empty
   * suite); HTML reports go to {@code reports}.
   */
  static Publisher qualityGate(
      Catalog catalog,
      java.util.Map<TableRef, io.floe.quality.Suite> suites,
      io.floe.quality.QualityConfig config,
      java.nio.file.Path reports) {
    return new GatePublisher(catalog, suites, config, reports);
  }
}
