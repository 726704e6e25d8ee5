package io.floe.transform;

import java.util.Optional;
import org.apache.spark.sql.Row;

/**
 * {@code dim_product} as a type-2 slowly changing dimension: each distinct run of attribute values
 * of a product is one row valid from {@code effective_from} (the bronze {@code updated_at} that
 * introduced it) until {@code effective_to} (exclusive; null while current).
 *
 * <p>One MERGE applies a whole increment: it closes the current row of every product whose
 * attributes changed and inserts the new versions. Versions equal to the one before them, and
 * versions not newer than the current row, change nothing, so re-reading bronze is harmless.
 */
final class ProductHistory {
  static final String TABLE = "dim_product";
  static final String SOURCE = "products";
  private static final String ATTRIBUTES = "name, brand, list_price, status";

  private final TransformRun run;

  ProductHistory(TransformRun run) {
    this.run = run;
  }

  void run() {
    String target = run.silver(TABLE);
    run.spark()
        .sql(
            """
            CREATE TABLE IF NOT EXISTS %s (
              product_id BIGINT, name STRING, brand STRING, list_price DECIMAL(12,2), status STRING,
              effective_from TIMESTAMP, effective_to TIMESTAMP, is_current BOOLEAN)
            USING iceberg TBLPROPERTIES ('format-version' = '2')
            """
                .formatted(target));
    run.ensureAuditBranch(target);
    Optional<Increment> increment = Increment.of(run, run.bronze(SOURCE), target);
    if (increment.isPresent()) {
      apply(target, increment.get());
    }
    run.report("rows." + target, run.auditRows(target));
  }

  private void apply(String target, Increment increment) {
    var spark = run.spark();
    increment.rows().createOrReplaceTempView("product_increment");
    Row counts =
        spark
            .sql(
                "SELECT count(*), count_if(product_id IS NULL OR updated_at IS NULL) FROM product_increment")
            .first();
    run.report("read." + target, counts.getLong(0));
    run.report("dropped." + target, counts.getLong(1));

    // one version per product and timestamp (the latest ingest), typed like the dimension
    spark
        .sql(
            """
            SELECT product_id, name, brand, list_price, status, updated_at FROM (
              SELECT CAST(product_id AS BIGINT) AS product_id, trim(name) AS name,
                     trim(brand) AS brand, CAST(list_price AS DECIMAL(12,2)) AS list_price,
                     lower(trim(status)) AS status, CAST(updated_at AS TIMESTAMP) AS updated_at,
                     row_number() OVER (PARTITION BY product_id, updated_at
                       ORDER BY _ingested_at DESC NULLS LAST, _source_offset DESC NULLS LAST) AS floe_rank
              FROM product_increment WHERE product_id IS NOT NULL AND updated_at IS NOT NULL)
            WHERE floe_rank = 1
            """)
        .createOrReplaceTempView("product_versions");
    spark
        .sql(
            "SELECT product_id, %s, effective_from FROM %s WHERE is_current"
                .formatted(ATTRIBUTES, run.onBranch(target)))
        .createOrReplaceTempView("product_current");
    // the current row and the newer versions in time order; a version opens a row only when its
    // attributes differ from the version before it
    spark
        .sql(
            """
            WITH sequence AS (
              SELECT c.product_id, c.name, c.brand, c.list_price, c.status,
                     c.effective_from AS ts, false AS is_new
              FROM product_current c WHERE c.product_id IN (SELECT product_id FROM product_versions)
              UNION ALL
              SELECT v.product_id, v.name, v.brand, v.list_price, v.status, v.updated_at AS ts, true
              FROM product_versions v LEFT JOIN product_current c ON v.product_id = c.product_id
              WHERE c.product_id IS NULL OR v.updated_at > c.effective_from),
            marked AS (
              SELECT *, lag(struct(name, brand, list_price, status)) OVER (
                  PARTITION BY product_id ORDER BY ts) AS previous
              FROM sequence),
            opened AS (
              SELECT * FROM marked
              WHERE is_new AND (previous IS NULL
                OR NOT (previous <=> struct(name, brand, list_price, status))))
            SELECT product_id, name, brand, list_price, status, ts AS effective_from,
                   lead(ts) OVER (PARTITION BY product_id ORDER BY ts) AS effective_to
            FROM opened
            """)
        .createOrReplaceTempView("product_opened");
    // rows with a merge key close the current version; rows without one are inserted
    spark
        .sql(
            """
            SELECT o.product_id AS merge_key, CAST(NULL AS BIGINT) AS product_id,
                   CAST(NULL AS STRING) AS name, CAST(NULL AS STRING) AS brand,
                   CAST(NULL AS DECIMAL(12,2)) AS list_price, CAST(NULL AS STRING) AS status,
                   min(o.effective_from) AS effective_from, CAST(NULL AS TIMESTAMP) AS effective_to
            FROM product_opened o JOIN product_current c ON o.product_id = c.product_id
            GROUP BY o.product_id
            UNION ALL
            SELECT CAST(NULL AS BIGINT), product_id, name, brand, list_price, status,
                   effective_from, effective_to
            FROM product_opened
            """)
        .createOrReplaceTempView("product_changes");
    if (spark.table("product_changes").isEmpty()) {
      return;
    }
    run.commit(
        target,
        increment.consumed(),
        () ->
            spark.sql(
                """
                MERGE INTO %s t USING product_changes s
                ON t.product_id = s.merge_key AND t.is_current
                WHEN MATCHED THEN UPDATE SET t.effective_to = s.effective_from, t.is_current = false
                WHEN NOT MATCHED AND s.merge_key IS NULL THEN INSERT
                  (product_id, name, brand, list_price, status, effective_from, effective_to, is_current)
                  VALUES (s.product_id, s.name, s.brand, s.list_price, s.status,
                          s.effective_from, s.effective_to, s.effective_to IS NULL)
                """
                    .formatted(run.onBranch(target))));
  }
}
