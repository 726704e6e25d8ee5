package io.floe.bench.quality;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.quality.CheckResult;
import io.floe.quality.QualityConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;

/**
 * Incremental {@code references} checks of a fact table against a large dimension: per round a 1%
 * append of orders, then an incremental check of the orders' buyers, timed, with the heap's peak
 * during it. The appended buyers are either recent ones (the dimension's last file holds them all,
 * as when new orders come from new customers) or spread over the whole dimension. Usage: {@code
 * ReferenceBenchmark <warehouse dir> <buyers> <buyer files> <recent|spread|full> [<rounds>]}.
 *
 * <p>{@code full} times full checks instead, each reading every buyer when the orders hold at least
 * half as many rows: whether the buyers fit the heap, and what reading them in slices costs. {@code
 * -Dbench.orders=<rows>} sets the orders' rows (1,000,000), {@code -Dbench.keyMemory=<bytes>}
 * {@code quality.key-memory} (unset: half the heap).
 */
public final class ReferenceBenchmark {
  static final Schema BUYERS =
      new Schema(Types.NestedField.required(1, "buyer_id", Types.LongType.get()));

  private ReferenceBenchmark() {}

  public static void main(String[] args) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    long buyers = Long.parseLong(args[1]);
    int buyerFiles = Integer.parseInt(args[2]);
    boolean recent = args[3].equals("recent");
    int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 8;
    QualityBenchmark.benchNamespace(catalog);
    TableRef dimension = new TableRef("bench", "buyers_" + buyers + "_" + buyerFiles);
    if (!catalog.tableExists(dimension.toIdentifier())) {
      Table dim =
          catalog.createTable(dimension.toIdentifier(), BUYERS, PartitionSpec.unpartitioned());
      AppendFiles append = dim.newFastAppend();
      long perFile = buyers / buyerFiles;
      for (int f = 0; f < buyerFiles; f++) {
        long first = f * perFile;
        append.appendFile(
            write(dim, BUYERS, f == buyerFiles - 1 ? buyers - first : perFile, i -> first + i));
      }
      append.commit();
    }
    long orderRows = Long.getLong("bench.orders", 1_000_000);
    boolean full = args[3].equals("full");
    // full checks leave the orders as they are: a later run reuses them
    TableRef ref =
        new TableRef(
            "bench",
            full
                ? "orders_" + orderRows
                : "orders_" + UUID.randomUUID().toString().substring(0, 8));
    Table orders;
    if (catalog.tableExists(ref.toIdentifier())) {
      orders = catalog.loadTable(ref.toIdentifier());
    } else {
      orders =
          catalog.createTable(
              ref.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
      QualityBenchmark.generate(orders, 0, orderRows, Math.max(4, (int) (orderRows / 1_000_000)));
    }
    Suite suite =
        Suites.parse(
            ref,
            ConfigNode.parse(
                "references suite",
                "checks:\n  - references: {column: buyer_id, table: %s}\n".formatted(dimension),
                name -> null));
    if (full) {
      full(catalog, ref, suite, orderRows, buyers, rounds);
      return;
    }
    // the first check finds no base: it evaluates in full and stores the states
    long fullStart = System.nanoTime();
    check(catalog, ref, suite);
    System.out.printf(
        "full references check of %,d orders (first, cold): %.3f s%n",
        orderRows, QualityBenchmark.seconds(fullStart));

    SplittableRandom random = new SplittableRandom(42);
    long lastFile = buyers - buyers / buyerFiles;
    double[] seconds = new double[rounds];
    long[] peaks = new long[rounds];
    String source = "";
    for (int round = 0; round < rounds; round++) {
      orders
          .newFastAppend()
          .appendFile(
              write(
                  orders,
                  QualityBenchmark.SCHEMA,
                  10_000,
                  i ->
                      recent
                          ? lastFile + random.nextLong(buyers - lastFile)
                          : random.nextLong(buyers)))
          .commit();
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      Verdict verdict = check(catalog, ref, suite);
      seconds[round] = QualityBenchmark.seconds(start);
      peaks[round] = heapPeak();
      CheckResult result = verdict.results().get(0);
      source = result.source() + ", " + result.status();
    }
    double[] sorted = seconds.clone();
    Arrays.sort(sorted);
    long[] sortedPeaks = peaks.clone();
    Arrays.sort(sortedPeaks);
    System.out.printf(
        "incremental references check after a 1%% append, %s buyers, against %,d buyers in %d files:"
            + " best %.3f s, median %.3f s, heap peak median %d MB (%s)%n",
        recent ? "recent" : "spread",
        buyers,
        buyerFiles,
        sorted[0],
        sorted[rounds / 2],
        sortedPeaks[rounds / 2] >> 20,
        source);
  }

  private static void full(
      HadoopCatalog catalog, TableRef ref, Suite suite, long orderRows, long buyers, int rounds) {
    QualityConfig config = QualityBenchmark.keyMemoryConfig();
    for (int round = 0; round < rounds; round++) {
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      Verdict verdict = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
      double seconds = QualityBenchmark.seconds(start);
      CheckResult result = verdict.results().get(0);
      System.out.printf(
          "full references check of %,d orders against %,d buyers, round %d: %.2f s, heap peak"
              + " %d MB, heap max %d MB; %s: %s%n",
          orderRows,
          buyers,
          round,
          seconds,
          heapPeak() >> 20,
          Runtime.getRuntime().maxMemory() >> 20,
          result.status(),
          result.message());
    }
  }

  private static Verdict check(HadoopCatalog catalog, TableRef ref, Suite suite) {
    return QualityGate.check(catalog, ref)
        .suite(suite)
        .config(QualityBenchmark.config())
        .incremental()
        .execute();
  }

  private interface Buyer {
    long of(long row);
  }

  /** One Parquet file of {@code rows} rows of {@code schema}, with the buyer of each row. */
  private static DataFile write(Table table, Schema schema, long rows, Buyer buyer)
      throws Exception {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(schema)
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(PartitionSpec.unpartitioned())
            .overwrite()
            .build();
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    GenericRecord row = GenericRecord.create(schema);
    try (writer) {
      for (long i = 0; i < rows; i++) {
        row.setField("buyer_id", buyer.of(i));
        if (schema.findField("order_id") != null) {
          row.setField("order_id", 2_000_000_000L + i);
          row.setField("status", "placed");
          row.setField("revenue", 10.0);
          row.setField("quantity", 1);
          row.setField("order_ts", now);
        }
        writer.write(row);
      }
    }
    return writer.toDataFile();
  }

  /** The heap in use at its peak since the pools' peaks were last reset, in bytes. */
  static long heapPeak() {
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    return peak;
  }
}
