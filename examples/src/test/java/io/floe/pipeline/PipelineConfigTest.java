package io.floe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.config.ConfigException;
import io.floe.core.config.FloeConfig;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineConfigTest {

  @Test
  void withoutAPipelineSectionTheBuiltInExampleRuns() {
    PipelineConfig pipeline = PipelineConfig.of(FloeConfig.defaults());
    assertThat(pipeline.bronzeNamespace()).isEqualTo("bronze");
    assertThat(pipeline.targets())
        .containsExactly(
            "users",
            "buyers",
            "sellers",
            "categories",
            "products",
            "product_x_category",
            "seller_x_product",
            "orders",
            "order_items",
            "clickstream",
            "tweets",
            "inventory_events");
    PostgresSource shop = pipeline.postgres().get(0);
    assertThat(shop.embedded()).isTrue();
    assertThat(shop.database()).isEqualTo("shop");
    assertThat(shop.lookback()).isEqualTo(PipelineConfig.LOOKBACK_DEFAULT).hasMinutes(5);
    assertThat(shop.tables().get(3))
        .isEqualTo(new JdbcTable("categories", "categories", JdbcTable.Mode.FULL, "updated_at"));
    FileSource clicks = pipeline.files().get(0);
    assertThat(clicks.format()).isEqualTo(FileSource.Format.JSONL);
    assertThat(clicks.compression()).isEqualTo(PipelineConfig.COMPRESSION_DEFAULT);
    assertThat(clicks.columns().get(2))
        .isEqualTo(new Column("event_ts", Column.Type.TIMESTAMPTZ, 0, 0, true));
    KafkaSource inventory = pipeline.kafka().get(0);
    assertThat(inventory.trigger()).isEqualTo(KafkaSource.Trigger.AVAILABLE_NOW);
    assertThat(inventory.interval()).isEqualTo(PipelineConfig.INTERVAL_DEFAULT);
    assertThat(inventory.startingOffsets()).isEqualTo("earliest");
    assertThat(inventory.checkpoint()).isEmpty();
  }

  @Test
  void defaultsAndExplicitValues() {
    PipelineConfig pipeline =
        parse(
            """
            pipeline:
              sources:
                crm:
                  kind: postgres
                  jdbc-url: jdbc:postgresql://db:5432/crm
                  user: reader
                  password: ${PG_PASSWORD}
                  lookback: 0s
                  tables:
                    accounts: {}
                    regions: {mode: full, target: crm_regions, watermark: changed_at}
                prices:
                  kind: files
                  path: s3://landing/prices
                  format: csv
                  header: false
                  compression: gzip
                  columns: {sku: string not null, price: 'decimal(10,3)', day: date}
                events:
                  kind: kafka
                  bootstrap-servers: kafka:9092
                  topic: events
                  trigger: continuous
                  interval: 30s
                  checkpoint: s3://checkpoints/events
                  columns: {id: bigint not null}
              downloads:
                dump:
                  url: https://example.org/dump.tsv
                  sha256: 9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08
                  target: landing/dump/dump.tsv
                  part-size: 16MB
            """);
    assertThat(pipeline.bronzeNamespace()).isEqualTo(PipelineConfig.BRONZE_NAMESPACE_DEFAULT);
    PostgresSource crm = pipeline.postgres().get(0);
    assertThat(crm.jdbcUrl()).contains("jdbc:postgresql://db:5432/crm");
    assertThat(crm.password()).contains("secret");
    assertThat(crm.schema()).isEqualTo("public");
    assertThat(crm.lookback()).isZero();
    assertThat(crm.tables())
        .containsExactly(
            new JdbcTable("accounts", "accounts", JdbcTable.Mode.INCREMENTAL, "updated_at"),
            new JdbcTable("regions", "crm_regions", JdbcTable.Mode.FULL, "changed_at"));
    FileSource prices = pipeline.files().get(0);
    assertThat(prices.path()).isEqualTo("s3://landing/prices/");
    assertThat(prices.header()).isFalse();
    assertThat(prices.target()).isEqualTo("prices");
    assertThat(prices.columns().get(1).declaration()).isEqualTo("decimal(10,3)");
    KafkaSource events = pipeline.kafka().get(0);
    assertThat(events.trigger()).isEqualTo(KafkaSource.Trigger.CONTINUOUS);
    assertThat(events.interval()).hasSeconds(30);
    assertThat(events.columns().get(0).declaration()).isEqualTo("long not null");
    DownloadSpec dump = pipeline.downloads().get(0);
    assertThat(dump.sha256())
        .contains("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08");
    assertThat(dump.partSize()).isEqualTo(16L << 20);
  }

  @Test
  void errorsNameTheFileTheKeyAndWhatIsAllowed() {
    assertError(
        "pipeline: {sources: {x: {kind: ftp}}}",
        "test.yaml: pipeline.sources.x.kind: 'ftp' is not allowed; allowed values are postgres, files, kafka");
    assertError(
        "pipeline: {sources: {x: {path: a/}}}", "test.yaml: pipeline.sources.x.kind: missing");
    assertError(
        "pipeline: {sources: {x: {kind: files, path: a/, format: jsonl, columns: {a: varchar2}}}}",
        "test.yaml: pipeline.sources.x.columns.a: 'varchar2' is not a column type");
    assertError(
        "pipeline: {sources: {x: {kind: files, path: a/, format: xml, columns: {a: long}}}}",
        "test.yaml: pipeline.sources.x.format: 'xml' is not allowed; allowed values are csv, tsv, jsonl");
    assertError(
        "pipeline: {sources: {x: {kind: files, format: csv, columns: {a: long}}}}",
        "test.yaml: pipeline.sources.x.path: missing");
    assertError(
        "pipeline: {sources: {x: {kind: files, path: a/, format: csv}}}",
        "test.yaml: pipeline.sources.x.columns: declare at least one column");
    assertError(
        "pipeline: {sources: {x: {kind: postgres, tables: {t: {mode: sometimes}}}}}",
        "test.yaml: pipeline.sources.x.tables.t.mode: 'sometimes' is not allowed; allowed values are incremental, full");
    assertError(
        "pipeline: {sources: {x: {kind: postgres, jdbc-url: 'jdbc:mysql://h/d', tables: {t: {}}}}}",
        "test.yaml: pipeline.sources.x.jdbc-url: 'jdbc:mysql://h/d' is not a jdbc:postgresql: URL");
    assertError(
        "pipeline: {sources: {x: {kind: postgres, lookback: soon, tables: {t: {}}}}}",
        "test.yaml: pipeline.sources.x.lookback: 'soon' is not a duration");
    assertError(
        "pipeline: {sources: {x: {kind: kafka, columns: {a: long}}}}",
        "test.yaml: pipeline.sources.x.topic: missing");
    assertError(
        "pipeline: {sources: {a: {kind: kafka, topic: t, target: same, columns: {a: long}}, b: {kind: files, path: p/, format: csv, target: same, columns: {a: long}}}}",
        "test.yaml: pipeline.sources.b: bronze table 'same' is already the target of another source");
    assertError(
        "pipeline: {downloads: {d: {url: 'ftp://x/y', target: k}}}",
        "test.yaml: pipeline.downloads.d.url: 'ftp://x/y' is not an http or https URL");
    assertError(
        "pipeline: {downloads: {d: {url: 'http://x/y', target: k, sha256: abc}}}",
        "test.yaml: pipeline.downloads.d.sha256: 'abc' is not a SHA-256 (64 hex digits)");
    assertError(
        "pipeline: {downloads: {d: {url: 'http://x/y', target: k, part-size: 1MB}}}",
        "test.yaml: pipeline.downloads.d.part-size: 1048576 bytes is below S3's minimum part size of 5MB");
    assertError(
        "pipeline: {bronze-namespace: Bronze-1}",
        "test.yaml: pipeline.bronze-namespace: 'Bronze-1' is not a valid name");
    assertError("pipeline: {source: {}}", "test.yaml: pipeline.source: unknown key");
  }

  @Test
  void floeYamlPipelineSectionReplacesTheBuiltInExample() {
    FloeConfig config =
        FloeConfig.parse(
            "floe.yaml",
            "pipeline: {bronze-namespace: raw, sources: {t: {kind: files, path: x/, format: tsv, columns: {a: int}}}}",
            name -> null,
            Path.of(""));
    PipelineConfig pipeline = PipelineConfig.of(config);
    assertThat(pipeline.source()).isEqualTo("floe.yaml");
    assertThat(pipeline.bronzeNamespace()).isEqualTo("raw");
    assertThat(pipeline.targets()).containsExactly("t");
  }

  private static PipelineConfig parse(String yaml) {
    return PipelineConfig.parse("test.yaml", yaml, Map.of("PG_PASSWORD", "secret")::get);
  }

  private static void assertError(String yaml, String message) {
    assertThatThrownBy(() -> parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
