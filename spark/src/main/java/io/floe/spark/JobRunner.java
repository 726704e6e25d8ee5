package io.floe.spark;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a {@link SparkJob} as a program and reports its outcome to the launcher on standard output:
 * one line {@value #RESULT_PREFIX}{@code <json>} on success, or one line {@value
 * #ERROR_PREFIX}{@code <message>} on failure (the stack trace goes to standard error, i.e. the
 * job's log).
 *
 * <p>Settings come from the Spark properties file named by the system property {@value
 * #PROPERTIES_FILE_PROPERTY} (a child JVM started by Floe) or from {@code spark-submit}'s own
 * {@code --properties-file}; either way the session is the only one the job uses.
 */
public final class JobRunner {
  public static final String RESULT_PREFIX = "FLOE-JOB-RESULT ";
  public static final String ERROR_PREFIX = "FLOE-JOB-ERROR ";
  public static final String PROPERTIES_FILE_PROPERTY = "floe.spark.properties";

  private JobRunner() {}

  public static void run(String jobName, String[] args, SparkJob job) {
    int exitCode;
    try {
      JobArguments arguments = JobArguments.parse(args);
      SparkSession spark = SparkSession.builder().config(conf(jobName)).getOrCreate();
      try {
        Map<String, Object> summary = job.run(spark, arguments);
        System.out.println(RESULT_PREFIX + toJson(summary));
        exitCode = 0;
      } finally {
        spark.stop();
      }
    } catch (Throwable e) {
      e.printStackTrace();
      System.out.println(ERROR_PREFIX + oneLine(e));
      exitCode = e instanceof IllegalArgumentException ? 2 : 1;
    }
    System.out.flush();
    // Spark and the AWS SDK leave non-daemon threads behind; the outcome is already reported
    System.exit(exitCode);
  }

  static SparkConf conf(String jobName) throws IOException {
    SparkConf conf = new SparkConf().setIfMissing("spark.app.name", "floe-" + jobName);
    String file = System.getProperty(PROPERTIES_FILE_PROPERTY);
    if (file != null) {
      Properties properties = new Properties();
      try (Reader in = Files.newBufferedReader(Path.of(file))) {
        properties.load(in);
      }
      properties.stringPropertyNames().forEach(key -> conf.set(key, properties.getProperty(key)));
    }
    conf.setIfMissing("spark.master", "local[2]");
    conf.setIfMissing("spark.ui.enabled", "false");
    conf.setIfMissing("spark.sql.session.timeZone", "UTC");
    return conf;
  }

  /** The innermost useful message of a failure, on one line. */
  static String oneLine(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String line = message.lines().findFirst().orElse("").trim();
    return root == e ? line : root.getClass().getSimpleName() + ": " + line;
  }

  static String toJson(Map<String, Object> summary) {
    return summary.entrySet().stream()
        .map(entry -> quote(entry.getKey()) + ":" + value(entry.getValue()))
        .collect(Collectors.joining(",", "{", "}"));
  }

  private static String value(Object value) {
    if (value instanceof Number || value instanceof Boolean) {
      return value.toString();
    }
    return quote(String.valueOf(value));
  }

  private static String quote(String text) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : text.toCharArray()) {
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> {
          if (c < 0x20) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
