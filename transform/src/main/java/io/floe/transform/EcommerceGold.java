package io.floe.transform;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Silver to gold for the e-commerce example, read from and written to the run's audit branch.
 *
 * <ul>
 *   <li>{@code order_items_wide}: one row per order item with its order, buyer, seller, the product
 *       version in effect at order time (the earliest known version for older orders) and the
 *       product's primary category (its lowest category id).
 *   <li>{@code category_report}: per order day and primary category, the average and median line
 *       revenue and the number of items.
 *   <li>{@code order_report}: per order day, the number of orders and their total and average
 *       revenue (an order's revenue is the sum of its line revenues, 0 without lines).
 * </ul>
 *
 * Both reports leave out cancelled orders, orders without a timestamp and lines without revenue.
 * Averages and medians are exact and rounded half-up to cents. Gold is recomputed in full whenever
 * a silver input changed: dimension changes can touch any day, and at these sizes a full pass is
 * cheaper than tracking the days affected.
 */
final class EcommerceGold {
  static final List<String> INPUTS =
      List.of(
          "fact_orders",
          "fact_order_items",
          "dim_buyer",
          "dim_seller",
          "dim_category",
          "dim_product",
          "bridge_product_category");

  static final String WIDE =
      """
      order_id BIGINT, line_no INT, order_ts TIMESTAMP, order_date DATE, order_status STRING,
      currency STRING, buyer_id BIGINT, buyer_loyalty_tier STRING, product_id BIGINT,
      product_name STRING, product_brand STRING, product_list_price DECIMAL(12,2),
      product_status STRING, category_id INT, category_name STRING, seller_id BIGINT,
      seller_company_name STRING, seller_country STRING, quantity INT, unit_price DECIMAL(12,2),
      discount DECIMAL(12,2), revenue DECIMAL(18,2)
      """;
  static final String CATEGORY_REPORT =
      "day DATE, category_id INT, category_name STRING, avg_revenue DECIMAL(18,2), "
          + "median_revenue DECIMAL(18,2), item_count BIGINT";
  static final String ORDER_REPORT =
      "day DATE, order_count BIGINT, total_revenue DECIMAL(18,2), avg_revenue DECIMAL(18,2)";

  private final TransformRun run;
  private final GoldTable gold;

  EcommerceGold(TransformRun run) {
    this.run = run;
    this.gold = new GoldTable(run);
  }

  void run() {
    var spark = run.spark();
    spark.sql("CREATE NAMESPACE IF NOT EXISTS " + run.goldNamespace());
    Map<String, Long> inputs = gold.inputSnapshots(INPUTS.stream().map(run::silver).toList(), true);
    String wide = run.gold("order_items_wide");
    String categoryReport = run.gold("category_report");
    String orderReport = run.gold("order_report");
    gold.prepare(wide, WIDE);
    gold.prepare(categoryReport, CATEGORY_REPORT);
    gold.prepare(orderReport, ORDER_REPORT);
    if (inputs.size() < INPUTS.size()) {
      throw new IllegalStateException("silver is incomplete: " + inputs.keySet());
    }
    for (String input : INPUTS) {
      spark.table(run.onBranch(run.silver(input))).createOrReplaceTempView("s_" + input);
    }

    Dataset<Row> items = wideItems().persist();
    try {
      if (gold.stale(wide, inputs)) {
        gold.replace(wide, inputs, items);
      }
      items.createOrReplaceTempView("wide_items");
      // both reports aggregate the persisted wide rows, at once
      run.inParallel(
          List.of(
              () -> {
                if (gold.stale(categoryReport, inputs)) {
                  gold.replace(categoryReport, inputs, categoryReport());
                }
              },
              () -> {
                if (gold.stale(orderReport, inputs)) {
                  gold.replace(orderReport, inputs, orderReport());
                }
              }));
    } finally {
      items.unpersist();
    }
    for (String table : List.of(wide, categoryReport, orderReport)) {
      run.report("rows." + table, run.auditRows(table));
    }
  }

  private Dataset<Row> wideItems() {
    return run.spark()
        .sql(
            """
            WITH primary_category AS (
              SELECT product_id, min(category_id) AS category_id
              FROM s_bridge_product_category GROUP BY product_id),
            versioned AS (
              SELECT i.*, o.order_ts, o.order_date, o.status AS order_status, o.currency, o.buyer_id,
                     p.name AS product_name, p.brand AS product_brand,
                     p.list_price AS product_list_price, p.status AS product_status,
                     row_number() OVER (PARTITION BY i.order_id, i.line_no ORDER BY
                       CASE WHEN p.effective_from <= o.order_ts
                             AND (p.effective_to IS NULL OR o.order_ts < p.effective_to)
                            THEN 0 ELSE 1 END,
                       p.effective_from) AS version_rank
              FROM s_fact_order_items i
              LEFT JOIN s_fact_orders o ON i.order_id = o.order_id
              LEFT JOIN s_dim_product p ON i.product_id = p.product_id)
            SELECT v.order_id, v.line_no, v.order_ts, v.order_date, v.order_status, v.currency,
                   v.buyer_id, b.loyalty_tier AS buyer_loyalty_tier, v.product_id, v.product_name,
                   v.product_brand, v.product_list_price, v.product_status, pc.category_id,
                   c.name AS category_name, v.seller_id, s.company_name AS seller_company_name,
                   s.country AS seller_country, v.quantity, v.unit_price, v.discount, v.revenue
            FROM versioned v
            LEFT JOIN s_dim_buyer b ON v.buyer_id = b.buyer_id
            LEFT JOIN primary_category pc ON v.product_id = pc.product_id
            LEFT JOIN s_dim_category c ON pc.category_id = c.category_id
            LEFT JOIN s_dim_seller s ON v.seller_id = s.seller_id
            WHERE v.version_rank = 1
            """);
  }

  private Dataset<Row> categoryReport() {
    return run.spark()
        .sql(
            """
            WITH lines AS (
              SELECT order_date AS day, category_id, max(category_name) AS category_name,
                     sum(revenue) AS total, count(*) AS n,
                     sort_array(collect_list(revenue)) AS sorted
              FROM wide_items
              WHERE order_date IS NOT NULL AND category_id IS NOT NULL AND revenue IS NOT NULL
                AND NOT (order_status <=> 'cancelled')
              GROUP BY order_date, category_id)
            SELECT day, category_id, category_name,
                   CAST(round(CAST(total AS DECIMAL(28,2)) / CAST(n AS DECIMAL(10,0)), 2)
                     AS DECIMAL(18,2)) AS avg_revenue,
                   CAST(round((element_at(sorted, CAST((n + 1) DIV 2 AS INT))
                     + element_at(sorted, CAST(n DIV 2 + 1 AS INT))) / 2, 2)
                     AS DECIMAL(18,2)) AS median_revenue,
                   n AS item_count
            FROM lines
            """);
  }

  private Dataset<Row> orderReport() {
    return run.spark()
        .sql(
            """
            WITH orders AS (
              SELECT o.order_id, o.order_date, coalesce(sum(i.revenue), 0) AS revenue
              FROM s_fact_orders o LEFT JOIN s_fact_order_items i ON o.order_id = i.order_id
              WHERE o.order_date IS NOT NULL AND NOT (o.status <=> 'cancelled')
              GROUP BY o.order_id, o.order_date)
            SELECT order_date AS day, count(*) AS order_count,
                   CAST(sum(revenue) AS DECIMAL(18,2)) AS total_revenue,
                   CAST(round(CAST(sum(revenue) AS DECIMAL(28,2))
                     / CAST(count(*) AS DECIMAL(10,0)), 2) AS DECIMAL(18,2)) AS avg_revenue
            FROM orders GROUP BY order_date
            """);
  }
}
