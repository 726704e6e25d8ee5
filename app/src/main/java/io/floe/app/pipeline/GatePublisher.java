package io.floe.app.pipeline;

import static io.floe.core.text.Counts.counted;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.quality.PublishResult;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.Verdict;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Collectors;
import org.apache.iceberg.catalog.Catalog;

/**
 * Publishes through the quality gate: the table's suite is evaluated against exactly the audit
 * branch's head, and only a passing head becomes {@code main} (tagged {@code published-<utc>}, its
 * verdict in the snapshot summary). A table without a declared suite is published through the gate
 * with an empty suite, so its verdict and tag are still recorded. Evaluations are incremental where
 * the table's history allows it: after appends only, from the last audit's stored states.
 */
final class GatePublisher implements Publisher {
  private final Catalog catalog;
  private final Map<TableRef, Suite> suites;
  private final QualityConfig config;
  private final Path reports;

  GatePublisher(Catalog catalog, Map<TableRef, Suite> suites, QualityConfig config, Path reports) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.suites = Map.copyOf(suites);
    this.config = requireNonNull(config, "config is null");
    this.reports = requireNonNull(reports, "reports is null");
  }

  @Override
  public PublishOutcome publish(TableRef table, String auditBranch) {
    Suite declared = suites.get(table);
    Suite suite = declared != null ? declared : new Suite(table, List.of(), "(no suite declared)");
    PublishResult result =
        QualityGate.publish(catalog, table)
            .suite(suite)
            .auditBranch(auditBranch)
            .config(config)
            .reportDirectory(reports)
            // an append-only table (the clickstream) is audited by its new files on later runs;
            // a merged or overwritten one falls back to a full evaluation by itself
            .incremental()
            .execute();
    if (!result.published()) {
      PublishOutcome.Status status =
          switch (result.outcome()) {
            case CONFLICT -> PublishOutcome.Status.CONFLICT;
            case HELD -> PublishOutcome.Status.HELD;
            case REJECTED, PUBLISHED -> PublishOutcome.Status.REJECTED;
          };
      return new PublishOutcome(
          table, status, OptionalLong.empty(), result.message() + warnings(result));
    }
    long head = result.publishedSnapshot().orElseThrow();
    return new PublishOutcome(
        table,
        PublishOutcome.Status.PUBLISHED,
        OptionalLong.of(head),
        "main -> %d, tag %s (%s)"
                .formatted(
                    head,
                    result.tag().orElse("none"),
                    declared != null ? passed(suite.checks().size(), result) : "no suite declared")
            + warnings(result));
  }

  /** {@code ; <warning>} per warning of the verdict (an alert not sent, a history not recorded). */
  private static String warnings(PublishResult result) {
    return result.verdict().map(Verdict::warnings).orElse(List.of()).stream()
        .map(warning -> "; " + warning)
        .collect(Collectors.joining());
  }

  /**
   * {@code 10 checks passed}, and how they were computed when not from every file: an incremental
   * audit names its base and the files added since.
   */
  private static String passed(int checks, PublishResult result) {
    String passed = counted(checks, "check") + " passed";
    return result
        .verdict()
        .map(Verdict::basis)
        .filter(basis -> !basis.startsWith(Verdict.FULL))
        .map(basis -> passed + "; " + basis)
        .orElse(passed);
  }
}
