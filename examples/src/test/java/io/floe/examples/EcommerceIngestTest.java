package io.floe.examples;

import static io.floe.examples.ExamplePipelines.checkpointObjects;
import static io.floe.examples.ExamplePipelines.postgresLong;
import static io.floe.examples.ExamplePipelines.trino;
import static io.floe.examples.ExamplePipelines.trinoLong;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.examples.junit.UpstreamExtension;
import io.floe.pipeline.IngestReport;
import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.pipeline.S3Access;
import io.floe.pipeline.S3Location;
import io.floe.pipeline.TableIngest;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The e-commerce and tweets sources into bronze, against a real PostgreSQL, Kafka broker, S3
 * server, REST catalog, Spark and Trino: counts against the upstream, quarantine accounting,
 * incremental reruns that read nothing twice and lose nothing, exactly-once Kafka across runs.
 */
@ExtendWith({LakehouseExtension.class, UpstreamExtension.class})
class EcommerceIngestTest {
  private static final List<String> JDBC_TABLES =
      List.of(
          "users",
          "buyers",
          "sellers",
          "categories",
          "products",
          "product_x_category",
          "seller_x_product",
          "orders",
          "order_items");

  @Test
  void incrementalRunsReadNothingTwiceAndLoseNothing(
      Lakehouse lakehouse, EcommerceUpstream upstream) throws Exception {
    String name = lakehouse.namespace();
    StackEndpoints stack = lakehouse.endpoints();
    PipelineConfig pipeline = ExamplePipelines.isolated(name);
    GeneratedBatch first =
        ExamplePipelines.generator(upstream, stack, name).orders(1500).defectRate(0.02).generate();
    GeneratedTweets tweets =
        Generator.tweets()
            .count(3000)
            .defectRate(0.02)
            .upload(stack, "landing/" + name + "/tweets/tweets.tsv");
    assertThat(first.clickstreamMalformed()).isPositive();
    assertThat(first.inventoryMalformed()).isPositive();
    assertThat(tweets.malformed()).isPositive();

    IngestReport report = ingest(lakehouse, upstream, pipeline);
    for (String table : JDBC_TABLES) {
      assertThat(rows(report, name, table))
          .as(table)
          .isEqualTo(first.inserted(table))
          .isEqualTo(postgresLong(upstream, name, "SELECT count(*) FROM public." + table))
          .isEqualTo(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.%s".formatted(name, table)));
    }
    // every input line lands once: valid in the table, malformed in quarantine
    TableIngest clicks = report.table(name + ".clickstream").orElseThrow();
    assertThat(clicks.rows() + clicks.quarantined()).isEqualTo(first.clickstreamLines());
    assertThat(clicks.quarantined()).isEqualTo(first.clickstreamMalformed());
    assertThat(clicks.files()).isEqualTo(first.clickstreamFiles().size());
    assertThat(
            trinoLong(
                stack, "SELECT count(*) FROM iceberg.%s.clickstream_quarantine".formatted(name)))
        .isEqualTo(first.clickstreamMalformed());
    Map<String, Long> reasons = reasons(stack, name + ".clickstream_quarantine");
    assertThat(reasons.getOrDefault("malformed JSON", 0L))
        .isEqualTo(first.defects(GeneratedBatch.Defect.CLICKSTREAM_MALFORMED_JSON));
    assertThat(reasons.getOrDefault("column event_id: missing required value", 0L))
        .isEqualTo(first.defects(GeneratedBatch.Defect.CLICKSTREAM_MISSING_REQUIRED));
    assertThat(
            trinoLong(
                stack,
                "SELECT count(*) FROM iceberg.%s.clickstream_quarantine WHERE raw IS NULL OR _source NOT LIKE 's3://%%' OR _source_offset < 1"
                    .formatted(name)))
        .isZero();
    TableIngest inventory = report.table(name + ".inventory_events").orElseThrow();
    assertThat(inventory.rows()).isEqualTo(first.inventoryMessages() - first.inventoryMalformed());
    assertThat(inventory.quarantined()).isEqualTo(first.inventoryMalformed());
    TableIngest tweetRows = report.table(name + ".tweets").orElseThrow();
    assertThat(tweetRows.rows()).isEqualTo(tweets.valid());
    assertThat(tweetRows.quarantined()).isEqualTo(tweets.malformed());
    assertThat(reasons(stack, name + ".tweets_quarantine"))
        .containsKey("expected 5 columns, found 3");

    // maintenance expires the snapshots whose summaries recorded what was consumed (the files
    // taken, the watermark reached); what the ingest remembers must outlive them
    forgetConsumedSummaries(stack, name + ".clickstream");
    forgetConsumedSummaries(stack, name + ".orders");

    // a rerun with nothing new reads nothing: no rows, every file skipped; only the full-mode
    // table is read whole again and replaced by the same content
    IngestReport rerun = ingest(lakehouse, upstream, pipeline);
    assertThat(rerun.rows())
        .isEqualTo(rows(rerun, name, "categories"))
        .isEqualTo(first.inserted("categories"));
    assertThat(rerun.quarantined()).isZero();
    assertThat(rerun.table(name + ".clickstream").orElseThrow().skippedFiles())
        .isEqualTo(first.clickstreamFiles().size());
    for (String table : JDBC_TABLES) {
      assertThat(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.%s".formatted(name, table)))
          .as(table)
          .isEqualTo(first.inserted(table));
    }

    // a second batch: new rows and updated rows arrive once each
    GeneratedBatch second =
        ExamplePipelines.generator(upstream, stack, name).orders(500).defectRate(0.02).generate();
    assertThat(second.batch()).isEqualTo(1);
    assertThat(second.updated("orders")).isPositive();
    assertThat(second.updated("products")).isPositive();
    // beside them lands a truncated copy of one of them: it must neither fail the run nor vanish
    long truncatedLines = landTruncatedCopy(stack, second.clickstreamFiles().get(0));
    IngestReport next = ingest(lakehouse, upstream, pipeline);
    for (String table : JDBC_TABLES) {
      long expected =
          table.equals("categories")
              ? first.inserted(table)
              : second.inserted(table) + second.updated(table);
      assertThat(rows(next, name, table)).as(table).isEqualTo(expected);
    }
    for (String table : List.of("orders", "products", "users")) {
      String key =
          table.equals("orders") ? "order_id" : table.equals("products") ? "product_id" : "user_id";
      // no version read twice, and the newest version of each key is exactly the upstream row
      assertThat(
              trinoLong(
                  stack,
                  "SELECT count(*) - count(DISTINCT (%s, updated_at)) FROM iceberg.%s.%s"
                      .formatted(key, name, table)))
          .isZero();
      String newest =
          "SELECT %s, to_iso8601(max(updated_at)) FROM iceberg.%s.%s GROUP BY %s ORDER BY %s"
              .formatted(key, name, table, key, key);
      String upstreamNewest =
          "SELECT %s, to_char(updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') FROM public.%s ORDER BY %s"
              .formatted(key, table, key);
      assertThat(normalize(trino(stack, newest)))
          .isEqualTo(normalize(ExamplePipelines.postgres(upstream, name, upstreamNewest)));
    }
    TableIngest clicks2 = next.table(name + ".clickstream").orElseThrow();
    // the truncated file's whole lines are read like any others, and one quarantine row (no raw
    // line) says where it broke
    assertThat(clicks2.rows() + clicks2.quarantined())
        .isEqualTo(second.clickstreamLines() + truncatedLines + 1);
    assertThat(
            trino(
                stack,
                "SELECT reason, _source_offset FROM iceberg.%s.clickstream_quarantine WHERE raw IS NULL"
                    .formatted(name)))
        .containsExactly(
            List.of(
                "the gzip data ends after line %d: the file is truncated".formatted(truncatedLines),
                truncatedLines + 1));
    assertThat(clicks2.skippedFiles()).isEqualTo(first.clickstreamFiles().size());
    // Kafka: every message of both batches exactly once, by offset
    long messages = first.inventoryMessages() + second.inventoryMessages();
    long malformed = first.inventoryMalformed() + second.inventoryMalformed();
    assertThat(trinoLong(stack, "SELECT count(*) FROM iceberg.%s.inventory_events".formatted(name)))
        .isEqualTo(messages - malformed);
    assertThat(
            trinoLong(
                stack,
                "SELECT count(DISTINCT _source_offset) FROM iceberg.%s.inventory_events"
                    .formatted(name)))
        .isEqualTo(messages - malformed);
    assertThat(
            trinoLong(
                stack,
                "SELECT count(*) FROM iceberg.%s.inventory_events_quarantine".formatted(name)))
        .isEqualTo(malformed);
    // the stream's checkpoint is in the object store: two available-now runs with data, two
    // micro-batches offered and committed (the empty rerun between them adds none)
    assertThat(checkpointObjects(stack, name, "inventory_events"))
        .contains("metadata", "offsets/0", "commits/0", "offsets/1", "commits/1");
  }

  /**
   * A commit that records nothing consumed (as compaction's), then expiry of every snapshot but
   * that one.
   */
  private static void forgetConsumedSummaries(StackEndpoints stack, String table) {
    try (RESTCatalog catalog = stack.catalogConnection().open("expiry-test")) {
      Table loaded = catalog.loadTable(TableIdentifier.parse(table));
      loaded.newAppend().commit();
      loaded.expireSnapshots().expireOlderThan(System.currentTimeMillis()).retainLast(1).commit();
      loaded.refresh();
      assertThat(loaded.snapshots()).hasSize(1);
      assertThat(loaded.currentSnapshot().summary())
          .doesNotContainKeys("floe.source-files", "floe.watermark");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static IngestReport ingest(
      Lakehouse lakehouse, EcommerceUpstream upstream, PipelineConfig pipeline) {
    return IngestStage.of(pipeline, lakehouse.endpoints(), lakehouse.sparkJobs())
        .upstream(upstream.endpoints())
        .home(lakehouse.config().home())
        .run();
  }

  private static long rows(IngestReport report, String namespace, String table) {
    return report.table(namespace + "." + table).orElseThrow().rows();
  }

  /**
   * Puts the first half of the gzip file {@code original} beside it, as an upload cut short would
   * leave it; returns how many whole lines that half holds.
   */
  private static long landTruncatedCopy(StackEndpoints stack, String original) throws IOException {
    S3Location source = S3Location.parse(original);
    S3Location target =
        new S3Location(source.bucket(), source.key().replace(".jsonl.gz", "-cut.jsonl.gz"));
    try (S3Client s3 = S3Access.client(stack)) {
      byte[] whole =
          s3.getObjectAsBytes(b -> b.bucket(source.bucket()).key(source.key())).asByteArray();
      byte[] half = Arrays.copyOf(whole, whole.length / 2);
      s3.putObject(b -> b.bucket(target.bucket()).key(target.key()), RequestBody.fromBytes(half));
      long lines = 0;
      try (BufferedReader reader =
          new BufferedReader(
              new InputStreamReader(
                  new GZIPInputStream(new ByteArrayInputStream(half)), StandardCharsets.UTF_8))) {
        while (reader.readLine() != null) {
          lines++;
        }
      } catch (EOFException expected) {
        // where the cut falls: the lines read so far are the whole ones
      }
      return lines;
    }
  }

  private static Map<String, Long> reasons(StackEndpoints stack, String table) throws Exception {
    return trino(
            stack,
            "SELECT CASE WHEN reason LIKE 'malformed JSON%%' THEN 'malformed JSON' ELSE reason END, count(*) FROM iceberg.%s GROUP BY 1"
                .formatted(table))
        .stream()
        .collect(
            Collectors.toMap(
                row -> (String) row.get(0), row -> ((Number) row.get(1)).longValue(), Long::sum));
  }

  private static List<String> normalize(List<List<Object>> rows) {
    return rows.stream()
        .map(
            row ->
                row.get(0)
                    + "|"
                    + String.valueOf(row.get(1)).replaceAll("(\\.0+)?(Z|\\+00:00)?$", ""))
        .toList();
  }
}
