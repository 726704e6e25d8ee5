package io.floe.transform;

import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Transforms bronze into silver and gold for one pipeline, writing every change on the run's audit
 * branch and never on {@code main}.
 *
 * <p>Arguments: {@code --pipeline ecommerce|tweets}, {@code --run-id <id>}, {@code --audit-branch
 * <branch>} and optionally {@code --bronze}, {@code --silver}, {@code --gold} (namespaces, default
 * the layer names). The summary lists the tables with a new snapshot on the audit branch under
 * {@code written} (comma-separated), and per table {@code rows.<table>}, {@code read.<table>} and
 * {@code dropped.<table>} (records without a business key).
 */
public final class TransformJob {
  private TransformJob() {}

  public static void main(String[] args) {
    JobRunner.run("transform", args, TransformJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) {
    TransformRun run = TransformRun.from(spark, arguments);
    String pipeline = arguments.required("pipeline");
    switch (pipeline) {
      case "ecommerce" -> {
        new EcommerceSilver(run).run();
        new EcommerceGold(run).run();
      }
      case "tweets" -> new TweetsGold(run).run();
      default ->
          throw new IllegalArgumentException(
              "unknown --pipeline '" + pipeline + "'; expected ecommerce or tweets");
    }
    return run.summary();
  }
}
