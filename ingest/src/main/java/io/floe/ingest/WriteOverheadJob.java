package io.floe.ingest;

import io.floe.spark.JobArguments;
import io.floe.spark.JobRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * Measures what an Iceberg write costs over a plain Parquet write of the same rows, side by side in
 * one Spark session: the rows of a bronze table, cached, written in alternating rounds as plain
 * Parquet files, as an Iceberg table in a local Hadoop catalog (same disk, so the difference is
 * Iceberg's metadata and commit), and as an Iceberg table through the REST catalog to S3 (the real
 * path of an ingest commit). Reports the median of each and the ratios.
 *
 * <p>Arguments: {@code --source <table>} (one or more, comma-separated), {@code --rounds <n>},
 * {@code --dir <local scratch directory>}.
 */
public final class WriteOverheadJob {
  private WriteOverheadJob() {}

  public static void main(String[] args) {
    JobRunner.run("write-overhead", args, WriteOverheadJob::run);
  }

  static Map<String, Object> run(SparkSession spark, JobArguments arguments) throws Exception {
    int rounds = (int) arguments.longValue("rounds", 3);
    Path dir = Path.of(arguments.required("dir")).toAbsolutePath();
    Files.createDirectories(dir);
    spark.conf().set("spark.sql.catalog.bench_local", "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog.bench_local.type", "hadoop");
    spark
        .conf()
        .set("spark.sql.catalog.bench_local.warehouse", dir.resolve("iceberg").toUri().toString());
    Map<String, Object> summary = new LinkedHashMap<>();
    for (String source : arguments.required("source").split(",")) {
      String name = source.substring(source.lastIndexOf('.') + 1);
      Dataset<Row> rows = spark.table(source).persist(StorageLevel.MEMORY_AND_DISK());
      long count = rows.count();
      String namespace = source.substring(0, source.lastIndexOf('.'));
      List<Long> parquet = new ArrayList<>();
      List<Long> icebergLocal = new ArrayList<>();
      List<Long> icebergRest = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        String parquetPath = dir.resolve("parquet").resolve(name + "-" + round).toUri().toString();
        parquet.add(time(() -> rows.write().mode(SaveMode.Overwrite).parquet(parquetPath)));
        String local = "bench_local.bench." + name + "_" + round;
        spark.sql("DROP TABLE IF EXISTS " + local);
        icebergLocal.add(time(() -> rows.writeTo(local).using("iceberg").create()));
        String rest = namespace + ".bench_" + name + "_" + round;
        spark.sql("DROP TABLE IF EXISTS " + rest + " PURGE");
        icebergRest.add(time(() -> rows.writeTo(rest).using("iceberg").create()));
        spark.sql("DROP TABLE IF EXISTS " + rest + " PURGE");
      }
      rows.unpersist();
      long p = median(parquet);
      long l = median(icebergLocal);
      long r = median(icebergRest);
      summary.put(name + ".rows", count);
      summary.put(name + ".parquet-local-ms", p);
      summary.put(name + ".iceberg-local-ms", l);
      summary.put(name + ".iceberg-rest-s3-ms", r);
      summary.put(name + ".ratio-iceberg-local-to-parquet", Math.round(100.0 * l / p) / 100.0);
      summary.put(name + ".ratio-iceberg-rest-s3-to-parquet", Math.round(100.0 * r / p) / 100.0);
    }
    return summary;
  }

  private interface Write {
    void run() throws Exception;
  }

  private static long time(Write write) throws Exception {
    long begin = System.nanoTime();
    write.run();
    return (System.nanoTime() - begin) / 1_000_000;
  }

  private static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
