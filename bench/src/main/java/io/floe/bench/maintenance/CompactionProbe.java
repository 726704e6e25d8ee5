package io.floe.bench.maintenance;

import io.floe.bench.BenchStack;
import io.floe.core.config.FloeConfig;
import io.floe.maintenance.Compaction;
import io.floe.maintenance.CompactionResult;
import io.floe.maintenance.Maintenance;
import io.floe.stack.EmbeddedStack;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * Floe's compaction alone, repeated on fresh tables sharing one set of small files, for profiling
 * the executor without Spark or Trino: prints each run's wall time, so the first (cold) run and the
 * warm ones can be told apart. Run like {@link MaintenanceBenchmark} with {@code [--files N]
 * [--rows N] [--repeat N] [--parallelism N] [--command] [--warm-s3]} ({@code --command}: through
 * {@code ./floe compact}, each run in its own JVM, FLOE_JAVA_OPTS applying; {@code --warm-s3}:
 * every file read once through S3 before the first run); add {@code
 * -Dorg.slf4j.simpleLogger.log.io.floe.maintenance.Compaction=debug} to see phase times.
 */
public final class CompactionProbe {
  private CompactionProbe() {}

  public static void main(String[] args) throws Exception {
    int files = MaintenanceBenchmark.intOption(args, "--files", 1000);
    int rows = MaintenanceBenchmark.intOption(args, "--rows", 1000);
    int repeat = MaintenanceBenchmark.intOption(args, "--repeat", 3);
    boolean viaCommand = List.of(args).contains("--command");
    boolean warmS3 = List.of(args).contains("--warm-s3");
    int parallelism = MaintenanceBenchmark.intOption(args, "--parallelism", 0);
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "probe-stack-");
    FloeConfig config = BenchStack.withoutTrino(home);
    try (EmbeddedStack stack = EmbeddedStack.builder(config).start();
        RESTCatalog catalog = stack.endpoints().catalogConnection().open("probe")) {
      long begin = System.nanoTime();
      Table first = BenchTables.create(catalog, TableIdentifier.of("bench", "probe_0"), true);
      List<DataFile> written = BenchTables.writeMany(first, files, rows, 2);
      System.out.printf(
          "%d files x %d rows written in %d ms%n",
          files, rows, (System.nanoTime() - begin) / 1_000_000);
      if (warmS3) {
        begin = System.nanoTime();
        long bytes = BenchTables.readAll(first, written);
        System.out.printf(
            "S3 warmed: %,d bytes read in %d ms%n", bytes, (System.nanoTime() - begin) / 1_000_000);
      }
      for (int run = 0; run < repeat; run++) {
        Table table =
            run == 0
                ? first
                : BenchTables.create(catalog, TableIdentifier.of("bench", "probe_" + run), true);
        AppendFiles append = table.newAppend();
        written.forEach(append::appendFile);
        append.commit();
        begin = System.nanoTime();
        long cpuBefore = selfCpu();
        long childrenBefore = childrenCpu();
        if (viaCommand) {
          FloeCommand.configure(stack.endpoints()).run("compact", "bench.probe_" + run);
          System.out.printf(
              "run %d: floe compact command %d ms (cpu: S3 and catalog %d ms)%n",
              run, (System.nanoTime() - begin) / 1_000_000, childrenCpu() - childrenBefore);
          continue;
        }
        Compaction compaction = Maintenance.compact(table).targetFileSize(128L << 20);
        if (parallelism > 0) {
          compaction.parallelism(parallelism);
        }
        CompactionResult result = compaction.execute();
        System.out.printf(
            "run %d: %d ms (cpu: this JVM %d ms, S3 and catalog %d ms), %d files -> %d files%n",
            run,
            (System.nanoTime() - begin) / 1_000_000,
            selfCpu() - cpuBefore,
            childrenCpu() - childrenBefore,
            result.rewrittenFiles(),
            result.addedFiles());
      }
    }
  }

  private static long selfCpu() {
    return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toMillis()).orElse(-1L);
  }

  private static long childrenCpu() {
    return ProcessHandle.current()
        .descendants()
        .mapToLong(p -> p.info().totalCpuDuration().map(d -> d.toMillis()).orElse(0L))
        .sum();
  }
}
