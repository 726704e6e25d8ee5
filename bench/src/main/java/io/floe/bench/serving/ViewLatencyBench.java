package io.floe.bench.serving;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.stack.EmbeddedStack;
import io.floe.stack.StackEndpoints;
import io.floe.stack.StackState;
import io.floe.trino.InterfaceViews;
import io.floe.trino.ViewSyncResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;

/**
 * Trino start time and warm p50/p95 latency of the e-commerce interface views, as the {@code bi}
 * user, on synthetic gold tables of the example's shape: {@code gold.category_report} with DAYS x
 * CATEGORIES rows and {@code gold.order_report} with DAYS rows, published the way the gate does.
 *
 * <p>Run by hand after {@code ./mvnw -q package -DskipTests}: {@code java -cp
 * "bench/target/classes:$(cat target/runtime/floe-bench/classpath.txt)"
 * io.floe.bench.serving.ViewLatencyBench [days] [categories] [runs]} (or from an IDE).
 */
public final class ViewLatencyBench {
  private static final Schema CATEGORY_REPORT =
      new Schema(
          Types.NestedField.required(1, "day", Types.DateType.get()),
          Types.NestedField.required(2, "category_id", Types.IntegerType.get()),
          Types.NestedField.required(3, "category_name", Types.StringType.get()),
          Types.NestedField.required(4, "avg_revenue", Types.DecimalType.of(18, 2)),
          Types.NestedField.required(5, "median_revenue", Types.DecimalType.of(18, 2)),
          Types.NestedField.required(6, "item_count", Types.LongType.get()));
  private static final Schema ORDER_REPORT =
      new Schema(
          Types.NestedField.required(1, "day", Types.DateType.get()),
          Types.NestedField.required(2, "order_count", Types.LongType.get()),
          Types.NestedField.required(3, "total_revenue", Types.DecimalType.of(18, 2)),
          Types.NestedField.required(4, "avg_revenue", Types.DecimalType.of(18, 2)));

  private ViewLatencyBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--home")) {
      measureRunningStack(Path.of(args[1]), args.length > 2 ? Integer.parseInt(args[2]) : 50);
      return;
    }
    int days = args.length > 0 ? Integer.parseInt(args[0]) : 730;
    int categories = args.length > 1 ? Integer.parseInt(args[1]) : 50;
    int runs = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    Path home = Files.createTempDirectory("floe-bench-serving-");
    FloeConfig config =
        FloeConfig.parse(
                "(bench)",
                "{catalog: {port: 0}, storage: {port: 0}, trino: {port: 0, heap: 2G}}",
                System::getenv,
                home)
            .withHome(home);
    long begin = System.nanoTime();
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start()) {
      System.out.printf(
          "stack ready in %d ms; per service: %s%n",
          (System.nanoTime() - begin) / 1_000_000, stack.startTimes());
      StackEndpoints endpoints = stack.endpoints();
      LocalDate first = LocalDate.of(2024, 1, 1);
      try (RESTCatalog catalog = endpoints.catalogConnection().open("bench")) {
        catalog.createNamespace(Namespace.of("gold"));
        Table categoryReport =
            catalog.createTable(
                TableRef.parse("gold.category_report").toIdentifier(),
                CATEGORY_REPORT,
                PartitionSpec.unpartitioned());
        Table orderReport =
            catalog.createTable(
                TableRef.parse("gold.order_report").toIdentifier(),
                ORDER_REPORT,
                PartitionSpec.unpartitioned());
        Random random = new Random(42);
        List<Record> categoryRows = new ArrayList<>();
        List<Record> orderRows = new ArrayList<>();
        for (int d = 0; d < days; d++) {
          LocalDate day = first.plusDays(d);
          for (int c = 1; c <= categories; c++) {
            GenericRecord row = GenericRecord.create(CATEGORY_REPORT);
            row.setField("day", day);
            row.setField("category_id", c);
            row.setField("category_name", "category-" + c);
            row.setField("avg_revenue", money(20 + random.nextDouble() * 200));
            row.setField("median_revenue", money(15 + random.nextDouble() * 150));
            row.setField("item_count", 50L + random.nextInt(500));
            categoryRows.add(row);
          }
          GenericRecord order = GenericRecord.create(ORDER_REPORT);
          long orders = 1000L + random.nextInt(500);
          BigDecimal total = money(orders * (50 + random.nextDouble() * 50));
          order.setField("day", day);
          order.setField("order_count", orders);
          order.setField("total_revenue", total);
          order.setField(
              "avg_revenue", total.divide(BigDecimal.valueOf(orders), 2, RoundingMode.HALF_UP));
          orderRows.add(order);
        }
        publish(categoryReport, categoryRows);
        publish(orderReport, orderRows);
        System.out.printf(
            "synthetic gold: category_report %d rows (%d days x %d categories), order_report %d rows%n",
            categoryRows.size(), days, categories, orderRows.size());
      }
      try (Connection admin = endpoints.openTrino()) {
        ViewSyncResult synced =
            InterfaceViews.sync(
                admin,
                endpoints.trinoCatalog(),
                InterfaceViews.ecommerceDefaults(endpoints.trinoCatalog()));
        if (!synced.allSynced()) {
          throw new IllegalStateException("views failed: " + synced.failed());
        }
      }
      measure(endpoints, first.plusDays(days / 2), runs);
    } finally {
      deleteQuietly(home);
    }
  }

  /**
   * The same queries on the gold tables of the stack running in {@code home}, for example what
   * {@code floe run --orders 1000000} published; the month starts mid-way through its days.
   */
  private static void measureRunningStack(Path home, int runs) throws Exception {
    StackEndpoints endpoints =
        StackState.read(home.toAbsolutePath())
            .orElseThrow(() -> new IllegalStateException("no stack running in " + home))
            .endpoints();
    LocalDate monthStart;
    try (Connection admin = endpoints.openTrino();
        Statement statement = admin.createStatement();
        ResultSet days =
            statement.executeQuery(
                "SELECT min(day), max(day), count(*) FROM iceberg.interface.order_report")) {
      days.next();
      LocalDate min = days.getDate(1).toLocalDate();
      LocalDate max = days.getDate(2).toLocalDate();
      monthStart = min.plusDays((max.toEpochDay() - min.toEpochDay()) / 2);
      System.out.printf(
          "gold of %s: order_report %d days, %s to %s%n", home, days.getLong(3), min, max);
    }
    try (Connection admin = endpoints.openTrino();
        Statement statement = admin.createStatement();
        ResultSet rows =
            statement.executeQuery("SELECT count(*) FROM iceberg.interface.category_report")) {
      rows.next();
      System.out.printf("category_report %d rows%n", rows.getLong(1));
    }
    measure(endpoints, monthStart, runs);
  }

  /** Warm p50/p95 of each view query as {@code bi}, after five unmeasured runs. */
  private static void measure(StackEndpoints endpoints, LocalDate monthStart, int runs)
      throws Exception {
    Map<String, String> queries = new LinkedHashMap<>();
    queries.put(
        "category_report, one month",
        "SELECT * FROM iceberg.interface.category_report WHERE day BETWEEN DATE '%s' AND DATE '%s'"
            .formatted(monthStart, monthStart.plusDays(30)));
    queries.put(
        "category_report, avg per category over all days",
        "SELECT category_name, avg(avg_revenue), sum(item_count) FROM iceberg.interface.category_report GROUP BY 1");
    queries.put(
        "order_report, all days", "SELECT * FROM iceberg.interface.order_report ORDER BY day");
    queries.put(
        "order_report, one day",
        "SELECT * FROM iceberg.interface.order_report WHERE day = DATE '%s'".formatted(monthStart));
    try (Connection bi = endpoints.openTrinoAs("bi", Optional.empty())) {
      for (Map.Entry<String, String> query : queries.entrySet()) {
        for (int i = 0; i < 5; i++) {
          run(bi, query.getValue());
        }
        long[] nanos = new long[runs];
        long rows = 0;
        for (int i = 0; i < runs; i++) {
          long start = System.nanoTime();
          rows = run(bi, query.getValue());
          nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        System.out.printf(
            "%-50s rows %6d  p50 %6.1f ms  p95 %6.1f ms  (warm, %d runs as bi)%n",
            query.getKey(), rows, millis(nanos, 0.50), millis(nanos, 0.95), runs);
      }
    }
  }

  private static long run(Connection connection, String sql) throws Exception {
    long rows = 0;
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      while (result.next()) {
        rows++;
      }
    }
    return rows;
  }

  private static double millis(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, index)] / 1e6;
  }

  private static BigDecimal money(double value) {
    return BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP);
  }

  /**
   * One snapshot on an audit branch, then main fast-forwards and a publish tag: as the gate does.
   */
  private static void publish(Table table, List<Record> rows) throws IOException {
    var file =
        table
            .io()
            .newOutputFile(
                table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet"));
    DataWriter<Record> writer =
        Parquet.writeData(file)
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .overwrite()
            .build();
    try (writer) {
      rows.forEach(writer::write);
    }
    DataFile dataFile = writer.toDataFile();
    String branch = Refs.auditBranch("bench");
    table.newAppend().appendFile(dataFile).toBranch(branch).commit();
    table.refresh();
    long snapshot = table.refs().get(branch).snapshotId();
    table
        .manageSnapshots()
        .createBranch(Refs.MAIN, snapshot)
        .createTag(Refs.publishedTag(Instant.now()), snapshot)
        .commit();
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted((a, b) -> b.compareTo(a)).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
