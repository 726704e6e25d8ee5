package io.floe.bench.quality;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.quality.QualityGate;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.quality.Verdict;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;

/**
 * A metadata-only check of a wide table with many files: its manifests carry bounds and counts for
 * every column of every file, of which the suite needs two. Fabricates the table (manifest entries
 * only, no data files: the checks are answered from statistics), then times a check four times and
 * reports the heap's peak during each. Usage: {@code WideTableBenchmark <warehouse dir> <columns>
 * <files>}; run it with a heap cap ({@code -Xmx}) to see whether the check fits.
 */
public final class WideTableBenchmark {
  public static void main(String[] args) throws Exception {
    int columns = Integer.parseInt(args[1]);
    int files = Integer.parseInt(args[2]);
    HadoopCatalog catalog = QualityBenchmark.catalog(Path.of(args[0]));
    if (!catalog.namespaceExists(Namespace.of("bench"))) {
      catalog.createNamespace(Namespace.of("bench"));
    }
    TableRef ref = new TableRef("bench", "wide_%d_%d".formatted(columns, files));
    if (!catalog.tableExists(ref.toIdentifier())) {
      fabricate(catalog, ref, columns, files);
    }
    Suite suite =
        Suites.parse(
            ref,
            ConfigNode.parse(
                "wide-table suite",
                """
                checks:
                  - row-count: {min: 1}
                  - max: {column: c1, max: 100000000}
                  - not-null: [c2]
                """,
                name -> null));
    for (int round = 0; round < 4; round++) {
      System.gc();
      ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
      long start = System.nanoTime();
      Verdict verdict =
          QualityGate.check(catalog, ref).suite(suite).config(QualityBenchmark.config()).execute();
      double seconds = QualityBenchmark.seconds(start);
      long peak = 0;
      for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
        if (pool.getType() == MemoryType.HEAP) {
          peak += pool.getPeakUsage().getUsed();
        }
      }
      System.out.printf(
          "%d columns, %,d files: check %.3f s, heap peak %d MB, passed=%s, sources %s%n",
          columns,
          files,
          seconds,
          peak >> 20,
          verdict.passed(),
          verdict.results().stream().map(r -> r.source().name()).distinct().toList());
    }
  }

  /** Manifest entries with full statistics for every column, 1,000 files per commit. */
  private static void fabricate(HadoopCatalog catalog, TableRef ref, int columns, int files) {
    List<Types.NestedField> fields = new ArrayList<>();
    for (int c = 1; c <= columns; c++) {
      fields.add(Types.NestedField.optional(c, "c" + c, Types.LongType.get()));
    }
    Table table =
        catalog.createTable(
            ref.toIdentifier(),
            new Schema(fields),
            PartitionSpec.unpartitioned(),
            Map.of(TableProperties.DEFAULT_WRITE_METRICS_MODE, "full"));
    AppendFiles append = table.newFastAppend();
    for (int f = 0; f < files; f++) {
      if (f > 0 && f % 1_000 == 0) {
        append.commit();
        append = table.newFastAppend();
      }
      Map<Integer, Long> values = new HashMap<>();
      Map<Integer, Long> nulls = new HashMap<>();
      Map<Integer, ByteBuffer> lower = new HashMap<>();
      Map<Integer, ByteBuffer> upper = new HashMap<>();
      for (int c = 1; c <= columns; c++) {
        values.put(c, 1_000L);
        nulls.put(c, 0L);
        lower.put(c, Conversions.toByteBuffer(Types.LongType.get(), (long) f));
        upper.put(c, Conversions.toByteBuffer(Types.LongType.get(), f + 1_000L));
      }
      append.appendFile(
          DataFiles.builder(PartitionSpec.unpartitioned())
              .withPath(table.location() + "/data/fabricated-" + f + ".parquet")
              .withFormat(FileFormat.PARQUET)
              .withFileSizeInBytes(100_000)
              .withRecordCount(1_000)
              .withMetrics(new Metrics(1_000L, null, values, nulls, null, lower, upper))
              .build());
    }
    append.commit();
  }
}
