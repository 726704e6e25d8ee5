package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Layer;
import io.floe.catalog.TableRef;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs the transform Spark job ({@code io.floe.transform.TransformJob}) for one pipeline: bronze to
 * silver to gold, every write on the run's audit branch. Its outcome lists the tables the job left
 * new snapshots on ({@link StageOutcome#audited()}) for the publish stage.
 */
public final class TransformStage implements Stage {
  public static final String MODULE = "floe-transform";
  public static final String MAIN_CLASS = "io.floe.transform.TransformJob";

  /** The example pipelines the transform job knows. */
  public enum Kind {
    ECOMMERCE("ecommerce"),
    TWEETS("tweets");

    private final String argument;

    Kind(String argument) {
      this.argument = argument;
    }
  }

  /** The namespaces a transform reads and writes; tests use their own. */
  public record Namespaces(String bronze, String silver, String gold) {
    public Namespaces {
      requireNonNull(bronze, "bronze is null");
      requireNonNull(silver, "silver is null");
      requireNonNull(gold, "gold is null");
    }

    public static Namespaces layers() {
      return new Namespaces(
          Layer.BRONZE.namespace(), Layer.SILVER.namespace(), Layer.GOLD.namespace());
    }
  }

  private final Kind kind;
  private final Namespaces namespaces;
  private final SparkJobLauncher launcher;
  private final Map<String, String> sparkConf;

  /**
   * @param sparkConf catalog and storage settings for the job, e.g. {@code
   *     StackEndpoints.sparkCatalogConf("floe")}
   */
  public TransformStage(
      Kind kind, Namespaces namespaces, SparkJobLauncher launcher, Map<String, String> sparkConf) {
    this.kind = requireNonNull(kind, "kind is null");
    this.namespaces = requireNonNull(namespaces, "namespaces is null");
    this.launcher = requireNonNull(launcher, "launcher is null");
    this.sparkConf = Map.copyOf(sparkConf);
  }

  @Override
  public String name() {
    return "transform-" + kind.argument;
  }

  /** The job this stage launches for run {@code runId}. */
  public SparkJobSpec job(String runId, String auditBranch) {
    return new SparkJobSpec(
        MODULE,
        MAIN_CLASS,
        List.of(
            "--pipeline",
            kind.argument,
            "--run-id",
            runId,
            "--audit-branch",
            auditBranch,
            "--bronze",
            namespaces.bronze(),
            "--silver",
            namespaces.silver(),
            "--gold",
            namespaces.gold()));
  }

  @Override
  public StageOutcome run(StageContext context) {
    context.progress().line("  Spark job " + MAIN_CLASS + " (" + kind.argument + ")");
    SparkJobResult result = launcher.run(job(context.runId(), context.auditBranch()), sparkConf);
    return outcome(result.summary());
  }

  /** Reads the job's summary: {@code written}, {@code rows.<table>}, {@code dropped.<table>}. */
  static StageOutcome outcome(Map<String, Object> summary) {
    StageOutcome.Builder outcome = StageOutcome.builder();
    for (TableRef table : tables(summary.get("written"))) {
      outcome.audited(table);
    }
    for (Map.Entry<String, Object> entry : summary.entrySet()) {
      String key = entry.getKey();
      if (!(entry.getValue() instanceof Number number)) {
        continue;
      }
      if (key.startsWith("rows.")) {
        TableRef table = TableRef.parse(key.substring("rows.".length()));
        outcome.rows(table, number.longValue()).branched(table);
      } else if (key.startsWith("dropped.")) {
        outcome.count(StageOutcome.DROPPED, number.longValue());
      }
    }
    return outcome.build();
  }

  private static List<TableRef> tables(Object list) {
    List<TableRef> tables = new ArrayList<>();
    if (list instanceof String text && !text.isBlank()) {
      for (String name : text.split(",")) {
        tables.add(TableRef.parse(name.trim()));
      }
    }
    return tables;
  }
}
