package io.floe.transform;

import java.util.List;
import java.util.Map;

/**
 * Bronze tweets to gold counts per hour and per day (UTC), each tweet id counted once. The counts
 * are recomputed in full when {@code bronze.tweets} has a new snapshot, and left alone otherwise.
 */
final class TweetsGold {
  private final TransformRun run;
  private final GoldTable gold;

  TweetsGold(TransformRun run) {
    this.run = run;
    this.gold = new GoldTable(run);
  }

  void run() {
    var spark = run.spark();
    String source = run.bronze("tweets");
    Map<String, Long> inputs = gold.inputSnapshots(List.of(source), false);
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + run.goldNamespace());
    String perHour = run.gold("tweets_per_hour");
    String perDay = run.gold("tweets_per_day");
    gold.prepare(perHour, "hour TIMESTAMP, tweet_count BIGINT");
    gold.prepare(perDay, "day DATE, tweet_count BIGINT");
    if (!inputs.isEmpty()) {
      spark
          .read()
          .format("iceberg")
          .option("snapshot-id", inputs.get(source))
          .load(source)
          .createOrReplaceTempView("tweets_snapshot");
      Long dropped =
          spark
              .sql("SELECT count_if(tweet_id IS NULL OR created_at IS NULL) FROM tweets_snapshot")
              .first()
              .getLong(0);
      run.report("dropped." + source, dropped);
      spark
          .sql(
              """
              SELECT tweet_id, max(created_at) AS created_at FROM tweets_snapshot
              WHERE tweet_id IS NOT NULL AND created_at IS NOT NULL GROUP BY tweet_id
              """)
          .createOrReplaceTempView("tweets_unique");
      if (gold.stale(perHour, inputs)) {
        gold.replace(
            perHour,
            inputs,
            spark.sql(
                "SELECT date_trunc('HOUR', created_at) AS hour, count(*) AS tweet_count "
                    + "FROM tweets_unique GROUP BY 1"));
      }
      if (gold.stale(perDay, inputs)) {
        gold.replace(
            perDay,
            inputs,
            spark.sql(
                "SELECT CAST(created_at AS DATE) AS day, count(*) AS tweet_count "
                    + "FROM tweets_unique GROUP BY 1"));
      }
    }
    for (String table : List.of(perHour, perDay)) {
      run.report("rows." + table, run.auditRows(table));
    }
  }
}
