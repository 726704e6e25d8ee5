package io.floe.app.pipeline;

import static org.apache.iceberg.types.Types.NestedField.optional;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.apache.iceberg.types.Types;

/**
 * A deterministic e-commerce upstream following the data contract, kept as plain Java rows so a
 * test can both land it in bronze and compute the expected gold reports without Spark.
 */
final class ShopData {
  static final OffsetDateTime ORDERS_START =
      OffsetDateTime.of(2026, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  static final OffsetDateTime CATALOG_TIME =
      OffsetDateTime.of(2025, 12, 1, 0, 0, 0, 0, ZoneOffset.UTC);
  static final String[] STATUSES = {
    "placed", "paid", "shipped", "delivered", "cancelled", "returned"
  };

  static final List<Types.NestedField> CATEGORIES =
      List.of(
          optional(1, "category_id", Types.IntegerType.get()),
          optional(2, "name", Types.StringType.get()),
          optional(3, "parent_category_id", Types.IntegerType.get()),
          optional(4, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> PRODUCTS =
      List.of(
          optional(1, "product_id", Types.LongType.get()),
          optional(2, "name", Types.StringType.get()),
          optional(3, "brand", Types.StringType.get()),
          optional(4, "list_price", Types.DecimalType.of(12, 2)),
          optional(5, "status", Types.StringType.get()),
          optional(6, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> PRODUCT_X_CATEGORY =
      List.of(
          optional(1, "product_id", Types.LongType.get()),
          optional(2, "category_id", Types.IntegerType.get()),
          optional(3, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> SELLER_X_PRODUCT =
      List.of(
          optional(1, "seller_id", Types.LongType.get()),
          optional(2, "product_id", Types.LongType.get()),
          optional(3, "price", Types.DecimalType.of(12, 2)),
          optional(4, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> BUYERS =
      List.of(
          optional(1, "buyer_id", Types.LongType.get()),
          optional(2, "user_id", Types.LongType.get()),
          optional(3, "loyalty_tier", Types.StringType.get()),
          optional(4, "created_at", Types.TimestampType.withZone()),
          optional(5, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> SELLERS =
      List.of(
          optional(1, "seller_id", Types.LongType.get()),
          optional(2, "user_id", Types.LongType.get()),
          optional(3, "company_name", Types.StringType.get()),
          optional(4, "country", Types.StringType.get()),
          optional(5, "created_at", Types.TimestampType.withZone()),
          optional(6, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> ORDERS =
      List.of(
          optional(1, "order_id", Types.LongType.get()),
          optional(2, "buyer_id", Types.LongType.get()),
          optional(3, "status", Types.StringType.get()),
          optional(4, "order_ts", Types.TimestampType.withZone()),
          optional(5, "currency", Types.StringType.get()),
          optional(6, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> ORDER_ITEMS =
      List.of(
          optional(1, "order_id", Types.LongType.get()),
          optional(2, "line_no", Types.IntegerType.get()),
          optional(3, "product_id", Types.LongType.get()),
          optional(4, "seller_id", Types.LongType.get()),
          optional(5, "quantity", Types.IntegerType.get()),
          optional(6, "unit_price", Types.DecimalType.of(12, 2)),
          optional(7, "discount", Types.DecimalType.of(12, 2)),
          optional(8, "updated_at", Types.TimestampType.withZone()));
  static final List<Types.NestedField> CLICKSTREAM =
      List.of(
          optional(1, "event_id", Types.StringType.get()),
          optional(2, "event_type", Types.StringType.get()),
          optional(3, "event_ts", Types.TimestampType.withZone()),
          optional(4, "user_id", Types.LongType.get()),
          optional(5, "session_id", Types.StringType.get()),
          optional(6, "product_id", Types.LongType.get()),
          optional(7, "order_id", Types.LongType.get()),
          optional(8, "page", Types.StringType.get()));

  /** One batch of rows per bronze table, in append order. */
  static final class Batch {
    final Map<String, List<Object[]>> rows = new LinkedHashMap<>();

    Batch add(String table, Object... values) {
      rows.computeIfAbsent(table, t -> new ArrayList<>()).add(values);
      return this;
    }

    void writeTo(BronzeWriter writer) {
      rows.forEach((table, values) -> writer.append(table, schemaOf(table), values));
    }
  }

  private final List<Batch> batches = new ArrayList<>();

  static List<Types.NestedField> schemaOf(String table) {
    return switch (table) {
      case "categories" -> CATEGORIES;
      case "products" -> PRODUCTS;
      case "product_x_category" -> PRODUCT_X_CATEGORY;
      case "seller_x_product" -> SELLER_X_PRODUCT;
      case "buyers" -> BUYERS;
      case "sellers" -> SELLERS;
      case "orders" -> ORDERS;
      case "order_items" -> ORDER_ITEMS;
      case "clickstream" -> CLICKSTREAM;
      default -> throw new IllegalArgumentException(table);
    };
  }

  Batch newBatch() {
    Batch batch = new Batch();
    batches.add(batch);
    return batch;
  }

  static BigDecimal money(long cents) {
    return BigDecimal.valueOf(cents, 2);
  }

  /**
   * Catalog rows: categories, products, bridges, buyers and sellers for {@code products} products.
   */
  static void catalog(Batch batch, int products, int buyers, int sellers) {
    batch.add("categories", 1, "Books", null, CATALOG_TIME);
    batch.add("categories", 2, "Garden", null, CATALOG_TIME);
    batch.add("categories", 3, "Toys", null, CATALOG_TIME);
    batch.add("categories", 4, "Board games", 3, CATALOG_TIME);
    for (long p = 0; p < products; p++) {
      long id = 100 + p;
      batch.add(
          "products",
          id,
          "Product " + id,
          "Brand " + (p % 4),
          money(500 + p * 137 % 9000),
          "active",
          CATALOG_TIME);
      batch.add("product_x_category", id, (int) (p % 4) + 1, CATALOG_TIME);
      batch.add("seller_x_product", p % sellers + 1, id, money(450 + p * 131 % 8000), CATALOG_TIME);
    }
    for (long b = 1; b <= buyers; b++) {
      batch.add(
          "buyers",
          b,
          1000 + b,
          new String[] {"bronze", "silver", "gold"}[(int) (b % 3)],
          CATALOG_TIME,
          CATALOG_TIME);
    }
    for (long s = 1; s <= sellers; s++) {
      batch.add(
          "sellers",
          s,
          2000 + s,
          "Seller " + s + " Ltd",
          s % 2 == 0 ? "DE" : "US",
          CATALOG_TIME,
          CATALOG_TIME);
    }
  }

  /** Orders {@code from..to} (inclusive) with 1-3 lines each, spread 7 hours apart. */
  static void orders(Batch batch, long from, long to, int products, int buyers, int sellers) {
    orders(batch, from, to, products, buyers, sellers, java.time.Duration.ofHours(7));
  }

  /** Orders {@code from..to} (inclusive) with 1-3 lines each, {@code spacing} apart. */
  static void orders(
      Batch batch,
      long from,
      long to,
      int products,
      int buyers,
      int sellers,
      java.time.Duration spacing) {
    for (long o = from; o <= to; o++) {
      OffsetDateTime ts = ORDERS_START.plus(spacing.multipliedBy(o));
      batch.add("orders", o, o % buyers + 1, STATUSES[(int) (o % STATUSES.length)], ts, "USD", ts);
      for (int line = 1; line <= o % 3 + 1; line++) {
        long product = 100 + (o * 7 + line * 3) % products;
        batch.add(
            "order_items",
            o,
            line,
            product,
            (product - 100) % sellers + 1,
            (int) (o + line) % 4 + 1,
            money(199 + (o * 31 + line * 17) % 5000),
            money((o + line) % 5 == 0 ? 150 : 0),
            ts);
      }
      batch.add(
          "clickstream",
          "e-" + o,
          "checkout",
          ts,
          1000 + o % buyers + 1,
          "s-" + o,
          null,
          o,
          "/checkout");
    }
  }

  // ---- the expected gold, computed from the rows alone ------------------------------------

  /** The latest row per key: a strictly newer {@code updated_at} wins; null keys are ignored. */
  private Map<List<Object>, Object[]> latest(String table, int[] keyColumns, int versionColumn) {
    Map<List<Object>, Object[]> latest = new LinkedHashMap<>();
    for (Batch batch : batches) {
      for (Object[] row : batch.rows.getOrDefault(table, List.of())) {
        List<Object> key = Arrays.stream(keyColumns).mapToObj(i -> row[i]).toList();
        if (key.stream().anyMatch(Objects::isNull)) {
          continue;
        }
        Object[] existing = latest.get(key);
        if (existing == null || newer(row[versionColumn], existing[versionColumn])) {
          latest.put(key, row);
        }
      }
    }
    return latest;
  }

  private static boolean newer(Object candidate, Object existing) {
    return candidate != null
        && (existing == null || ((OffsetDateTime) candidate).isAfter((OffsetDateTime) existing));
  }

  Map<Long, Object[]> orders() {
    Map<Long, Object[]> orders = new LinkedHashMap<>();
    latest("orders", new int[] {0}, 5).forEach((key, row) -> orders.put((Long) key.get(0), row));
    return orders;
  }

  List<Object[]> items() {
    return new ArrayList<>(latest("order_items", new int[] {0, 1}, 7).values());
  }

  static BigDecimal revenue(Object[] item) {
    if (item[4] == null || item[5] == null) {
      return null;
    }
    BigDecimal discount = item[6] == null ? BigDecimal.ZERO : (BigDecimal) item[6];
    return ((BigDecimal) item[5])
        .multiply(BigDecimal.valueOf((Integer) item[4]))
        .subtract(discount);
  }

  /** The primary (lowest) category of each product. */
  Map<Long, Integer> primaryCategory() {
    Map<Long, Integer> primary = new LinkedHashMap<>();
    for (List<Object> key : latest("product_x_category", new int[] {0, 1}, 2).keySet()) {
      primary.merge((Long) key.get(0), (Integer) key.get(1), Math::min);
    }
    return primary;
  }

  Map<Integer, String> categoryNames() {
    Map<Integer, String> names = new LinkedHashMap<>();
    latest("categories", new int[] {0}, 3)
        .forEach((key, row) -> names.put((Integer) key.get(0), (String) row[1]));
    return names;
  }

  private static boolean reported(Object[] order) {
    return order != null && order[3] != null && !"cancelled".equals(order[2]);
  }

  private static LocalDate day(Object[] order) {
    return ((OffsetDateTime) order[3]).withOffsetSameInstant(ZoneOffset.UTC).toLocalDate();
  }

  /** {@code day|category_id|category_name|avg|median|count} per reported day and category. */
  List<String> categoryReport() {
    Map<Long, Object[]> orders = orders();
    Map<Long, Integer> categories = primaryCategory();
    Map<Integer, String> names = categoryNames();
    Map<String, List<BigDecimal>> groups = new TreeMap<>();
    for (Object[] item : items()) {
      Object[] order = orders.get((Long) item[0]);
      BigDecimal revenue = revenue(item);
      Integer category = categories.get((Long) item[2]);
      if (!reported(order) || revenue == null || category == null) {
        continue;
      }
      groups
          .computeIfAbsent(
              day(order) + "|" + category + "|" + names.get(category), k -> new ArrayList<>())
          .add(revenue);
    }
    List<String> report = new ArrayList<>();
    groups.forEach(
        (key, revenues) -> {
          revenues.sort(Comparator.naturalOrder());
          int n = revenues.size();
          BigDecimal sum = revenues.stream().reduce(BigDecimal.ZERO, BigDecimal::add);
          BigDecimal average = sum.divide(BigDecimal.valueOf(n), 2, RoundingMode.HALF_UP);
          BigDecimal median =
              revenues
                  .get((n - 1) / 2)
                  .add(revenues.get(n / 2))
                  .divide(BigDecimal.valueOf(2), 2, RoundingMode.HALF_UP);
          report.add(key + "|" + average.toPlainString() + "|" + median.toPlainString() + "|" + n);
        });
    return report;
  }

  /** {@code day|order_count|total|avg} per reported day. */
  List<String> orderReport() {
    Map<Long, BigDecimal> revenueByOrder = new LinkedHashMap<>();
    for (Object[] item : items()) {
      BigDecimal revenue = revenue(item);
      if (revenue != null) {
        revenueByOrder.merge((Long) item[0], revenue, BigDecimal::add);
      }
    }
    Map<LocalDate, List<BigDecimal>> days = new TreeMap<>();
    orders()
        .forEach(
            (id, order) -> {
              if (reported(order)) {
                days.computeIfAbsent(day(order), d -> new ArrayList<>())
                    .add(revenueByOrder.getOrDefault(id, BigDecimal.ZERO));
              }
            });
    List<String> report = new ArrayList<>();
    days.forEach(
        (day, revenues) -> {
          BigDecimal total = revenues.stream().reduce(BigDecimal.ZERO, BigDecimal::add).setScale(2);
          BigDecimal average =
              total.divide(BigDecimal.valueOf(revenues.size()), 2, RoundingMode.HALF_UP);
          report.add(
              day
                  + "|"
                  + revenues.size()
                  + "|"
                  + total.toPlainString()
                  + "|"
                  + average.toPlainString());
        });
    return report;
  }
}
