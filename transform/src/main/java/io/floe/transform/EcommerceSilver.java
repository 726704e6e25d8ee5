package io.floe.transform;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Bronze to silver for the e-commerce example: deduplicated, typed facts, dimensions and bridges,
 * upserted with MERGE on the audit branch from only the bronze snapshots not consumed yet, and the
 * SCD2 product history.
 */
final class EcommerceSilver {
  static final List<SilverTable> TABLES =
      List.of(
          new SilverTable(
              "fact_orders",
              "orders",
              List.of("order_id"),
              List.of(
                  "order_id BIGINT",
                  "buyer_id BIGINT",
                  "status STRING",
                  "order_ts TIMESTAMP",
                  "order_date DATE",
                  "currency STRING",
                  "updated_at TIMESTAMP"),
              List.of(
                  "CAST(order_id AS BIGINT)",
                  "CAST(buyer_id AS BIGINT)",
                  "lower(trim(status))",
                  "CAST(order_ts AS TIMESTAMP)",
                  "CAST(order_ts AS DATE)",
                  "upper(trim(currency))",
                  "CAST(updated_at AS TIMESTAMP)"),
              "PARTITIONED BY (days(order_ts))",
              "updated_at"),
          new SilverTable(
              "fact_order_items",
              "order_items",
              List.of("order_id", "line_no"),
              List.of(
                  "order_id BIGINT",
                  "line_no INT",
                  "product_id BIGINT",
                  "seller_id BIGINT",
                  "quantity INT",
                  "unit_price DECIMAL(12,2)",
                  "discount DECIMAL(12,2)",
                  "revenue DECIMAL(18,2)",
                  "updated_at TIMESTAMP"),
              List.of(
                  "CAST(order_id AS BIGINT)",
                  "CAST(line_no AS INT)",
                  "CAST(product_id AS BIGINT)",
                  "CAST(seller_id AS BIGINT)",
                  "CAST(quantity AS INT)",
                  "CAST(unit_price AS DECIMAL(12,2))",
                  "CAST(coalesce(discount, 0) AS DECIMAL(12,2))",
                  "CAST(quantity * unit_price - coalesce(discount, 0) AS DECIMAL(18,2))",
                  "CAST(updated_at AS TIMESTAMP)"),
              "",
              "updated_at"),
          new SilverTable(
              "fact_clickstream",
              "clickstream",
              List.of("event_id"),
              List.of(
                  "event_id STRING",
                  "event_type STRING",
                  "event_ts TIMESTAMP",
                  "user_id BIGINT",
                  "session_id STRING",
                  "product_id BIGINT",
                  "order_id BIGINT",
                  "page STRING"),
              List.of(
                  "CAST(event_id AS STRING)",
                  "lower(trim(event_type))",
                  "CAST(event_ts AS TIMESTAMP)",
                  "CAST(user_id AS BIGINT)",
                  "CAST(session_id AS STRING)",
                  "CAST(product_id AS BIGINT)",
                  "CAST(order_id AS BIGINT)",
                  "CAST(page AS STRING)"),
              "PARTITIONED BY (days(event_ts))",
              ""),
          new SilverTable(
              "dim_buyer",
              "buyers",
              List.of("buyer_id"),
              List.of(
                  "buyer_id BIGINT",
                  "user_id BIGINT",
                  "loyalty_tier STRING",
                  "created_at TIMESTAMP",
                  "updated_at TIMESTAMP"),
              List.of(
                  "CAST(buyer_id AS BIGINT)",
                  "CAST(user_id AS BIGINT)",
                  "lower(trim(loyalty_tier))",
                  "CAST(created_at AS TIMESTAMP)",
                  "CAST(updated_at AS TIMESTAMP)"),
              "",
              "updated_at"),
          new SilverTable(
              "dim_seller",
              "sellers",
              List.of("seller_id"),
              List.of(
                  "seller_id BIGINT",
                  "user_id BIGINT",
                  "company_name STRING",
                  "country STRING",
                  "created_at TIMESTAMP",
                  "updated_at TIMESTAMP"),
              List.of(
                  "CAST(seller_id AS BIGINT)",
                  "CAST(user_id AS BIGINT)",
                  "trim(company_name)",
                  "upper(trim(country))",
                  "CAST(created_at AS TIMESTAMP)",
                  "CAST(updated_at AS TIMESTAMP)"),
              "",
              "updated_at"),
          new SilverTable(
              "dim_category",
              "categories",
              List.of("category_id"),
              List.of(
                  "category_id INT",
                  "name STRING",
                  "parent_category_id INT",
                  "updated_at TIMESTAMP"),
              List.of(
                  "CAST(category_id AS INT)",
                  "trim(name)",
                  "CAST(parent_category_id AS INT)",
                  "CAST(updated_at AS TIMESTAMP)"),
              "",
              "updated_at"),
          new SilverTable(
              "bridge_product_category",
              "product_x_category",
              List.of("product_id", "category_id"),
              List.of("product_id BIGINT", "category_id INT", "updated_at TIMESTAMP"),
              List.of(
                  "CAST(product_id AS BIGINT)",
                  "CAST(category_id AS INT)",
                  "CAST(updated_at AS TIMESTAMP)"),
              "",
              "updated_at"),
          new SilverTable(
              "bridge_seller_product",
              "seller_x_product",
              List.of("seller_id", "product_id"),
              List.of(
                  "seller_id BIGINT",
                  "product_id BIGINT",
                  "price DECIMAL(12,2)",
                  "updated_at TIMESTAMP"),
              List.of(
                  "CAST(seller_id AS BIGINT)",
                  "CAST(product_id AS BIGINT)",
                  "CAST(price AS DECIMAL(12,2))",
                  "CAST(updated_at AS TIMESTAMP)"),
              "",
              "updated_at"));

  private final TransformRun run;

  EcommerceSilver(TransformRun run) {
    this.run = run;
  }

  void run() {
    run.spark().sql("CREATE NAMESPACE IF NOT EXISTS " + run.silverNamespace());
    // each silver table is computed from its own bronze table alone
    List<Runnable> writes = new ArrayList<>();
    TABLES.forEach(table -> writes.add(() -> upsert(table)));
    writes.add(() -> new ProductHistory(run).run());
    run.inParallel(writes);
  }

  private void upsert(SilverTable table) {
    String target = run.silver(table.name());
    run.spark()
        .sql(
            "CREATE TABLE IF NOT EXISTS %s (%s) USING iceberg %s TBLPROPERTIES ('format-version' = '2')"
                .formatted(target, String.join(", ", table.columns()), table.partitioning()));
    run.ensureAuditBranch(target);
    String input = run.bronze(table.source());
    Optional<Increment> increment = Increment.of(run, input, target);
    if (increment.isPresent()) {
      Dataset<Row> latest = latestPerKey(table, increment.get(), target);
      String view = "incoming_" + table.name();
      latest.createOrReplaceTempView(view);
      run.commit(target, increment.get().consumed(), () -> run.spark().sql(merge(table, view)));
      run.spark().catalog().dropTempView(view);
    }
    run.report("rows." + target, run.auditRows(target));
  }

  /**
   * One row per key among the new bronze records: the latest version, ties broken by the latest
   * ingest, so identical duplicates collapse. Records with a null key are counted and dropped.
   */
  private Dataset<Row> latestPerKey(SilverTable table, Increment increment, String target) {
    Dataset<Row> rows = increment.rows();
    // a view of its own: the silver tables are computed at once in one session
    String view = "bronze_increment_" + table.name();
    rows.createOrReplaceTempView(view);
    String keyMissing =
        table.keys().stream().map(key -> key + " IS NULL").collect(Collectors.joining(" OR "));
    Row counts =
        run.spark()
            .sql("SELECT count(*), count_if(%s) FROM %s".formatted(keyMissing, view))
            .first();
    run.report("read." + target, counts.getLong(0));
    run.report("dropped." + target, counts.getLong(1));

    String order =
        (table.version().isEmpty() ? "" : table.version() + " DESC NULLS LAST, ")
            + "_ingested_at DESC NULLS LAST, _source_offset DESC NULLS LAST";
    List<String> names = table.columnNames();
    StringBuilder select = new StringBuilder();
    for (int i = 0; i < names.size(); i++) {
      select
          .append(i == 0 ? "" : ", ")
          .append(table.projection().get(i))
          .append(" AS ")
          .append(names.get(i));
    }
    return run.spark()
        .sql(
            """
            SELECT %s FROM (
              SELECT *, row_number() OVER (PARTITION BY %s ORDER BY %s) AS floe_rank
              FROM %s WHERE NOT (%s))
            WHERE floe_rank = 1
            """
                .formatted(select, String.join(", ", table.keys()), order, view, keyMissing));
  }

  private String merge(SilverTable table, String view) {
    String on =
        table.keys().stream()
            .map(key -> "t." + key + " = s." + key)
            .collect(Collectors.joining(" AND "));
    String matched =
        table.version().isEmpty()
            ? ""
            : "WHEN MATCHED AND s.%1$s IS NOT NULL AND (t.%1$s IS NULL OR s.%1$s > t.%1$s) THEN UPDATE SET * "
                .formatted(table.version());
    return "MERGE INTO %s t USING %s s ON %s %sWHEN NOT MATCHED THEN INSERT *"
        .formatted(run.onBranch(run.silver(table.name())), view, on, matched);
  }
}
