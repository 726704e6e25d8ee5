package io.floe.examples;

import io.floe.examples.GeneratedBatch.Defect;
import io.floe.pipeline.S3Location;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Generates one batch of the e-commerce example. Batch {@code k} covers a 28-day window starting
 * {@code 2026-01-01 + 28k days}; every timestamp it writes (including {@code updated_at} of the
 * rows it updates) falls in that window, so watermarks only move forward between batches.
 *
 * <p>Everything is a function of the seed, the batch number and the sizes recorded for earlier
 * batches in {@code floe_generator.batches}: the same calls on an empty database give the same
 * rows, files and messages.
 */
final class EcommerceGenerator {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  static final Duration WINDOW = Duration.ofDays(28);
  private static final long DAY = 86_400;

  static final String[] ROOT_CATEGORIES = {"Electronics", "Home", "Fashion", "Sports", "Books"};
  static final String[][] CHILD_CATEGORIES = {
    {"Phones", "Laptops", "Audio"},
    {"Kitchen", "Garden", "Furniture"},
    {"Shoes", "Jackets", "Accessories"},
    {"Cycling", "Running", "Camping"},
    {"Fiction", "Science", "Comics"}
  };
  private static final String[] ADJECTIVES = {
    "Compact", "Classic", "Ultra", "Smart", "Eco", "Pro", "Mini", "Deluxe", "Rugged", "Light"
  };
  private static final String[] NOUNS = {
    "Speaker",
    "Kettle",
    "Backpack",
    "Lamp",
    "Sneaker",
    "Tent",
    "Novel",
    "Headset",
    "Chair",
    "Bottle"
  };
  private static final String[] BRANDS = {
    "Acme", "Northwind", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Hooli", "Vandelay"
  };
  private static final String[] FIRST = {
    "Ada", "Ben", "Chloe", "Diego", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kira",
    "Liam", "Maya", "Noah", "Olga", "Pablo"
  };
  private static final String[] LAST = {
    "Smith",
    "Garcia",
    "Mueller",
    "Rossi",
    "Dubois",
    "Kowalski",
    "Tanaka",
    "Silva",
    "Jensen",
    "Novak"
  };
  private static final String[] COUNTRIES = {
    "US", "DE", "FR", "GB", "ES", "IT", "NL", "PL", "SE", "JP", "BR", "CA"
  };
  private static final String[] COMPANY_SUFFIX = {"GmbH", "Ltd", "Inc", "SA", "BV", "AB"};

  /** What batch to write and how big; sizes grow with the order count. */
  record Plan(
      int batch,
      long seed,
      long orders,
      long firstOrder,
      long lastOrder,
      long firstUser,
      long lastUser,
      long firstProduct,
      long lastProduct,
      int sellers) {
    static Plan first(long seed, long orders) {
      long users = Math.max(50, orders / 5);
      long products = Math.max(20, orders / 20);
      int sellers = (int) Math.max(5, orders / 500);
      return new Plan(0, seed, orders, 1, orders, 1, users, 1, products, sellers);
    }

    static Plan next(
        int batch,
        long seed,
        long orders,
        long lastOrder,
        long lastUser,
        long lastProduct,
        int sellers) {
      long users = Math.max(10, orders / 50);
      long products = Math.max(5, orders / 200);
      return new Plan(
          batch,
          seed,
          orders,
          lastOrder + 1,
          lastOrder + orders,
          lastUser + 1,
          lastUser + users,
          lastProduct + 1,
          lastProduct + products,
          sellers);
    }

    Instant windowStart() {
      return START.plus(WINDOW.multipliedBy(batch));
    }
  }

  /** A product's attributes at creation, derived from its id alone. */
  record Product(
      String name,
      String brand,
      BigDecimal listPrice,
      String status,
      List<Integer> categories,
      List<Long> sellers,
      List<BigDecimal> prices) {}

  static Product product(long seed, long productId, int sellerCount) {
    SplittableRandom r = ShopRandom.of(seed, ShopRandom.PRODUCTS, productId);
    String name = ADJECTIVES[r.nextInt(ADJECTIVES.length)] + " " + NOUNS[r.nextInt(NOUNS.length)];
    String brand = BRANDS[r.nextInt(BRANDS.length)];
    BigDecimal price = BigDecimal.valueOf(500 + r.nextInt(49_500), 2);
    String status = r.nextInt(20) == 0 ? "discontinued" : "active";
    List<Integer> categories = new ArrayList<>();
    int first = 6 + r.nextInt(15);
    categories.add(first);
    if (r.nextInt(10) < 3) {
      int second = 6 + r.nextInt(15);
      if (second != first) {
        categories.add(second);
      }
    }
    List<Long> sellers = new ArrayList<>();
    List<BigDecimal> prices = new ArrayList<>();
    int count = 1 + r.nextInt(3);
    for (int i = 0; i < count; i++) {
      long seller = 1 + r.nextInt(sellerCount);
      if (!sellers.contains(seller)) {
        sellers.add(seller);
        int percent = 90 + r.nextInt(21);
        prices.add(
            price
                .multiply(BigDecimal.valueOf(percent))
                .movePointLeft(2)
                .setScale(2, RoundingMode.HALF_UP));
      }
    }
    return new Product(name + " " + productId, brand, price, status, categories, sellers, prices);
  }

  private final Connection connection;
  private final S3Client s3;
  private final S3Location clickstream;
  private final String bootstrapServers;
  private final String topic;
  private final double defectRate;
  private final Map<String, Long> inserted = new LinkedHashMap<>();
  private final Map<String, Long> updated = new LinkedHashMap<>();
  private final Map<Defect, Long> defects = new EnumMap<>(Defect.class);

  EcommerceGenerator(
      Connection connection,
      S3Client s3,
      S3Location clickstream,
      String bootstrapServers,
      String topic,
      double defectRate) {
    this.connection = connection;
    this.s3 = s3;
    this.clickstream = clickstream;
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.defectRate = defectRate;
  }

  GeneratedBatch generate(long seed, long orders) throws SQLException, IOException {
    long begin = System.nanoTime();
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      for (String ddl : ShopSchema.DDL) {
        statement.execute(ddl);
      }
      for (String index : ShopSchema.indexes()) {
        statement.execute(index);
      }
    }
    Plan plan = plan(seed, orders);
    writeDimensions(plan);
    if (plan.batch() > 0) {
      writeUpdates(plan);
    }
    Path localFiles = Files.createTempDirectory("floe-clickstream-");
    List<String> keys;
    long lines;
    List<String[]> messages = new ArrayList<>();
    try {
      ClickstreamFiles files = new ClickstreamFiles(localFiles, plan);
      try (files) {
        writeOrders(plan, files);
      }
      lines = files.lines;
      keys = files.upload();
      writeInventory(plan, messages);
    } finally {
      deleteTree(localFiles);
    }
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO floe_generator.batches (batch, seed, orders, last_order_id, last_user_id,"
                + " last_product_id, sellers) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      insert.setInt(1, plan.batch());
      insert.setLong(2, seed);
      insert.setLong(3, orders);
      insert.setLong(4, plan.lastOrder());
      insert.setLong(5, plan.lastUser());
      insert.setLong(6, plan.lastProduct());
      insert.setInt(7, plan.sellers());
      insert.executeUpdate();
    }
    // Kafka last, right before the commit: a crash before it re-sends nothing twice
    produce(messages);
    connection.commit();
    return new GeneratedBatch(
        plan.batch(),
        seed,
        inserted,
        updated,
        keys,
        lines,
        messages.size(),
        defects,
        Duration.ofNanos(System.nanoTime() - begin));
  }

  private Plan plan(long seed, long orders) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet last =
            statement.executeQuery(
                "SELECT batch, seed, last_order_id, last_user_id, last_product_id, sellers"
                    + " FROM floe_generator.batches ORDER BY batch DESC LIMIT 1")) {
      if (!last.next()) {
        return Plan.first(seed, orders);
      }
      if (last.getLong(2) != seed) {
        throw new IllegalArgumentException(
            "the database was generated with seed %d, not %d; use the same seed or a new database"
                .formatted(last.getLong(2), seed));
      }
      return Plan.next(
          last.getInt(1) + 1,
          seed,
          orders,
          last.getLong(3),
          last.getLong(4),
          last.getLong(5),
          last.getInt(6));
    }
  }

  private void writeDimensions(Plan plan) throws SQLException {
    long seed = plan.seed();
    Instant window = plan.windowStart();
    try (CopyWriter users =
            new CopyWriter(
                connection,
                "public.users",
                "user_id, email, full_name, country, created_at, updated_at");
        CopyWriter buyers =
            new CopyWriter(
                connection,
                "public.buyers",
                "buyer_id, user_id, loyalty_tier, created_at, updated_at")) {
      for (long u = plan.firstUser(); u <= plan.lastUser(); u++) {
        SplittableRandom r = ShopRandom.of(seed, ShopRandom.USERS, u);
        String first = FIRST[r.nextInt(FIRST.length)];
        String last = LAST[r.nextInt(LAST.length)];
        String country = COUNTRIES[r.nextInt(COUNTRIES.length)];
        OffsetDateTime created = at(window.plusSeconds(r.nextLong(25 * DAY)));
        String email = (first + "." + last + "." + u + "@example.com").toLowerCase();
        if (defect(ShopRandom.of(seed, ShopRandom.DEFECTS, u))) {
          email = null;
          count(Defect.USERS_NULL_EMAIL);
        }
        users.row(u, email, first + " " + last, country, created, created);
        if (u % 5 != 0) {
          int tier = r.nextInt(10);
          String loyalty = tier < 6 ? "bronze" : tier < 9 ? "silver" : "gold";
          buyers.row(u, u, loyalty, created, created);
        }
      }
      add(inserted, "users", users.rows());
      add(inserted, "buyers", buyers.rows());
    }
    if (plan.batch() == 0) {
      OffsetDateTime created = at(window);
      try (CopyWriter sellers =
              new CopyWriter(
                  connection,
                  "public.sellers",
                  "seller_id, user_id, company_name, country, created_at, updated_at");
          CopyWriter categories =
              new CopyWriter(
                  connection,
                  "public.categories",
                  "category_id, name, parent_category_id, updated_at")) {
        for (int s = 1; s <= plan.sellers(); s++) {
          SplittableRandom r = ShopRandom.of(seed, ShopRandom.USERS, -s);
          String company =
              LAST[r.nextInt(LAST.length)] + " " + COMPANY_SUFFIX[r.nextInt(COMPANY_SUFFIX.length)];
          sellers.row(
              (long) s, 5L * s, company, COUNTRIES[r.nextInt(COUNTRIES.length)], created, created);
        }
        for (int c = 0; c < ROOT_CATEGORIES.length; c++) {
          categories.row(c + 1, ROOT_CATEGORIES[c], null, created);
        }
        for (int c = 0; c < ROOT_CATEGORIES.length; c++) {
          for (int k = 0; k < 3; k++) {
            categories.row(6 + c * 3 + k, CHILD_CATEGORIES[c][k], c + 1, created);
          }
        }
        add(inserted, "sellers", sellers.rows());
        add(inserted, "categories", categories.rows());
      }
    }
    try (CopyWriter products =
            new CopyWriter(
                connection,
                "public.products",
                "product_id, name, brand, list_price, status, updated_at");
        CopyWriter productCategories =
            new CopyWriter(
                connection, "public.product_x_category", "product_id, category_id, updated_at");
        CopyWriter sellerProducts =
            new CopyWriter(
                connection,
                "public.seller_x_product",
                "seller_id, product_id, price, updated_at")) {
      for (long p = plan.firstProduct(); p <= plan.lastProduct(); p++) {
        Product product = product(seed, p, plan.sellers());
        OffsetDateTime created =
            at(window.plusSeconds(ShopRandom.of(seed, ShopRandom.PRODUCTS, -p).nextLong(DAY)));
        String brand = product.brand();
        if (defect(ShopRandom.of(seed, ShopRandom.DEFECTS, -p))) {
          brand = null;
          count(Defect.PRODUCTS_NULL_BRAND);
        }
        products.row(p, product.name(), brand, product.listPrice(), product.status(), created);
        for (int category : product.categories()) {
          productCategories.row(p, category, created);
        }
        for (int i = 0; i < product.sellers().size(); i++) {
          sellerProducts.row(product.sellers().get(i), p, product.prices().get(i), created);
        }
      }
      add(inserted, "products", products.rows());
      add(inserted, "product_x_category", productCategories.rows());
      add(inserted, "seller_x_product", sellerProducts.rows());
    }
  }

  /** Later batches change existing rows: order status, product attributes (SCD2), user emails. */
  private void writeUpdates(Plan plan) throws SQLException {
    SplittableRandom r = ShopRandom.of(plan.seed(), ShopRandom.UPDATES, plan.batch());
    Instant window = plan.windowStart();
    String[] statuses = {"shipped", "delivered", "cancelled", "returned"};
    Map<Long, Object[]> orders = new TreeMap<>();
    for (long i = 0, n = Math.max(1, plan.orders() / 100); i < n; i++) {
      long order = 1 + r.nextLong(plan.firstOrder() - 1);
      orders.put(
          order,
          new Object[] {
            statuses[r.nextInt(statuses.length)], at(window.plusSeconds(r.nextLong(27 * DAY)))
          });
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE public.orders SET status = ?, updated_at = ? WHERE order_id = ?")) {
      for (var entry : orders.entrySet()) {
        update.setString(1, (String) entry.getValue()[0]);
        update.setObject(2, entry.getValue()[1]);
        update.setLong(3, entry.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
    add(updated, "orders", orders.size());

    Map<Long, Object[]> products = new TreeMap<>();
    for (long i = 0, n = Math.max(1, (plan.firstProduct() - 1) / 50); i < n; i++) {
      long product = 1 + r.nextLong(plan.firstProduct() - 1);
      BigDecimal price = BigDecimal.valueOf(500 + r.nextInt(49_500), 2);
      int change = r.nextInt(10);
      String status = change < 2 ? (r.nextBoolean() ? "discontinued" : "active") : null;
      String brand = change >= 8 ? BRANDS[r.nextInt(BRANDS.length)] : null;
      products.put(
          product,
          new Object[] {price, status, brand, at(window.plusSeconds(r.nextLong(27 * DAY)))});
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE public.products SET list_price = ?, status = COALESCE(?, status),"
                + " brand = COALESCE(?, brand), updated_at = ? WHERE product_id = ?")) {
      for (var entry : products.entrySet()) {
        Object[] v = entry.getValue();
        update.setBigDecimal(1, (BigDecimal) v[0]);
        update.setString(2, (String) v[1]);
        update.setString(3, (String) v[2]);
        update.setObject(4, v[3]);
        update.setLong(5, entry.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
    add(updated, "products", products.size());

    Map<Long, OffsetDateTime> users = new TreeMap<>();
    for (long i = 0, n = Math.max(1, (plan.firstUser() - 1) / 100); i < n; i++) {
      users.put(1 + r.nextLong(plan.firstUser() - 1), at(window.plusSeconds(r.nextLong(27 * DAY))));
    }
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE public.users SET email = 'user' || user_id || '.b' || ? || '@example.org',"
                + " updated_at = ? WHERE user_id = ?")) {
      for (var entry : users.entrySet()) {
        update.setInt(1, plan.batch());
        update.setObject(2, entry.getValue());
        update.setLong(3, entry.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
    add(updated, "users", users.size());
  }

  private void writeOrders(Plan plan, ClickstreamFiles clicks) throws SQLException, IOException {
    SplittableRandom r = ShopRandom.of(plan.seed(), ShopRandom.ORDERS, plan.batch());
    Instant window = plan.windowStart();
    try (CopyWriter orders =
            new CopyWriter(
                connection,
                "public.orders",
                "order_id, buyer_id, status, order_ts, currency, updated_at");
        CopyWriter items =
            new CopyWriter(
                connection,
                "public.order_items",
                "order_id, line_no, product_id, seller_id, quantity, unit_price, discount, updated_at")) {
      for (long o = plan.firstOrder(); o <= plan.lastOrder(); o++) {
        long buyer = 1 + r.nextLong(plan.lastUser());
        if (buyer % 5 == 0) {
          buyer--;
        }
        Instant orderTs = window.plusSeconds(r.nextLong(25 * DAY));
        String status = status(r.nextInt(100));
        OffsetDateTime updatedAt = at(orderTs.plusSeconds(r.nextLong(2 * DAY)));
        orders.row(o, buyer, status, at(orderTs), "USD", updatedAt);
        int lines = 1 + r.nextInt(4);
        long[] bought = new long[lines];
        for (int line = 1; line <= lines; line++) {
          long productId = 1 + r.nextLong(plan.lastProduct());
          Product product = product(plan.seed(), productId, plan.sellers());
          int pick = r.nextInt(product.sellers().size());
          BigDecimal unit = product.prices().get(pick);
          int quantity = 1 + r.nextInt(5);
          BigDecimal discount = BigDecimal.ZERO.setScale(2);
          if (r.nextInt(10) < 3) {
            discount =
                unit.multiply(BigDecimal.valueOf(quantity))
                    .multiply(BigDecimal.valueOf(5L * (1 + r.nextInt(3))))
                    .movePointLeft(2)
                    .setScale(2, RoundingMode.HALF_UP);
          }
          items.row(
              o, line, productId, product.sellers().get(pick), quantity, unit, discount, updatedAt);
          bought[line - 1] = productId;
        }
        String session = "s" + plan.batch() + "-" + o;
        int views = 1 + r.nextInt(4);
        for (int v = 0; v < views; v++) {
          long product = bought[v % lines];
          clicks.event(
              "view",
              orderTs.minusSeconds(60L * (views - v) + r.nextInt(60)),
              buyer,
              session,
              product,
              null,
              "/product/" + product);
        }
        for (int i = 0, n = r.nextInt(3); i < n; i++) {
          long product = 1 + r.nextLong(plan.lastProduct());
          clicks.event(
              "impression",
              orderTs.minusSeconds(1 + r.nextInt(1800)),
              buyer,
              session,
              product,
              null,
              "/search");
        }
        clicks.event("checkout", orderTs, buyer, session, null, o, "/checkout");
      }
      add(inserted, "orders", orders.rows());
      add(inserted, "order_items", items.rows());
    }
    SplittableRandom s = ShopRandom.of(plan.seed(), ShopRandom.SESSIONS, plan.batch());
    for (long i = 0, n = plan.orders() / 2; i < n; i++) {
      long user = 1 + s.nextLong(plan.lastUser());
      String session = "v" + plan.batch() + "-" + i;
      Instant start = window.plusSeconds(s.nextLong(25 * DAY));
      for (int v = 0, views = 1 + s.nextInt(3); v < views; v++) {
        long product = 1 + s.nextLong(plan.lastProduct());
        clicks.event(
            v == 0 ? "impression" : "view",
            start.plusSeconds(30L * v),
            user,
            session,
            product,
            null,
            v == 0 ? "/home" : "/product/" + product);
      }
    }
  }

  private static String status(int percentile) {
    if (percentile < 5) {
      return "placed";
    } else if (percentile < 15) {
      return "paid";
    } else if (percentile < 30) {
      return "shipped";
    } else if (percentile < 85) {
      return "delivered";
    } else if (percentile < 93) {
      return "cancelled";
    }
    return "returned";
  }

  private void writeInventory(Plan plan, List<String[]> messages) {
    SplittableRandom r = ShopRandom.of(plan.seed(), ShopRandom.INVENTORY, plan.batch());
    SplittableRandom d = ShopRandom.of(plan.seed(), ShopRandom.INVENTORY_DEFECTS, plan.batch());
    Instant window = plan.windowStart();
    for (long i = 0, n = Math.max(10, plan.orders() / 2); i < n; i++) {
      long productId = 1 + r.nextLong(plan.lastProduct());
      Product product = product(plan.seed(), productId, plan.sellers());
      long seller = product.sellers().get(r.nextInt(product.sellers().size()));
      int kind = r.nextInt(100);
      String reason;
      int delta;
      if (kind < 50) {
        reason = "sale";
        delta = -(1 + r.nextInt(5));
      } else if (kind < 75) {
        reason = "restock";
        delta = 10 + r.nextInt(91);
      } else if (kind < 85) {
        reason = "return";
        delta = 1 + r.nextInt(2);
      } else {
        reason = "adjustment";
        delta = r.nextBoolean() ? 1 + r.nextInt(3) : -(1 + r.nextInt(3));
      }
      Instant ts = window.plusSeconds(r.nextLong(27 * DAY));
      String value =
          "{\"event_id\":\"inv-%d-%d\",\"product_id\":%d,\"seller_id\":%d,\"quantity_delta\":%d,\"reason\":\"%s\",\"event_ts\":\"%s\"}"
              .formatted(plan.batch(), i, productId, seller, delta, reason, ts);
      String key = Long.toString(productId);
      if (defect(d)) {
        if (d.nextBoolean()) {
          messages.add(new String[] {key, value});
          count(Defect.INVENTORY_DUPLICATE);
        } else {
          value = value.substring(0, value.length() / 2);
          count(Defect.INVENTORY_MALFORMED_JSON);
        }
      }
      messages.add(new String[] {key, value});
    }
  }

  private void produce(List<String[]> messages) {
    if (messages.isEmpty()) {
      return;
    }
    Properties properties = new Properties();
    properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    properties.put(ProducerConfig.ACKS_CONFIG, "all");
    properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    properties.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    properties.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    properties.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer())) {
      for (String[] message : messages) {
        producer.send(new ProducerRecord<>(topic, message[0], message[1]));
      }
      producer.flush();
    }
  }

  private boolean defect(SplittableRandom random) {
    return defectRate > 0 && random.nextDouble() < defectRate;
  }

  private void count(Defect defect) {
    defects.merge(defect, 1L, Long::sum);
  }

  private static void add(Map<String, Long> counts, String table, long rows) {
    counts.merge(table, rows, Long::sum);
  }

  static OffsetDateTime at(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var paths = Files.walk(dir)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }

  /** Clickstream JSON lines, one gzip file per event day, uploaded once complete. */
  private final class ClickstreamFiles implements AutoCloseable {
    private final Path dir;
    private final int batch;
    private final SplittableRandom defectRandom;
    private final Map<String, OutputStream> open = new TreeMap<>();
    private long sequence;
    private long lines;

    ClickstreamFiles(Path dir, Plan plan) {
      this.dir = dir;
      this.batch = plan.batch();
      this.defectRandom = ShopRandom.of(plan.seed(), ShopRandom.DEFECTS, Long.MIN_VALUE + batch);
    }

    void event(
        String type, Instant ts, long user, String session, Long product, Long order, String page)
        throws IOException {
      String line =
          "{\"event_id\":\"ev-%d-%d\",\"event_type\":\"%s\",\"event_ts\":\"%s\",\"user_id\":%d,\"session_id\":\"%s\",\"product_id\":%s,\"order_id\":%s,\"page\":\"%s\"}"
              .formatted(batch, sequence++, type, ts, user, session, product, order, page);
      boolean twice = false;
      if (defect(defectRandom)) {
        switch (defectRandom.nextInt(4)) {
          case 0 -> {
            line = line.substring(0, line.length() / 2);
            count(Defect.CLICKSTREAM_MALFORMED_JSON);
          }
          case 1 -> {
            line =
                defectRandom.nextBoolean()
                    ? line.replace("\"event_ts\":\"" + ts + "\"", "\"event_ts\":\"not-a-time\"")
                    : line.replace("\"user_id\":" + user + ",", "\"user_id\":\"u" + user + "\",");
            count(Defect.CLICKSTREAM_BAD_VALUE);
          }
          case 2 -> {
            line = line.replaceFirst("\"event_id\":\"[^\"]*\",", "");
            count(Defect.CLICKSTREAM_MISSING_REQUIRED);
          }
          default -> {
            twice = true;
            count(Defect.CLICKSTREAM_DUPLICATE);
          }
        }
      }
      OutputStream out = open.computeIfAbsent(day(ts), this::openFile);
      byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
      out.write(bytes);
      lines++;
      if (twice) {
        out.write(bytes);
        lines++;
      }
    }

    private String day(Instant ts) {
      return ts.toString().substring(0, 10);
    }

    private OutputStream openFile(String day) {
      try {
        Path file = dir.resolve("dt=" + day).resolve("part-b%04d.jsonl.gz".formatted(batch));
        Files.createDirectories(file.getParent());
        return new GZIPOutputStream(Files.newOutputStream(file), 1 << 16);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<String> upload() throws IOException {
      List<String> keys = new ArrayList<>();
      try (var files = Files.walk(dir)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
          String relative = dir.relativize(file).toString().replace('\\', '/');
          S3Location target = clickstream.child(relative);
          s3.putObject(
              b -> b.bucket(target.bucket()).key(target.key()), RequestBody.fromFile(file));
          keys.add(target.toString());
        }
      }
      return keys;
    }

    @Override
    public void close() throws IOException {
      for (OutputStream out : open.values()) {
        out.close();
      }
    }
  }
}
