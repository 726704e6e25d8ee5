package io.floe.app;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.quality.PublishResult;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Reports;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.rest.RESTCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Audits an audit branch and, on pass, fast-forwards main to it and tags it published. */
@Command(
    name = "publish",
    description =
        "Audit a table's audit branch; on pass move main to exactly that snapshot and tag it"
            + " published-<utc> (exit 1 when the suite fails or the branch was computed from an"
            + " unpublished input, 3 when main moved meanwhile).")
final class PublishCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "TABLE", description = "namespace.table")
  String table;

  @Option(
      names = "--branch",
      paramLabel = "B",
      description = "The audit branch (default: the table's only audit_* branch).")
  String branch;

  @Option(
      names = "--incremental",
      description =
          "Reuse stored states of the last audited ancestor (the last publish's audit); read only"
              + " the files added since, and those a copy-on-write change removed.")
  boolean incremental;

  @Mixin JsonOption json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig config = floe.options.load();
    TableRef ref = QualityCommands.table(table);
    var suite = QualityCommands.suite(config, ref);
    try (RESTCatalog catalog =
        StackAccess.running(config).catalogConnection().open("floe-publish")) {
      String audit = branch != null ? branch : onlyAuditBranch(catalog, ref);
      QualityGate.PublishBuilder publish =
          QualityGate.publish(catalog, ref)
              .suite(suite)
              .config(QualityConfig.from(config))
              .reportDirectory(config.home().resolve("reports"))
              .auditBranch(audit);
      if (incremental) {
        publish.incremental();
      }
      PublishResult result = publish.execute();
      if (!json.print(out, asMap(result, audit))) {
        result.verdict().ifPresent(verdict -> Reports.print(verdict, out));
        out.println(result.message());
      }
      out.flush();
      result.verdict().ifPresent(v -> QualityCommands.warn(v, spec.commandLine().getErr()));
      return switch (result.outcome()) {
        case PUBLISHED -> Floe.EXIT_OK;
        case REJECTED, HELD -> Floe.EXIT_CHECK_FAILED;
        case CONFLICT -> Floe.EXIT_EXTERNAL;
      };
    }
  }

  private static String onlyAuditBranch(RESTCatalog catalog, TableRef ref) {
    Table loaded;
    try {
      loaded = catalog.loadTable(ref.toIdentifier());
    } catch (NoSuchTableException e) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "table %s does not exist".formatted(ref), e);
    }
    List<String> audits =
        loaded.refs().entrySet().stream()
            .filter(e -> e.getValue().isBranch() && Refs.isAuditBranch(e.getKey()))
            .map(java.util.Map.Entry::getKey)
            .sorted()
            .toList();
    if (audits.size() != 1) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          audits.isEmpty()
              ? "%s has no audit_* branch to publish".formatted(ref)
              : "%s has several audit branches (%s); choose one with --branch"
                  .formatted(ref, String.join(", ", audits)));
    }
    return audits.get(0);
  }

  /**
   * The outcome, the published snapshot and tag, and the verdict, as {@code --json} prints them.
   */
  private static Map<String, Object> asMap(PublishResult result, String audit) {
    Map<String, Object> report = new LinkedHashMap<>();
    report.put("outcome", result.outcome().name());
    report.put("auditBranch", audit);
    report.put("publishedSnapshot", result.publishedSnapshot().orElse(null));
    report.put("tag", result.tag().orElse(null));
    report.put("message", result.message());
    report.put("verdict", result.verdict().map(Reports::asMap).orElse(null));
    return report;
  }
}
