package io.floe.bench.quality;

import com.sun.management.OperatingSystemMXBean;
import io.floe.bench.BenchStack;
import io.floe.catalog.Commits;
import io.floe.catalog.LogTables;
import io.floe.catalog.RecordFiles;
import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.stack.EmbeddedStack;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;

/**
 * Incremental checks alone, for profiling their fixed costs: a 1M-row table in 4 files, then per
 * round a 1% append and an incremental check of it, timed to the verdict and to the end of the
 * metric history commit, with the JIT's compile time and the process CPU per check by quarter of
 * the rounds. Usage: {@code IncrementalProbe <warehouse dir> <rounds>}. The table grows by a
 * snapshot and a manifest per round, so later rounds plan over more metadata; with {@code
 * -Dprobe.keepSnapshots=N} it keeps N snapshots, its manifests are folded by a manifest rewrite
 * once they pass N, and the metric history keeps 160 snapshots, as in the benchmark, or M with
 * {@code -Dprobe.history=M}.
 */
public final class IncrementalProbe {
  public static void main(String[] args) throws Exception {
    if (args[0].equals("commit")) {
      commits(Path.of(args[1]), Integer.parseInt(args[2]));
      return;
    }
    if (args[0].equals("stack-commit")) {
      stackCommits(Integer.parseInt(args[1]));
      return;
    }
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    int rounds = Integer.parseInt(args[1]);
    Table table = checkedTable(catalog, 1_000_000, 4);
    Suite suite = QualityBenchmark.suite(FACTS);
    long appended = 1_000_000;
    double[] v = new double[rounds];
    double[] t = new double[rounds];
    double[] cpu = new double[rounds];
    double[] jit = new double[rounds];
    CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    int profileFrom = Integer.getInteger("probe.profileFrom", -1);
    int keepSnapshots = Integer.getInteger("probe.keepSnapshots", 0);
    for (int i = 0; i < rounds; i++) {
      QualityBenchmark.generate(table, appended, 10_000, 1);
      appended += 10_000;
      if (keepSnapshots > 0) {
        // like the benchmark's table: few snapshots and manifests, and a history of about as
        // many snapshots as its warm-ups leave
        if (table.currentSnapshot().allManifests(table.io()).size() > keepSnapshots) {
          table.rewriteManifests().clusterBy(file -> "all").commit();
        }
        expire(table, keepSnapshots);
        expire(
            catalog.loadTable(QualityBenchmark.config().resultsTable().toIdentifier()),
            Integer.getInteger("probe.history", 160));
        table.refresh();
      }
      boolean profiled = profileFrom >= 0 && i >= profileFrom;
      if (profiled) {
        // the appends stay out of the profile: it is resumed for each check and stopped after
        profiler(
            (i == profileFrom ? "start," : "resume,") + System.getProperty("probe.profileOptions"));
      }
      long[] at = new long[1];
      long cpuStart = os.getProcessCpuTime();
      long jitStart = compiler.getTotalCompilationTime();
      long start = System.nanoTime();
      QualityGate.check(catalog, FACTS)
          .suite(suite)
          .config(QualityBenchmark.config())
          .incremental()
          .onVerdict(x -> at[0] = System.nanoTime())
          .execute();
      v[i] = (at[0] - start) / 1e6;
      t[i] = (System.nanoTime() - start) / 1e6;
      cpu[i] = (os.getProcessCpuTime() - cpuStart) / 1e6;
      jit[i] = compiler.getTotalCompilationTime() - jitStart;
      if (profiled) {
        profiler("stop");
      }
    }
    if (profileFrom >= 0) {
      profiler(System.getProperty("probe.profileDump"));
    }
    for (int q = 0; q < 4; q++) {
      int from = q * rounds / 4;
      int to = (q + 1) * rounds / 4;
      System.out.printf(
          "rounds %d-%d: compiling %.1f ms, process CPU %.1f ms, wall %.1f ms per check%n",
          from,
          to,
          Arrays.stream(jit, from, to).average().orElse(0),
          Arrays.stream(cpu, from, to).average().orElse(0),
          Arrays.stream(t, from, to).average().orElse(0));
    }
    Arrays.sort(v);
    Arrays.sort(t);
    double cpuTotal = Arrays.stream(cpu).sum();
    double wallTotal = Arrays.stream(t).sum();
    System.out.printf(
        "incremental to verdict: best %.1f ms median %.1f ms; with commit best %.1f median %.1f;"
            + " process CPU per check (all threads, JIT and GC included) mean %.1f ms over a mean"
            + " %.1f ms%n",
        v[0], v[rounds / 2], t[0], t[rounds / 2], cpuTotal / rounds, wallTotal / rounds);
  }

  private static void expire(Table table, int kept) {
    table
        .expireSnapshots()
        .expireOlderThan(System.currentTimeMillis() + 1)
        .retainLast(kept)
        .cleanExpiredFiles(false)
        .commit();
  }

  /**
   * Runs an async-profiler command (from round {@code -Dprobe.profileFrom}, {@code start} or {@code
   * resume} with {@code -Dprobe.profileOptions=event=cpu,...} before each check and {@code stop}
   * after it; {@code -Dprobe.profileDump=dump,collapsed,file=...} after the last) through its Java
   * API, which must be on the class path, with {@code -Dprobe.profilerLib} naming its native
   * library: the warm-up rounds stay out of the profile.
   */
  private static void profiler(String command) throws Exception {
    Class<?> type = Class.forName("one.profiler.AsyncProfiler");
    Object profiler =
        type.getMethod("getInstance", String.class)
            .invoke(null, System.getProperty("probe.profilerLib"));
    type.getMethod("execute", String.class).invoke(profiler, command);
  }

  private static final TableRef FACTS = new TableRef("bench", "facts");

  /** The fact table of {@code rows} rows in {@code files} files, checked once in full. */
  private static Table checkedTable(HadoopCatalog catalog, long rows, int files) throws Exception {
    catalog.createNamespace(Namespace.of(FACTS.namespace()));
    Table table =
        catalog.createTable(
            FACTS.toIdentifier(), QualityBenchmark.SCHEMA, PartitionSpec.unpartitioned());
    QualityBenchmark.generate(table, 0, rows, files);
    QualityGate.check(catalog, FACTS)
        .suite(QualityBenchmark.suite(FACTS))
        .config(QualityBenchmark.config())
        .execute();
    return table;
  }

  /**
   * {@code commit <warehouse dir> <rounds>}: the history append alone, of the rows one evaluation
   * of the 10-check suite wrote, on the metric history table itself, alternating the two ways to
   * append them so both see the same table size and machine load: files stored first and the
   * manifest written in the commit ({@link RecordFiles#write}), or files and manifest written in
   * memory and stored at once ({@link RecordFiles#appendToLog}).
   */
  private static void commits(Path warehouse, int rounds) throws Exception {
    HadoopCatalog catalog = QualityBenchmark.catalog(warehouse);
    checkedTable(catalog, 100_000, 1);
    Table results = catalog.loadTable(QualityBenchmark.config().resultsTable().toIdentifier());
    List<Record> evaluation = new ArrayList<>();
    try (CloseableIterable<Record> rows = IcebergGenerics.read(results).build()) {
      rows.forEach(row -> evaluation.add(row.copy()));
    }
    double[] stored = new double[rounds];
    double[] inMemory = new double[rounds];
    for (int i = 0; i < 2 * rounds; i++) {
      long start = System.nanoTime();
      if (i % 2 == 0) {
        Commits.appendToLog(results, RecordFiles.write(results, evaluation, FileFormat.AVRO));
        stored[i / 2] = (System.nanoTime() - start) / 1e6;
      } else {
        RecordFiles.appendToLog(results, evaluation);
        inMemory[i / 2] = (System.nanoTime() - start) / 1e6;
      }
    }
    Arrays.sort(stored);
    Arrays.sort(inMemory);
    System.out.printf(
        "history append of %d rows: files stored first median %.2f ms (best %.2f); written in"
            + " memory and stored at once median %.2f ms (best %.2f); %d appends each%n",
        evaluation.size(),
        stored[rounds / 2],
        stored[0],
        inMemory[rounds / 2],
        inMemory[0],
        rounds);
  }

  /**
   * {@code stack-commit <rounds>}: the metric history append in the embedded stack (REST catalog,
   * S3), the table loaded before each append as an evaluation preloads it, alternating the append
   * before and after the change to in-memory files: files stored, then a commit that loads the
   * table and writes the manifest ({@link RecordFiles#write}, then {@link Commits#alone}); or files
   * and manifest written in memory, stored at once, committed on the metadata loaded ({@link
   * RecordFiles#appendToLog}).
   */
  private static void stackCommits(int rounds) throws Exception {
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "probe-stack-");
    FloeConfig config = BenchStack.withoutTrino(home);
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start();
        RESTCatalog catalog = stack.endpoints().catalogConnection().open("probe")) {
      catalog.createNamespace(Namespace.of("floe_quality"));
      TableIdentifier id = TableIdentifier.of("floe_quality", "history");
      Schema schema =
          new Schema(
              Types.NestedField.required(1, "table_name", Types.StringType.get()),
              Types.NestedField.required(2, "check_name", Types.StringType.get()),
              Types.NestedField.optional(3, "metric", Types.DoubleType.get()));
      catalog.createTable(
          id,
          schema,
          PartitionSpec.builderFor(schema).identity("table_name").build(),
          LogTables.PROPERTIES);
      List<Record> evaluation = new ArrayList<>();
      for (int c = 0; c < 10; c++) {
        GenericRecord row = GenericRecord.create(schema);
        row.setField("table_name", "bench.facts");
        row.setField("check_name", "check_" + c);
        row.setField("metric", c * 1.5);
        evaluation.add(row);
      }
      double[] before = new double[rounds];
      double[] after = new double[rounds];
      for (int i = 0; i < 2 * rounds + 10; i++) {
        Table table = catalog.loadTable(id);
        long start = System.nanoTime();
        if (i % 2 == 0) {
          List<DataFile> files = RecordFiles.write(table, evaluation, FileFormat.AVRO);
          Commits.alone(
              table,
              committing -> {
                AppendFiles append = Commits.promptly(committing.newFastAppend());
                files.forEach(append::appendFile);
                return append;
              });
        } else {
          RecordFiles.appendToLog(table, evaluation);
        }
        double millis = (System.nanoTime() - start) / 1e6;
        // the first ten appends warm both paths up
        if (i >= 10) {
          (i % 2 == 0 ? before : after)[(i - 10) / 2] = millis;
        }
      }
      Arrays.sort(before);
      Arrays.sort(after);
      System.out.printf(
          "history append in the embedded stack: before median %.2f ms (best %.2f); after median"
              + " %.2f ms (best %.2f); %d appends each%n",
          before[rounds / 2], before[0], after[rounds / 2], after[0], rounds);
    }
  }
}
