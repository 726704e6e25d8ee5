package io.floe.app.pipeline;

import io.floe.core.config.SparkConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.JavaRuntimes;
import io.floe.core.process.Ports;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Spark standalone cluster for tests: a master and workers of one core each, every one its own
 * process started from spark-core's classes, with a Spark home whose {@code jars/} holds Spark and
 * its dependencies only, so Iceberg, the AWS SDK and Floe's jars reach the executors through {@code
 * spark.jars} as on a real cluster.
 */
public final class StandaloneCluster implements AutoCloseable {
  private static final String JOB_ONLY = "/org/apache/iceberg/|/software/amazon/|/io/floe/";

  private final Path base;
  private final String master;
  private final int uiPort;
  private final List<ChildProcess> processes;

  private StandaloneCluster(Path base, String master, int uiPort, List<ChildProcess> processes) {
    this.base = base;
    this.master = master;
    this.uiPort = uiPort;
    this.processes = processes;
  }

  /** Starts a master and {@code workers} workers under target/ and waits until all are alive. */
  public static StandaloneCluster start(int workers) throws IOException {
    Path base = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "spark-standalone-");
    Path sparkHome = sparkHome(base.resolve("spark-home"));
    int masterPort = Ports.anyFree();
    int masterUi = Ports.anyFree();
    List<ChildProcess> processes = new ArrayList<>();
    String master = "spark://127.0.0.1:" + masterPort;
    StandaloneCluster cluster = new StandaloneCluster(base, master, masterUi, processes);
    try {
      processes.add(
          start(
              sparkHome,
              base,
              "master",
              "org.apache.spark.deploy.master.Master",
              "--host",
              "127.0.0.1",
              "--port",
              Integer.toString(masterPort),
              "--webui-port",
              Integer.toString(masterUi)));
      for (int i = 1; i <= workers; i++) {
        processes.add(
            start(
                sparkHome,
                base,
                "worker-" + i,
                "org.apache.spark.deploy.worker.Worker",
                "--host",
                "127.0.0.1",
                "--webui-port",
                Integer.toString(Ports.anyFree()),
                "--cores",
                "1",
                "--memory",
                "2g",
                "--work-dir",
                base.resolve("work-" + i).toString(),
                master));
      }
      processes
          .get(0)
          .awaitReady(
              () ->
                  cluster
                      .masterJson()
                      .matches("(?s).*\"aliveworkers\"\\s*:\\s*" + workers + "\\b.*"),
              Duration.ofSeconds(90));
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  /** A launcher that runs jobs' drivers in a child JVM here and their executors on the cluster. */
  public SparkJobLauncher launcher() {
    return new SparkJobLauncher(
        new SparkConfig(
            master,
            SparkConfig.SubmitMode.CHILD_JVM,
            Optional.empty(),
            "1g",
            "1g",
            Map.of("spark.cores.max", "2", "spark.sql.shuffle.partitions", "4"),
            SparkConfig.JOB_LOGS_KEPT_DEFAULT),
        RuntimeLayout.discover(),
        base.resolve("jobs"));
  }

  /** The master's state as its web UI reports it (applications, workers), or "" when down. */
  public String masterJson() {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + uiPort + "/json/"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200 ? response.body() : "";
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** Whether a finished application of that name is in the master's list. */
  public boolean finished(String applicationName) {
    return masterJson()
        .matches(
            "(?s).*\"completedapps\"\\s*:\\s*\\[.*\"name\"\\s*:\\s*\""
                + applicationName
                + "\".*\"state\"\\s*:\\s*\"FINISHED\".*");
  }

  /** The work directory of worker {@code index} (1-based), where executors leave their files. */
  public Path workDirectory(int index) {
    return base.resolve("work-" + index);
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    // executors leave ~50 MB of fetched jars per application in the work directories
    try (var paths = Files.walk(base)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // left under target/, which the next clean removes
    }
  }

  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    // a distribution's marker: Spark's launcher then takes jars/ as the executors' classpath
    Files.writeString(home.resolve("RELEASE"), "Spark 3.5.9 (jars linked by StandaloneCluster)\n");
    for (Path entry : RuntimeLayout.discover().classpath(TransformStage.MODULE)) {
      String path = entry.toString().replace('\\', '/');
      if (path.endsWith(".jar") && !path.matches(".*(" + JOB_ONLY + ").*")) {
        Path link = jars.resolve(entry.getFileName());
        if (!Files.exists(link)) {
          Files.createSymbolicLink(link, entry);
        }
      }
    }
    return home;
  }

  private static ChildProcess start(
      Path sparkHome, Path base, String name, String mainClass, String... args) {
    List<String> options = new ArrayList<>(SparkJobLauncher.JAVA_17_OPTIONS);
    options.add("-Xmx256m");
    JavaCommand command =
        new JavaCommand(
                JavaRuntimes.current(),
                options,
                List.of(sparkHome.resolve("conf"), sparkHome.resolve("jars").resolve("*")),
                mainClass,
                List.of(args),
                Map.of())
            .withEnvironment(
                Map.of(
                    "SPARK_HOME", sparkHome.toString(),
                    "SPARK_LOCAL_IP", "127.0.0.1",
                    // else the worker's launcher looks for a source build ("Cannot find any build
                    // directories") before it looks at jars/
                    "SPARK_SCALA_VERSION", "2.12"));
    return ChildProcess.start(
        "Spark " + name, command, base.resolve(name), base.resolve(name + ".log"));
  }
}
