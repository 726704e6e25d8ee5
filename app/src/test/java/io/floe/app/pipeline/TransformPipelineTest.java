package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LakehouseExtension.class)
class TransformPipelineTest {
  static final List<String> SILVER =
      List.of(
          "fact_orders",
          "fact_order_items",
          "fact_clickstream",
          "dim_buyer",
          "dim_seller",
          "dim_category",
          "dim_product",
          "bridge_product_category",
          "bridge_seller_product");
  static final List<String> GOLD = List.of("order_items_wide", "category_report", "order_report");
  static final int PRODUCTS = 10;
  static final int BUYERS = 5;
  static final int SELLERS = 3;
  static final OffsetDateTime PRICE_CHANGE =
      OffsetDateTime.of(2026, 1, 10, 0, 0, 0, 0, ZoneOffset.UTC);

  @Test
  void ecommerceSilverAndGoldAreAuditedPublishedIncrementalAndIdempotent(Lakehouse lakehouse)
      throws Exception {
    String ns = lakehouse.namespace();
    TransformStage.Namespaces namespaces =
        new TransformStage.Namespaces(ns + "_bronze", ns + "_silver", ns + "_gold");
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("test")) {
      ShopData shop = new ShopData();
      ShopData.Batch first = shop.newBatch();
      ShopData.catalog(first, PRODUCTS, BUYERS, SELLERS);
      ShopData.orders(first, 1, 40, PRODUCTS, BUYERS, SELLERS);
      OffsetDateTime order5 = ShopData.ORDERS_START.plusHours(35);
      // defects: identical duplicates, an older version of order 5 landing later, null keys
      first.add("categories", 2, "Garden", null, ShopData.CATALOG_TIME);
      first.add(
          "products",
          101L,
          "Product 101",
          "Brand 1",
          ShopData.money(637),
          "active",
          ShopData.CATALOG_TIME);
      first.add("orders", 5L, 1L, "cancelled", order5, "USD", order5.minusHours(1));
      // an identical copy of order 3 line 1
      first.add(
          "order_items",
          3L,
          1,
          104L,
          2L,
          1,
          ShopData.money(309),
          ShopData.money(0),
          ShopData.ORDERS_START.plusHours(21));
      first.add(
          "clickstream",
          "e-4",
          "checkout",
          ShopData.ORDERS_START.plusHours(28),
          1005L,
          "s-4",
          null,
          4L,
          "/checkout");
      first.add("categories", null, "Nameless", null, ShopData.CATALOG_TIME);
      first.add(
          "products", null, "Ghost", "None", ShopData.money(1), "active", ShopData.CATALOG_TIME);
      first.add("orders", null, 1L, "paid", order5, "USD", order5);
      first.add("order_items", 9L, null, 100L, 1L, 1, ShopData.money(100), null, order5);
      first.add("clickstream", null, "view", order5, 1001L, "s-x", 100L, null, "/p/100");
      first.writeTo(bronze(catalog, namespaces, "r_ingest_1"));

      PipelineSummary run1 = transform(lakehouse, namespaces, "r1");
      assertThat(run1.count(StageOutcome.DROPPED)).isEqualTo(5);

      // write-audit: everything is on audit_r1, nothing on main yet
      for (TableRef table : outputs(namespaces)) {
        Table iceberg = catalog.loadTable(table.toIdentifier());
        assertThat(iceberg.currentSnapshot()).as("main of " + table).isNull();
        assertThat(iceberg.refs()).as(table.toString()).containsKey("audit_r1");
      }
      assertThat(run1.stage("transform-ecommerce").outcome().audited())
          .hasSize(SILVER.size() + GOLD.size());
      Map<Long, Record> orders =
          byLong(read(catalog, silver(namespaces, "fact_orders"), "audit_r1"), "order_id");
      assertThat(orders).hasSize(40);
      assertThat(orders.get(5L).getField("status")).isEqualTo("returned");
      assertThat(read(catalog, silver(namespaces, "fact_order_items"), "audit_r1"))
          .hasSize(shop.items().size());
      assertThat(read(catalog, silver(namespaces, "fact_clickstream"), "audit_r1")).hasSize(40);
      assertThat(read(catalog, silver(namespaces, "dim_category"), "audit_r1")).hasSize(4);
      assertThat(read(catalog, silver(namespaces, "dim_product"), "audit_r1")).hasSize(PRODUCTS);
      assertReportsMatch(catalog, namespaces, shop, "audit_r1");

      // publish: main becomes the audit head, the audit branch goes away
      Map<TableRef, Long> auditHeads = heads(catalog, outputs(namespaces), "audit_r1");
      publish(catalog, run1);
      assertThat(heads(catalog, outputs(namespaces), Refs.MAIN)).isEqualTo(auditHeads);
      for (TableRef table : outputs(namespaces)) {
        assertThat(catalog.loadTable(table.toIdentifier()).refs()).doesNotContainKey("audit_r1");
      }
      assertReportsMatch(catalog, namespaces, shop, Refs.MAIN);

      // second batch: a product price change, an unchanged product re-sent, a cancellation, new
      // orders
      ShopData.Batch second = shop.newBatch();
      second.add(
          "products", 103L, "Product 103", "Brand 3", ShopData.money(9999), "active", PRICE_CHANGE);
      second.add(
          "products",
          104L,
          "Product 104",
          "Brand 0",
          ShopData.money(500 + 4 * 137 % 9000),
          "active",
          PRICE_CHANGE.minusDays(1));
      OffsetDateTime order7 = ShopData.ORDERS_START.plusHours(49);
      second.add("orders", 7L, 3L, "cancelled", order7, "USD", order7.plusDays(30));
      ShopData.orders(second, 41, 50, PRODUCTS, BUYERS, SELLERS);
      second.writeTo(bronze(catalog, namespaces, "r_ingest_2"));

      PipelineSummary run2 = transform(lakehouse, namespaces, "r2");
      assertThat(run2.count(StageOutcome.DROPPED)).isZero();
      // main still shows run 1 until the second publish
      assertThat(heads(catalog, outputs(namespaces), Refs.MAIN)).isEqualTo(auditHeads);
      publish(catalog, run2);
      Table factOrders = catalog.loadTable(silver(namespaces, "fact_orders").toIdentifier());
      Table bronzeOrders =
          catalog.loadTable(new TableRef(namespaces.bronze(), "orders").toIdentifier());
      assertThat(factOrders.currentSnapshot().summary())
          .containsEntry(
              "floe.consumed." + namespaces.bronze() + ".orders",
              Long.toString(bronzeOrders.currentSnapshot().snapshotId()))
          .containsEntry(Refs.SUMMARY_RUN_ID, "r2");
      orders = byLong(read(catalog, silver(namespaces, "fact_orders"), Refs.MAIN), "order_id");
      assertThat(orders).hasSize(50);
      assertThat(orders.get(7L).getField("status")).isEqualTo("cancelled");

      List<Record> products = read(catalog, silver(namespaces, "dim_product"), Refs.MAIN);
      assertThat(products).hasSize(PRODUCTS + 1);
      List<Record> history =
          products.stream()
              .filter(r -> r.getField("product_id").equals(103L))
              .sorted(Comparator.comparing(r -> (OffsetDateTime) r.getField("effective_from")))
              .toList();
      assertThat(history).hasSize(2);
      assertThat(history.get(0).getField("is_current")).isEqualTo(false);
      assertThat(history.get(0).getField("effective_to")).isEqualTo(PRICE_CHANGE);
      assertThat(history.get(1).getField("is_current")).isEqualTo(true);
      assertThat(history.get(1).getField("effective_from")).isEqualTo(PRICE_CHANGE);
      assertThat(history.get(1).getField("effective_to")).isNull();
      assertThat(history.get(1).getField("list_price")).isEqualTo(ShopData.money(9999));
      assertThat(products.stream().filter(r -> r.getField("product_id").equals(104L))).hasSize(1);

      // the wide table uses the product version in effect when the order was placed
      for (Record item : read(catalog, gold(namespaces, "order_items_wide"), Refs.MAIN)) {
        if (item.getField("product_id").equals(103L)) {
          boolean after = !((OffsetDateTime) item.getField("order_ts")).isBefore(PRICE_CHANGE);
          assertThat(item.getField("product_list_price"))
              .as("item %s/%s", item.getField("order_id"), item.getField("line_no"))
              .isEqualTo(after ? ShopData.money(9999) : ShopData.money(500 + 3 * 137 % 9000));
        }
      }
      assertReportsMatch(catalog, namespaces, shop, Refs.MAIN);

      // a rerun without new bronze data changes nothing
      Map<TableRef, Long> mainHeads = heads(catalog, outputs(namespaces), Refs.MAIN);
      Map<TableRef, Integer> snapshotCounts = snapshotCounts(catalog, outputs(namespaces));
      PipelineSummary run3 = transform(lakehouse, namespaces, "r3");
      assertThat(run3.stage("transform-ecommerce").outcome().audited()).isEmpty();
      publish(catalog, run3);
      assertThat(heads(catalog, outputs(namespaces), Refs.MAIN)).isEqualTo(mainHeads);
      assertThat(snapshotCounts(catalog, outputs(namespaces))).isEqualTo(snapshotCounts);
    }
  }

  @Test
  void tweetsPerHourAndPerDayCountEachTweetOnce(Lakehouse lakehouse) throws Exception {
    String ns = lakehouse.namespace() + "_tw";
    TransformStage.Namespaces namespaces =
        new TransformStage.Namespaces(ns + "_bronze", ns + "_silver", ns + "_gold");
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("test")) {
      TweetsData tweets = new TweetsData(1, 200);
      tweets.writeTo(catalog, namespaces.bronze());
      PipelineSummary run = tweets(lakehouse, namespaces, "t1");
      assertThat(run.count(StageOutcome.DROPPED)).isEqualTo(1);
      TableRef perHour = gold(namespaces, "tweets_per_hour");
      TableRef perDay = gold(namespaces, "tweets_per_day");
      assertThat(catalog.loadTable(perHour.toIdentifier()).currentSnapshot()).isNull();
      publish(catalog, run);
      assertThat(TweetsData.read(catalog, perHour, Refs.MAIN, "hour"))
          .isEqualTo(new TreeMap<>(tweets.perHour()));
      assertThat(TweetsData.read(catalog, perDay, Refs.MAIN, "day"))
          .isEqualTo(new TreeMap<>(tweets.perDay()));

      Map<TableRef, Long> heads = heads(catalog, List.of(perHour, perDay), Refs.MAIN);
      publish(catalog, tweets(lakehouse, namespaces, "t2"));
      assertThat(heads(catalog, List.of(perHour, perDay), Refs.MAIN)).isEqualTo(heads);
    }
  }

  static PipelineSummary tweets(
      Lakehouse lakehouse, TransformStage.Namespaces namespaces, String runId) {
    TransformStage stage =
        new TransformStage(
            TransformStage.Kind.TWEETS,
            namespaces,
            lakehouse.sparkJobs(),
            lakehouse.endpoints().sparkCatalogConf("floe"));
    return Pipeline.named("tweets").stage(stage).build().run(runId, Progress.silent());
  }

  static PipelineSummary transform(
      Lakehouse lakehouse, TransformStage.Namespaces namespaces, String runId) {
    TransformStage stage =
        new TransformStage(
            TransformStage.Kind.ECOMMERCE,
            namespaces,
            lakehouse.sparkJobs(),
            lakehouse.endpoints().sparkCatalogConf("floe"));
    return Pipeline.named("ecommerce").stage(stage).build().run(runId, Progress.silent());
  }

  static void publish(RESTCatalog catalog, PipelineSummary summary) {
    new PublishStage(Publisher.fastForward(catalog), catalog)
        .run(
            new StageContext(
                summary.pipeline(), summary.runId(), summary.stages(), Progress.silent()));
  }

  static BronzeWriter bronze(
      RESTCatalog catalog, TransformStage.Namespaces namespaces, String runId) {
    return new BronzeWriter(
        catalog, namespaces.bronze(), runId, OffsetDateTime.now(ZoneOffset.UTC));
  }

  static void assertReportsMatch(
      RESTCatalog catalog, TransformStage.Namespaces namespaces, ShopData shop, String ref) {
    List<String> categoryReport = new ArrayList<>();
    for (Record r : read(catalog, gold(namespaces, "category_report"), ref)) {
      categoryReport.add(
          "%s|%s|%s|%s|%s|%s"
              .formatted(
                  r.getField("day"),
                  r.getField("category_id"),
                  r.getField("category_name"),
                  ((BigDecimal) r.getField("avg_revenue")).toPlainString(),
                  ((BigDecimal) r.getField("median_revenue")).toPlainString(),
                  r.getField("item_count")));
    }
    List<String> orderReport = new ArrayList<>();
    for (Record r : read(catalog, gold(namespaces, "order_report"), ref)) {
      orderReport.add(
          "%s|%s|%s|%s"
              .formatted(
                  r.getField("day"),
                  r.getField("order_count"),
                  ((BigDecimal) r.getField("total_revenue")).toPlainString(),
                  ((BigDecimal) r.getField("avg_revenue")).toPlainString()));
    }
    assertThat(categoryReport)
        .isNotEmpty()
        .containsExactlyInAnyOrderElementsOf(shop.categoryReport());
    assertThat(orderReport).isNotEmpty().containsExactlyInAnyOrderElementsOf(shop.orderReport());
  }

  static List<TableRef> outputs(TransformStage.Namespaces namespaces) {
    List<TableRef> tables = new ArrayList<>();
    SILVER.forEach(name -> tables.add(silver(namespaces, name)));
    GOLD.forEach(name -> tables.add(gold(namespaces, name)));
    return tables;
  }

  static TableRef silver(TransformStage.Namespaces namespaces, String name) {
    return new TableRef(namespaces.silver(), name);
  }

  static TableRef gold(TransformStage.Namespaces namespaces, String name) {
    return new TableRef(namespaces.gold(), name);
  }

  static Map<TableRef, Long> heads(RESTCatalog catalog, List<TableRef> tables, String ref) {
    Map<TableRef, Long> heads = new LinkedHashMap<>();
    for (TableRef table : tables) {
      SnapshotRef head = catalog.loadTable(table.toIdentifier()).refs().get(ref);
      heads.put(table, head == null ? null : head.snapshotId());
    }
    return heads;
  }

  static Map<TableRef, Integer> snapshotCounts(RESTCatalog catalog, List<TableRef> tables) {
    Map<TableRef, Integer> counts = new LinkedHashMap<>();
    for (TableRef table : tables) {
      int count = 0;
      for (Snapshot ignored : catalog.loadTable(table.toIdentifier()).snapshots()) {
        count++;
      }
      counts.put(table, count);
    }
    return counts;
  }

  /** Every row of {@code table} at the head of {@code ref}, or none when the ref does not exist. */
  static List<Record> read(RESTCatalog catalog, TableRef table, String ref) {
    Table iceberg = catalog.loadTable(table.toIdentifier());
    SnapshotRef head = iceberg.refs().get(ref);
    if (head == null) {
      return List.of();
    }
    List<Record> rows = new ArrayList<>();
    try (CloseableIterable<Record> records =
        IcebergGenerics.read(iceberg).useSnapshot(head.snapshotId()).build()) {
      records.forEach(record -> rows.add(record.copy()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  static Map<Long, Record> byLong(List<Record> rows, String column) {
    Map<Long, Record> map = new TreeMap<>();
    rows.forEach(
        row ->
            assertThat(map.put((Long) row.getField(column), row))
                .as("duplicate " + column)
                .isNull());
    return map;
  }
}
