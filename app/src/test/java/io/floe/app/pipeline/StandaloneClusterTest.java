package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.job.SparkJobLauncher;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The scale-out proof: a Spark standalone master and two workers, each its own process started from
 * spark-core's classes, run the transform job unchanged; its gold equals a local run's.
 */
@ExtendWith(LakehouseExtension.class)
class StandaloneClusterTest {
  @Test
  void transformJobRunsUnchangedOnAStandaloneCluster(Lakehouse lakehouse) throws Exception {
    String ns = lakehouse.namespace();
    String bronze = ns + "_bronze";
    TransformStage.Namespaces local =
        new TransformStage.Namespaces(bronze, ns + "_s_local", ns + "_g_local");
    TransformStage.Namespaces cluster =
        new TransformStage.Namespaces(bronze, ns + "_s_cluster", ns + "_g_cluster");
    try (StandaloneCluster spark = StandaloneCluster.start(2);
        RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("test")) {
      TweetsData tweets = new TweetsData(1, 300);
      tweets.writeTo(catalog, bronze);
      SparkJobLauncher onCluster = spark.launcher();
      Map<String, String> conf = lakehouse.endpoints().sparkCatalogConf("floe");
      PipelineSummary clusterRun =
          Pipeline.named("tweets")
              .stage(new TransformStage(TransformStage.Kind.TWEETS, cluster, onCluster, conf))
              .build()
              .run("c1", Progress.silent());
      assertThat(spark.finished("floe-TransformJob")).isTrue();
      // both workers ran an executor of the job
      for (int i = 1; i <= 2; i++) {
        try (var apps = Files.list(spark.workDirectory(i))) {
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
    }
  }
}
