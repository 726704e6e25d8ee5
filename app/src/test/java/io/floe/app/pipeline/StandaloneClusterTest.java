package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.SparkConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.JavaRuntimes;
import io.floe.core.process.Ports;
import io.floe.core.process.RuntimeLayout;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
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
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scale-out proof: a Spark standalone master and two workers, each its own process started from
 * spark-core's classes, run the transform job unchanged; its gold equals a local run's.
 */
@ExtendWith(LakehouseExtension.class)
class StandaloneClusterTest {
  private static final String JOB_ONLY = "/org/apache/iceberg/|/software/amazon/|/io/floe/";

  @Test
  void transformJobRunsUnchangedOnAStandaloneCluster(Lakehouse lakehouse) throws Exception {
    String ns = lakehouse.namespace();
    String bronze = ns + "_bronze";
    TransformStage.Namespaces local =
        new TransformStage.Namespaces(bronze, ns + "_s_local", ns + "_g_local");
    TransformStage.Namespaces cluster =
        new TransformStage.Namespaces(bronze, ns + "_s_cluster", ns + "_g_cluster");
    Path base = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "spark-standalone-");
    Path sparkHome = sparkHome(base.resolve("spark-home"));
    int masterPort = Ports.anyFree();
    int masterUi = Ports.anyFree();
    List<ChildProcess> processes = new ArrayList<>();
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("test")) {
      TweetsData tweets = new TweetsData(1, 300);
      tweets.writeTo(catalog, bronze);

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
      String master = "spark://127.0.0.1:" + masterPort;
      for (int i = 1; i <= 2; i++) {
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
              () -> masterJson(masterUi).matches("(?s).*\"aliveworkers\"\\s*:\\s*2\\b.*"),
              Duration.ofSeconds(90));

      SparkJobLauncher onCluster =
          new SparkJobLauncher(
              new SparkConfig(
                  master,
                  SparkConfig.SubmitMode.CHILD_JVM,
                  Optional.empty(),
                  "1g",
                  "1g",
                  Map.of("spark.cores.max", "2", "spark.sql.shuffle.partitions", "4")),
              RuntimeLayout.discover(),
              base.resolve("jobs"));
      Map<String, String> conf = lakehouse.endpoints().sparkCatalogConf("floe");
      PipelineSummary clusterRun =
          Pipeline.named("tweets")
              .stage(new TransformStage(TransformStage.Kind.TWEETS, cluster, onCluster, conf))
              .build()
              .run("c1", Progress.silent());
      assertThat(masterJson(masterUi))
          .containsPattern(
              "(?s)\"completedapps\"\\s*:\\s*\\[\\s*\\{.*\"name\"\\s*:\\s*\"floe-TransformJob\""
                  + ".*\"state\"\\s*:\\s*\"FINISHED\"");
      // both workers ran an executor of the job
      for (int i = 1; i <= 2; i++) {
        try (var apps = Files.list(base.resolve("work-" + i))) {
          assertThat(apps.filter(Files::isDirectory))
              .as("applications on worker " + i)
              .isNotEmpty();
        }
      }

      PipelineSummary localRun =
          Pipeline.named("tweets")
              .stage(
                  new TransformStage(
                      TransformStage.Kind.TWEETS, local, lakehouse.sparkJobs(), conf))
              .build()
              .run("c1", Progress.silent());
      assertThat(clusterRun.count(StageOutcome.DROPPED))
          .isEqualTo(localRun.count(StageOutcome.DROPPED))
          .isEqualTo(1);
      for (String table : List.of("tweets_per_hour", "tweets_per_day")) {
        String key = table.endsWith("hour") ? "hour" : "day";
        Map<Object, Long> onClusterRows =
            TweetsData.read(catalog, new TableRef(cluster.gold(), table), "audit_c1", key);
        assertThat(onClusterRows)
            .isNotEmpty()
            .isEqualTo(
                TweetsData.read(catalog, new TableRef(local.gold(), table), "audit_c1", key));
      }
      assertThat(
              TweetsData.read(
                  catalog, new TableRef(cluster.gold(), "tweets_per_day"), "audit_c1", "day"))
          .isEqualTo(new java.util.TreeMap<>(tweets.perDay()));
    } finally {
      for (int i = processes.size() - 1; i >= 0; i--) {
        processes.get(i).close();
      }
      // executors leave ~50 MB of fetched jars per application in the work directories
      deleteRecursively(base);
    }
  }

  /**
   * A Spark home whose {@code jars/} links Spark and its dependencies only: Iceberg, the AWS SDK
   * and Floe's jars must reach the executors through {@code spark.jars}, as on a real cluster.
   */
  private static Path sparkHome(Path home) throws IOException {
    Path jars = Files.createDirectories(home.resolve("jars"));
    Files.createDirectories(home.resolve("conf"));
    // a distribution's marker: Spark's launcher then takes jars/ as the executors' classpath
    Files.writeString(
        home.resolve("RELEASE"), "Spark 3.5.9 (jars linked by StandaloneClusterTest)\n");
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

  private static void deleteRecursively(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  private static String masterJson(int uiPort) {
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
}
