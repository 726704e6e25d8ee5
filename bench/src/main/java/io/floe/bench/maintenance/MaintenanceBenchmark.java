package io.floe.bench.maintenance;

import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import io.floe.core.process.RuntimeLayout;
import io.floe.maintenance.CompactionResult;
import io.floe.maintenance.DeletionLedger;
import io.floe.maintenance.ExpiryResult;
import io.floe.maintenance.Maintenance;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.stack.EmbeddedStack;
import io.floe.stack.StackEndpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * Floe's pure-Java maintenance next to Iceberg's Spark procedures, side by side in one run on an
 * embedded stack (S3, REST catalog, Trino; Spark in its own JVM):
 *
 * <ul>
 *   <li>compaction: one table of {@code --files} small files ({@code --rows} rows each, default
 *       1,000 x 1,000 = 1M rows) registered in two tables; Floe compacts one, Spark's {@code
 *       rewrite_data_files} (bin-pack, same target size) the other; the rows of both must be
 *       identical to each other and to the table before; Trino query times before and after.
 *   <li>expiry: two identical tables of {@code --snapshots} + 1 snapshots (each replacing the
 *       previous one's file); Floe's expiry on one, Spark's {@code expire_snapshots} on the other.
 * </ul>
 *
 * <p>Run by hand from the repository root after {@code ./mvnw package -DskipTests}, with the JVM
 * options the {@code ./floe} launcher gives Floe's commands: {@code java -XX:TieredStopAtLevel=1
 * -XX:CompileThresholdScaling=0.2 -XX:+UseSerialGC -XX:MetaspaceSize=128m -cp
 * "bench/target/classes:$(cat target/runtime/floe-bench/classpath.txt)"
 * io.floe.bench.maintenance.MaintenanceBenchmark [compaction|expiry|all] [--files N] [--rows N]
 * [--snapshots N]}. Spark's times are the procedure's own (session already up); its wall time
 * including JVM start is printed too. The first line printed names where the maintenance classes
 * came from, so a stale jar would be seen.
 */
public final class MaintenanceBenchmark {
  private static final String NAMESPACE = "bench";
  private static final long TARGET = 128L << 20;

  private final StackEndpoints endpoints;
  private final RESTCatalog catalog;
  private final SparkJobLauncher spark;

  private MaintenanceBenchmark(
      StackEndpoints endpoints, RESTCatalog catalog, SparkJobLauncher spark) {
    this.endpoints = endpoints;
    this.catalog = catalog;
    this.spark = spark;
  }

  public static void main(String[] args) throws Exception {
    String what = args.length > 0 && !args[0].startsWith("--") ? args[0] : "all";
    int files = intOption(args, "--files", 1000);
    int rows = intOption(args, "--rows", 1000);
    int snapshots = intOption(args, "--snapshots", 500);
    System.out.printf(
        "maintenance classes from %s%n",
        Maintenance.class.getProtectionDomain().getCodeSource().getLocation());
    System.out.printf(
        "this JVM's options (Floe's in-process runs): %s%n",
        java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-stack-");
    FloeConfig config =
        FloeConfig.parse(
                "(benchmark stack)",
                """
                catalog: {port: 0}
                storage: {port: 0}
                trino: {port: 0, heap: 2G}
                spark: {master: 'local[2]', driver-memory: 2g}
                """,
                System::getenv,
                home)
            .withHome(home);
    System.out.printf("load average at start: %s%n", loadAverage());
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start();
        RESTCatalog catalog = stack.endpoints().catalogConnection().open("bench")) {
      SparkJobLauncher spark =
          new SparkJobLauncher(
              config.spark(), RuntimeLayout.discover(), home.resolve("logs").resolve("jobs"));
      MaintenanceBenchmark bench = new MaintenanceBenchmark(stack.endpoints(), catalog, spark);
      if (what.equals("compaction") || what.equals("all")) {
        bench.compaction(files, rows);
      }
      if (what.equals("expiry") || what.equals("all")) {
        bench.expiry(snapshots);
      }
    }
    System.out.printf("load average at end: %s%n", loadAverage());
  }

  private void compaction(int fileCount, int rows) throws Exception {
    Table floe = BenchTables.create(catalog, id("compact_floe"), true);
    Table other = BenchTables.create(catalog, id("compact_spark"), true);
    Table stitched = BenchTables.create(catalog, id("compact_stitch"), true);
    Table command = BenchTables.create(catalog, id("compact_cli"), true);
    // the uncompacted twin Trino's "before" times are taken on, once the timed runs are over: Trino
    // compiling its query plans in the background would otherwise share the cores with them
    Table untouched = BenchTables.create(catalog, id("compact_none"), true);
    long begin = System.nanoTime();
    List<DataFile> files = BenchTables.writeMany(floe, fileCount, rows, 2);
    for (Table table : List.of(floe, other, stitched, command, untouched)) {
      AppendFiles append = table.newAppend();
      files.forEach(append::appendFile);
      append.commit();
    }
    System.out.printf(
        "%nCOMPACTION: %d files x %d rows written in %d ms (every table shares them)%n",
        fileCount, rows, millisSince(begin));
    long before = floe.currentSnapshot().snapshotId();
    // Floe's run is the first to read the files; the S3 server serves its first GETs cold
    begin = System.nanoTime();
    long bytes = BenchTables.readAll(untouched, files);
    System.out.printf(
        "S3 server warmed: every file read once (%,d bytes) in %d ms%n", bytes, millisSince(begin));
    begin = System.nanoTime();
    bytes = BenchTables.readAll(untouched, files);
    System.out.printf("  and once more in %d ms%n", millisSince(begin));
    // the set-up's garbage (a thousand files written, then read twice) is collected now rather than
    // during Floe's timed run: a `floe compact` JVM starts without it, as Spark's job starts in a
    // JVM of its own
    System.gc();
    waitForQuiet();

    Map<String, Long> cpuBefore = processCpu();
    begin = System.nanoTime();
    CompactionResult result = Maintenance.compact(floe).targetFileSize(TARGET).execute();
    long floeMillis = millisSince(begin);
    Map<String, Long> cpuAfter = processCpu();
    if (!result.failures().isEmpty()) {
      throw new IllegalStateException("Floe compaction failed: " + result.failures());
    }

    // the alternative Floe does not take for tiny row groups: stitching them without decoding
    begin = System.nanoTime();
    CompactionResult stitchResult =
        Maintenance.compact(stitched).targetFileSize(TARGET).stitchRowGroups().execute();
    long stitchMillis = millisSince(begin);
    if (!stitchResult.failures().isEmpty()) {
      throw new IllegalStateException("stitching failed: " + stitchResult.failures());
    }

    waitForQuiet();
    Map<String, Long> sparkCpuBefore = processCpu();
    SparkJobResult job = sparkJob("rewrite", "compact_spark", "--target-size", "" + TARGET);
    Map<String, Long> sparkCpuAfter = processCpu();
    long sparkMillis = job.longValue("millis");

    // what a user runs: the floe command in its own JVM, as its launcher starts it
    long commandMillis = floeCommand("compact_cli");

    long differences =
        count(
                "SELECT count(*) FROM (SELECT * FROM %1$s EXCEPT ALL SELECT * FROM %2$s)"
                    .formatted(table("compact_floe"), table("compact_spark")))
            + count(
                "SELECT count(*) FROM (SELECT * FROM %2$s EXCEPT ALL SELECT * FROM %1$s)"
                    .formatted(table("compact_floe"), table("compact_spark")))
            + count(
                "SELECT count(*) FROM (SELECT * FROM %1$s EXCEPT ALL SELECT * FROM %2$s)"
                    .formatted(table("compact_stitch"), table("compact_floe")))
            + count(
                "SELECT count(*) FROM (SELECT * FROM %1$s EXCEPT ALL SELECT * FROM %2$s)"
                    .formatted(table("compact_cli"), table("compact_floe")))
            + count(
                "SELECT count(*) FROM (SELECT * FROM %1$s FOR VERSION AS OF %2$d EXCEPT ALL SELECT * FROM %1$s)"
                    .formatted(table("compact_floe"), before))
            + count(
                "SELECT count(*) FROM (SELECT * FROM %1$s EXCEPT ALL SELECT * FROM %1$s FOR VERSION AS OF %2$d)"
                    .formatted(table("compact_floe"), before));
    long total = count("SELECT count(*) FROM " + table("compact_floe"));
    if (differences != 0 || total != (long) fileCount * rows) {
      throw new IllegalStateException(
          "rows differ: %d rows differ, %d rows in Floe's table".formatted(differences, total));
    }
    Map<String, Long> trinoBefore = trinoTimes("compact_none");
    Map<String, Long> trinoAfter = trinoTimes("compact_floe");
    Map<String, Long> trinoSpark = trinoTimes("compact_spark");
    Map<String, Long> trinoStitched = trinoTimes("compact_stitch");

    System.out.printf(
        "Floe  compaction: %6d ms  %d files -> %d files (%d groups)%n",
        floeMillis, result.rewrittenFiles(), result.addedFiles(), result.committedGroups());
    System.out.printf(
        "CPU during Floe's run: %s%n",
        cpuAfter.entrySet().stream()
            .map(
                e ->
                    e.getKey()
                        + " "
                        + (e.getValue() - cpuBefore.getOrDefault(e.getKey(), 0L))
                        + " ms")
            .toList());
    System.out.printf(
        "Spark rewrite_data_files: %6d ms  (%d ms with JVM and session start) %s%n",
        sparkMillis, job.elapsed().toMillis(), job.summary());
    System.out.printf(
        "CPU of the services during Spark's job (JVM and session start included): %s%n",
        sparkCpuAfter.entrySet().stream()
            .filter(e -> !e.getKey().startsWith("bench JVM"))
            .map(
                e ->
                    e.getKey()
                        + " "
                        + (e.getValue() - sparkCpuBefore.getOrDefault(e.getKey(), 0L))
                        + " ms")
            .toList());
    System.out.printf(
        "Floe  stitching row groups (not the default for tiny row groups): %6d ms (%.2fx vs Spark)%n",
        stitchMillis, (double) sparkMillis / stitchMillis);
    System.out.printf(
        "compaction speed-up Floe vs Spark: %.2fx (vs Spark incl. start: %.2fx); rows identical (%d)%n",
        (double) sparkMillis / floeMillis, (double) job.elapsed().toMillis() / floeMillis, total);
    System.out.printf(
        "floe compact command (own JVM with the launcher's options, start included): %6d ms;"
            + " Spark job incl. JVM and session start: %d ms: %.2fx%n",
        commandMillis, job.elapsed().toMillis(), (double) job.elapsed().toMillis() / commandMillis);
    System.out.printf(
        "data files now: Floe %d, Spark %d%n",
        count("SELECT count(*) FROM " + table("compact_floe$files")),
        count("SELECT count(*) FROM " + table("compact_spark$files")));
    trinoBefore.forEach(
        (query, millis) ->
            System.out.printf(
                "Trino %-9s before %5d ms, after Floe %5d ms (%.2fx), after Spark %5d ms, after stitching %5d ms%n",
                query,
                millis,
                trinoAfter.get(query),
                (double) millis / trinoAfter.get(query),
                trinoSpark.get(query),
                trinoStitched.get(query)));
  }

  private void expiry(int snapshots) throws Exception {
    long begin = System.nanoTime();
    for (String name : List.of("expire_floe", "expire_spark")) {
      Table table = BenchTables.create(catalog, id(name), false);
      List<DataFile> files = BenchTables.writeMany(table, snapshots + 1, 100, 2);
      // one catalog commit carrying every snapshot, so building the history stays quick
      org.apache.iceberg.Transaction history = table.newTransaction();
      history.newAppend().appendFile(files.get(0)).commit();
      for (int i = 1; i < files.size(); i++) {
        history.newOverwrite().deleteFile(files.get(i - 1)).addFile(files.get(i)).commit();
      }
      history.commitTransaction();
    }
    System.out.printf(
        "%nEXPIRY: two tables of %d snapshots built in %d ms%n", snapshots + 1, millisSince(begin));
    MaintenancePolicy policy =
        MaintenancePolicy.read(
            ConfigNode.parse("bench.yaml", "{snapshot-max-age: 1ms, min-snapshots: 1}", n -> null),
            MaintenancePolicy.defaults());
    DeletionLedger ledger = DeletionLedger.open(catalog, "bench_ledger");
    Table floe = catalog.loadTable(id("expire_floe"));

    begin = System.nanoTime();
    ExpiryResult result =
        Maintenance.expire(floe).policy(policy).forceBelowFloor().ledger(ledger).execute();
    long floeMillis = millisSince(begin);

    SparkJobResult job =
        sparkJob(
            "expire",
            "expire_spark",
            "--older-than-ms",
            "" + System.currentTimeMillis(),
            "--retain-last",
            "1");
    long sparkMillis = job.longValue("millis");
    System.out.printf(
        "Floe  expiry: %6d ms  %d snapshots expired, %d files deleted (recorded in the ledger)%n",
        floeMillis, result.expiredSnapshots().size(), result.deletedFiles().size());
    System.out.printf(
        "Spark expire_snapshots: %6d ms  (%d ms with JVM and session start) %s%n",
        sparkMillis, job.elapsed().toMillis(), job.summary());
    System.out.printf(
        "expiry speed-up Floe vs Spark: %.2fx (vs Spark incl. start: %.2fx)%n",
        (double) sparkMillis / floeMillis, (double) job.elapsed().toMillis() / floeMillis);
  }

  private SparkJobResult sparkJob(String operation, String table, String... more) {
    List<String> arguments =
        new ArrayList<>(List.of("--operation", operation, "--table", NAMESPACE + "." + table));
    arguments.addAll(List.of(more));
    return spark.run(
        new SparkJobSpec(
            "floe-maintenance-spark", "io.floe.maintenance.spark.IcebergMaintenanceJob", arguments),
        endpoints.sparkCatalogConf("floe"));
  }

  /**
   * Wall time of {@code ./floe compact} on the table, in its own JVM started by the launcher (with
   * its class-data archive, written by a first run that compacted a small table, as a scheduled
   * job's earlier runs would have). That first run rewrites 20 files of 100 rows, spread over the
   * table's partitions ({@link BenchTables#CATEGORIES}; 5 in each, the default minimum): one that
   * found nothing to rewrite would archive about 7,000 of the 10,000 classes a compaction loads.
   */
  private long floeCommand(String name) throws Exception {
    FloeCommand command = FloeCommand.configure(endpoints);
    Table small = BenchTables.create(catalog, id("compact_cli_first"), false);
    AppendFiles append = small.newAppend();
    BenchTables.writeMany(small, 20, 100, 2).forEach(append::appendFile);
    append.commit();
    command.run("compact", NAMESPACE + ".compact_cli_first");
    small.refresh();
    // one file per partition once compacted
    String filesLeft = small.currentSnapshot().summary().get(SnapshotSummary.TOTAL_DATA_FILES_PROP);
    int partitions = BenchTables.CATEGORIES.length;
    if (!Integer.toString(partitions).equals(filesLeft)) {
      throw new IllegalStateException(
          "the first floe compact left %s files, not %d: its class-data archive is not a compaction's"
              .formatted(filesLeft, partitions));
    }
    long begin = System.nanoTime();
    command.run("compact", NAMESPACE + "." + name);
    return millisSince(begin);
  }

  /** Median of three runs of each query, after one warm-up. */
  private Map<String, Long> trinoTimes(String name) throws Exception {
    Map<String, String> queries =
        Map.of(
            "aggregate",
            "SELECT count(*), sum(amount), max(ts) FROM " + table(name),
            "filtered",
            "SELECT category, count(*), avg(amount) FROM %s WHERE note LIKE 'note-1%%' GROUP BY category"
                .formatted(table(name)));
    Map<String, Long> times = new java.util.TreeMap<>();
    try (Connection trino = endpoints.openTrino();
        Statement statement = trino.createStatement()) {
      for (Map.Entry<String, String> query : queries.entrySet()) {
        List<Long> runs = new ArrayList<>();
        for (int run = 0; run < 4; run++) {
          long begin = System.nanoTime();
          try (ResultSet rs = statement.executeQuery(query.getValue())) {
            while (rs.next()) {
              // drain
            }
          }
          if (run > 0) {
            runs.add(millisSince(begin));
          }
        }
        runs.sort(null);
        times.put(query.getKey(), runs.get(1));
      }
    }
    return times;
  }

  private long count(String sql) throws Exception {
    try (Connection trino = endpoints.openTrino();
        Statement statement = trino.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String table(String name) {
    return "\"%s\".\"%s\".\"%s\"".formatted(endpoints.trinoCatalog(), NAMESPACE, name);
  }

  private static TableIdentifier id(String name) {
    return TableIdentifier.of(NAMESPACE, name);
  }

  private static long millisSince(long nanos) {
    return (System.nanoTime() - nanos) / 1_000_000;
  }

  /**
   * CPU time so far of this JVM and of each process it started (S3, catalog, Trino), by main class:
   * on two cores, what else ran during a timed run explains much of its spread.
   */
  private static Map<String, Long> processCpu() {
    Map<String, Long> cpu = new java.util.TreeMap<>();
    cpu.put("bench JVM", cpuMillis(ProcessHandle.current()));
    // parts of the bench JVM's time (the compilers' is their threads' elapsed time)
    cpu.put(
        "bench JVM JIT compiling",
        java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime());
    cpu.put(
        "bench JVM GC",
        java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
            .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime)
            .sum());
    ProcessHandle.current()
        .descendants()
        .forEach(p -> cpu.merge(processName(p), cpuMillis(p), Long::sum));
    return cpu;
  }

  /**
   * Waits until the services (S3, catalog, Trino) have used under 5% of a core for a whole second,
   * at most 30 s: a service still compiling its own start-up code would otherwise take a share of
   * the two cores from the timed run that follows, and not from the other one.
   */
  private static void waitForQuiet() throws InterruptedException {
    long begin = System.nanoTime();
    Map<String, Long> last = processCpu();
    while (millisSince(begin) < 30_000) {
      Thread.sleep(1000);
      Map<String, Long> now = processCpu();
      long busy = 0;
      for (Map.Entry<String, Long> e : now.entrySet()) {
        if (!e.getKey().startsWith("bench JVM")) {
          busy += e.getValue() - last.getOrDefault(e.getKey(), 0L);
        }
      }
      System.out.printf("  services used %d ms CPU in the last second%n", busy);
      last = now;
      if (busy < 50) {
        break;
      }
    }
    System.out.printf("services quiet after %d ms%n", millisSince(begin));
  }

  private static long cpuMillis(ProcessHandle process) {
    return process.info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L);
  }

  private static String processName(ProcessHandle process) {
    String line = commandLine(process);
    Map<String, String> known =
        Map.of("s3proxy", "s3proxy", "RestCatalogServerMain", "catalog", "TrinoServer", "trino");
    return known.entrySet().stream()
        .filter(e -> line.contains(e.getKey()))
        .map(Map.Entry::getValue)
        .findFirst()
        .orElse("other " + process.pid());
  }

  /**
   * The whole command line: the JDK's {@code ProcessHandle.Info} cuts a long one short (the
   * catalog's class path alone runs to thousands of characters), so it is read from /proc first.
   */
  private static String commandLine(ProcessHandle process) {
    try {
      return Files.readString(Path.of("/proc", Long.toString(process.pid()), "cmdline"))
          .replace('\0', ' ');
    } catch (Exception e) {
      return process.info().commandLine().orElse("");
    }
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (Exception e) {
      return "unknown";
    }
  }

  static int intOption(String[] args, String name, int defaultValue) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return defaultValue;
  }
}
