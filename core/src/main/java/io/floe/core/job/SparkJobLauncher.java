package io.floe.core.job;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.core.config.SparkConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.NewestKept;
import io.floe.core.io.OwnerOnlyFiles;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Launches Floe's Spark jobs outside Floe's own JVM, since Spark and unshaded Iceberg cannot share
 * a classpath. With {@code spark.submit: child-jvm} a child JVM runs the driver, in local mode or
 * against a {@code spark://} cluster; with {@code spark-submit} the same job goes through {@code
 * $SPARK_HOME/bin/spark-submit} (YARN, Kubernetes, cluster deploy mode).
 *
 * <p>Either way the job receives its settings in a Spark properties file, and its outcome comes
 * back as one line on its output: a summary, or a one-line error that becomes a {@link
 * FloeException} with the log's path.
 */
public final class SparkJobLauncher {
  /** Spark on Java 17 needs these opened modules in every JVM it runs in. */
  public static final List<String> JAVA_17_OPTIONS =
      List.of(
          "-XX:+IgnoreUnrecognizedVMOptions",
          "--add-opens=java.base/java.lang=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.invoke=ALL-UNNAMED",
          "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
          "--add-opens=java.base/java.io=ALL-UNNAMED",
          "--add-opens=java.base/java.net=ALL-UNNAMED",
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/java.util=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
          "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
          "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.cs=ALL-UNNAMED",
          "--add-opens=java.base/sun.security.action=ALL-UNNAMED",
          "--add-opens=java.base/sun.util.calendar=ALL-UNNAMED",
          "--add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
          "-Djdk.reflect.useDirectMethodHandle=false");

  static final String RESULT_PREFIX = "FLOE-JOB-RESULT ";
  static final String ERROR_PREFIX = "FLOE-JOB-ERROR ";
  private static final String PROPERTIES_FILE_PROPERTY = "floe.spark.properties";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS");

  private final SparkConfig spark;
  private final RuntimeLayout layout;
  private final Path jobsDir;

  /**
   * @param jobsDir where each run gets its properties file and log
   */
  public SparkJobLauncher(SparkConfig spark, RuntimeLayout layout, Path jobsDir) {
    this.spark = requireNonNull(spark, "spark is null");
    this.layout = requireNonNull(layout, "layout is null");
    this.jobsDir = requireNonNull(jobsDir, "jobsDir is null");
  }

  /**
   * Runs {@code job} to completion with {@code conf} (catalog and storage settings) on top of the
   * configured Spark settings.
   *
   * @throws FloeException {@code JOB_FAILED} with the job's one-line error and its log's path
   */
  public SparkJobResult run(SparkJobSpec job, Map<String, String> conf) {
    long begin = System.nanoTime();
    Path runDir = newRunDir(job.name());
    Path log = runDir.resolve("job.log");
    Path propertiesFile = writeProperties(runDir, job, conf);
    int exitCode;
    try {
      exitCode =
          spark.submit() == SparkConfig.SubmitMode.SPARK_SUBMIT
              ? runSparkSubmit(job, propertiesFile, runDir, log)
              : runChildJvm(job, propertiesFile, runDir, log);
    } finally {
      pruneRuns(job.name());
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - begin);
    Outcome outcome = Outcome.readFrom(log);
    if (exitCode != 0 || outcome.result().isEmpty()) {
      String reason =
          outcome
              .error()
              .orElse(
                  "exited with code %d without reporting an error; last lines: %s"
                      .formatted(exitCode, String.join(" | ", ChildProcess.tail(log, 3))));
      throw new FloeException(
          ErrorCode.JOB_FAILED,
          "Spark job %s failed: %s (log: %s)".formatted(job.name(), reason, log));
    }
    return new SparkJobResult(job, parseSummary(outcome.result().get(), log), log, elapsed);
  }

  /**
   * Deletes the run directories (log and properties file, whose settings include storage
   * credentials) of {@code jobName} beyond the newest {@link SparkConfig#jobLogsKept()}: a pipeline
   * or maintenance daemon starting jobs every hour would otherwise fill the disk. Their names sort
   * by start time.
   */
  void pruneRuns(String jobName) {
    NewestKept.prune(
        jobsDir,
        Pattern.compile(Pattern.quote(jobName) + "-\\d{8}-\\d{6}-\\d{3}(-\\d+)?"),
        spark.jobLogsKept());
  }

  /**
   * A new directory for a run of {@code jobName}, named by the time; jobs started in the same
   * millisecond (a maintenance pass compacts several tables at once) get {@code -2}, {@code -3}...
   */
  Path newRunDir(String jobName) {
    String stamped = jobName + "-" + LocalDateTime.now().format(STAMP);
    try {
      Files.createDirectories(jobsDir);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot create " + jobsDir + ": " + e, e);
    }
    for (int n = 1; ; n++) {
      Path dir = jobsDir.resolve(n == 1 ? stamped : stamped + "-" + n);
      try {
        return Files.createDirectory(dir);
      } catch (FileAlreadyExistsException taken) {
        // another job's: try the next name
      } catch (IOException e) {
        throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot create " + dir + ": " + e, e);
      }
    }
  }

  private Path writeProperties(Path runDir, SparkJobSpec job, Map<String, String> conf) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("spark.master", spark.master());
    all.put("spark.app.name", "floe-" + job.name());
    all.put("spark.ui.enabled", "false");
    all.put("spark.sql.session.timeZone", "UTC");
    all.put("spark.driver.host", "127.0.0.1");
    all.put("spark.driver.bindAddress", "127.0.0.1");
    all.put("spark.executor.memory", spark.executorMemory());
    if (spark.isLocal()) {
      all.put("spark.sql.shuffle.partitions", "4");
    } else {
      all.put("spark.jars", String.join(",", clusterJars(job)));
      all.put("spark.executor.extraJavaOptions", String.join(" ", JAVA_17_OPTIONS));
    }
    all.putAll(conf);
    all.putAll(spark.conf());
    Path file = runDir.resolve("spark.properties");
    try {
      OwnerOnlyFiles.writeProperties(file, all, "Spark settings for " + job.name());
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot write " + file + ": " + e, e);
    }
    return file;
  }

  private int runChildJvm(SparkJobSpec job, Path propertiesFile, Path runDir, Path log) {
    List<String> options = new ArrayList<>(JAVA_17_OPTIONS);
    options.add("-Xmx" + spark.driverMemory());
    options.add("-D" + PROPERTIES_FILE_PROPERTY + "=" + propertiesFile.toAbsolutePath());
    JavaCommand command =
        new JavaCommand(
                io.floe.core.process.JavaRuntimes.current(),
                options,
                layout.classpath(job.module()),
                job.mainClass(),
                job.arguments(),
                Map.of())
            .withEnvironment(Map.of("SPARK_LOCAL_IP", "127.0.0.1"));
    ChildProcess process = ChildProcess.start("Spark job " + job.name(), command, runDir, log);
    return process.waitFor();
  }

  private int runSparkSubmit(SparkJobSpec job, Path propertiesFile, Path runDir, Path log) {
    Path sparkHome = Path.of(spark.sparkHome().orElseThrow());
    Path submit = sparkHome.resolve("bin").resolve("spark-submit");
    if (!Files.isExecutable(submit)) {
      throw new FloeException(
          ErrorCode.INVALID_CONFIG,
          "spark.spark-home: %s has no executable bin/spark-submit".formatted(sparkHome));
    }
    List<String> jars = clusterJars(job);
    List<String> command = new ArrayList<>();
    command.add(submit.toString());
    command.addAll(List.of("--master", spark.master()));
    command.addAll(List.of("--properties-file", propertiesFile.toAbsolutePath().toString()));
    command.addAll(List.of("--class", job.mainClass()));
    if (jars.size() > 1) {
      command.addAll(List.of("--jars", String.join(",", jars.subList(1, jars.size()))));
    }
    command.add(jars.get(0));
    command.addAll(job.arguments());
    try {
      Process process =
          new ProcessBuilder(command)
              .directory(runDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .start();
      return process.waitFor();
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.JOB_FAILED, "cannot run " + submit + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "interrupted while running " + job.name());
    }
  }

  /**
   * The jars a cluster needs besides its own Spark: the job module's jar first, then every
   * dependency that Spark does not ship (Iceberg's runtime, the AWS SDK, Floe's Spark module).
   */
  List<String> clusterJars(SparkJobSpec job) {
    String jar =
        layout
            .property(job.module(), "jar")
            .filter(path -> Files.isRegularFile(Path.of(path)))
            .orElseThrow(
                () ->
                    new FloeException(
                        ErrorCode.NOT_INSTALLED,
                        "the jar of %s is missing; build Floe with ./mvnw package -DskipTests to run on a cluster"
                            .formatted(job.module())));
    List<String> jars = new ArrayList<>();
    jars.add(jar);
    for (Path entry : layout.classpath(job.module())) {
      String path = entry.toString();
      if (path.endsWith(".jar") && !providedBySpark(path)) {
        jars.add(path);
      } else if (Files.isDirectory(entry) && entry.endsWith("classes")) {
        // a sibling module built in this reactor: ship its packaged jar
        Path packaged = packagedJarBeside(entry);
        if (packaged != null && !packaged.toString().equals(jar)) {
          jars.add(packaged.toString());
        }
      }
    }
    return jars;
  }

  private static Path packagedJarBeside(Path classes) {
    Path target = classes.getParent();
    try (var files = Files.list(target)) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jar"))
          .filter(f -> !f.getFileName().toString().endsWith("-tests.jar"))
          .findFirst()
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean providedBySpark(String path) {
    String normalized = path.replace('\\', '/');
    return normalized.contains("/org/apache/spark/spark-")
        || normalized.contains("/org/scala-lang/")
        || normalized.contains("/org/apache/hadoop/")
        || normalized.contains("/com/fasterxml/jackson/");
  }

  /** The last result and error lines a job printed, read in one pass over its log. */
  private record Outcome(Optional<String> result, Optional<String> error) {
    static Outcome readFrom(Path log) {
      String result = null;
      String error = null;
      try (var lines = Files.lines(log)) {
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.startsWith(RESULT_PREFIX)) {
            result = line.substring(RESULT_PREFIX.length());
          } else if (line.startsWith(ERROR_PREFIX)) {
            error = line.substring(ERROR_PREFIX.length());
          }
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        // an unreadable log reports neither; the exit code and the log's path still do
      }
      return new Outcome(Optional.ofNullable(result), Optional.ofNullable(error));
    }
  }

  private static Map<String, Object> parseSummary(String json, Path log) {
    try {
      return JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR,
          "cannot parse the job's summary '%s' (log: %s)".formatted(json, log),
          e);
    }
  }
}
