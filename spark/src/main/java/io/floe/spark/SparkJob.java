package io.floe.spark;

import java.util.Map;
import org.apache.spark.sql.SparkSession;

/** A Floe job that runs on Spark: reads its arguments, does its work, reports a summary. */
@FunctionalInterface
public interface SparkJob {
  /**
   * Runs the job on {@code spark}.
   *
   * @return a flat summary (table names, snapshot ids, counts) reported to the launcher
   */
  Map<String, Object> run(SparkSession spark, JobArguments arguments) throws Exception;
}
