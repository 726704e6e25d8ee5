package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.hadoop.HadoopCatalog;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Planning from the manifests lists what Iceberg's scan lists, or leaves deletes to it. */
class ManifestScanTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "kind", Types.StringType.get()),
          Types.NestedField.optional(3, "amount", Types.DoubleType.get()));
  private static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).identity("kind").build();

  @TempDir Path dir;
  private ExecutorService pool;
  private Table table;

  @BeforeEach
  void create() {
    pool = Executors.newFixedThreadPool(2);
    HadoopCatalog catalog = new HadoopCatalog(new Configuration(), dir.toString());
    table =
        catalog.createTable(
            TableIdentifier.of("db", "t"),
            SCHEMA,
            SPEC,
            Map.of(
                TableProperties.FORMAT_VERSION,
                "2",
                TableProperties.MANIFEST_MIN_MERGE_COUNT,
                "100"));
    // six appends of three files each: six manifests; file n holds ids 100n to 100n+99, of kind
    // a, b, c in turn
    int file = 0;
    for (int append = 0; append < 6; append++) {
      var files = table.newFastAppend();
      for (String kind : List.of("a", "b", "c")) {
        files.appendFile(file(file++, kind));
      }
      files.commit();
    }
  }

  @AfterEach
  void stop() {
    pool.shutdownNow();
  }

  private DataFile file(int number, String kind) {
    long low = number * 100L;
    return DataFiles.builder(SPEC)
        .withPath(table.location() + "/data/kind=" + kind + "/f" + number + ".parquet")
        .withFormat("parquet")
        .withFileSizeInBytes(1000)
        .withPartitionPath("kind=" + kind)
        .withMetrics(
            new Metrics(
                100L,
                null,
                Map.of(1, 100L, 3, 100L),
                Map.of(1, 0L, 3, 0L),
                null,
                Map.of(1, bound(low), 3, Conversions.toByteBuffer(Types.DoubleType.get(), 0.0)),
                Map.of(
                    1, bound(low + 99), 3, Conversions.toByteBuffer(Types.DoubleType.get(), 1.0))))
        .build();
  }

  private static ByteBuffer bound(long value) {
    return Conversions.toByteBuffer(Types.LongType.get(), value);
  }

  private Set<String> icebergPlans(Expression filter) throws IOException {
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      Set<String> locations = new HashSet<>();
      tasks.forEach(task -> locations.add(task.file().location()));
      return locations;
    }
  }

  private Set<String> planned(Expression filter) {
    return ManifestScan.dataFiles(table, table.currentSnapshot(), filter, Set.of(1), pool)
        .orElseThrow()
        .stream()
        .map(DataFile::location)
        .collect(Collectors.toSet());
  }

  @Test
  void theFilesMatchIcebergsPlanByPartitionAndByColumnBounds() throws IOException {
    assertThat(table.currentSnapshot().allManifests(table.io())).hasSize(6);
    for (Expression filter :
        List.of(
            Expressions.alwaysTrue(),
            Expressions.equal("kind", "b"),
            Expressions.greaterThanOrEqual("id", 1250L),
            Expressions.and(Expressions.equal("kind", "a"), Expressions.lessThan("id", 700L)),
            Expressions.equal("kind", "none"))) {
      assertThat(planned(filter)).as(filter.toString()).isEqualTo(icebergPlans(filter));
    }
    assertThat(planned(Expressions.equal("kind", "b"))).hasSize(6);
    assertThat(planned(Expressions.greaterThanOrEqual("id", 1250L))).hasSize(6);
  }

  @Test
  void removedFilesAreGoneAndOnlyTheAskedColumnsKeepStatistics() throws IOException {
    DataFile first = file(0, "a");
    table.newDelete().deleteFile(first).commit();

    List<DataFile> files =
        ManifestScan.dataFiles(
                table, table.currentSnapshot(), Expressions.alwaysTrue(), Set.of(1), pool)
            .orElseThrow();

    assertThat(files).hasSize(17).noneMatch(f -> f.location().equals(first.location()));
    assertThat(files.stream().map(DataFile::location).collect(Collectors.toSet()))
        .isEqualTo(icebergPlans(Expressions.alwaysTrue()));
    assertThat(files).allSatisfy(f -> assertThat(f.upperBounds()).containsOnlyKeys(1));
  }

  @Test
  void aSnapshotWithDeleteFilesIsLeftToIcebergsScanWhichAttachesThem() {
    DeleteFile deletes =
        FileMetadata.deleteFileBuilder(SPEC)
            .ofPositionDeletes()
            .withPath(table.location() + "/data/kind=b/deletes.parquet")
            .withFormat("parquet")
            .withFileSizeInBytes(100)
            .withPartitionPath("kind=b")
            .withRecordCount(1)
            .build();
    table.newRowDelta().addDeletes(deletes).commit();

    assertThat(
            ManifestScan.dataFiles(
                table, table.currentSnapshot(), Expressions.alwaysTrue(), Set.of(1), pool))
        .isEmpty();
    List<FileScanTask> tasks =
        ManifestScan.tasks(
            table, table.currentSnapshot(), Expressions.alwaysTrue(), List.of("id"), pool);
    assertThat(tasks).hasSize(18);
    assertThat(tasks)
        .filteredOn(task -> task.file().location().contains("kind=b"))
        .allSatisfy(task -> assertThat(task.deletes()).hasSize(1));
    assertThat(tasks)
        .filteredOn(task -> task.file().location().contains("kind=a"))
        .allSatisfy(task -> assertThat(task.deletes()).isEmpty());
  }

  @Test
  void tasksWithoutDeletesAreTheDataFilesWithTheirResiduals() {
    Expression filter =
        Expressions.and(Expressions.equal("kind", "c"), Expressions.lessThan("id", 1000L));
    List<FileScanTask> tasks =
        ManifestScan.tasks(table, table.currentSnapshot(), filter, List.of("id"), pool);

    assertThat(tasks).hasSize(3);
    assertThat(tasks).allSatisfy(task -> assertThat(task.deletes()).isEmpty());
    // the partition predicate is decided by the partition; the bound on id is left to the rows
    assertThat(tasks.get(0).residual().toString()).contains("id").doesNotContain("kind");
    assertThat(tasks).allSatisfy(task -> assertThat(task.file().upperBounds()).containsOnlyKeys(1));
  }

  @Test
  void aPlanWithDeletesFromFetchedManifestsAttachesWhatIcebergsScanAttaches() throws IOException {
    // position deletes in two partitions, one of them naming a single file, then more data and an
    // equality delete in a third: deletes of several manifests and sequence numbers
    table
        .newRowDelta()
        .addDeletes(positionDeletes("b", null))
        .addDeletes(positionDeletes("a", file(3, "a").location()))
        .commit();
    table.newFastAppend().appendFile(file(18, "c")).appendFile(file(19, "b")).commit();
    table
        .newRowDelta()
        .addDeletes(
            FileMetadata.deleteFileBuilder(SPEC)
                .ofEqualityDeletes(1)
                .withPath(table.location() + "/data/kind=c/eq.parquet")
                .withFormat("parquet")
                .withFileSizeInBytes(100)
                .withPartitionPath("kind=c")
                .withRecordCount(1)
                .build())
        .commit();
    table.newFastAppend().appendFile(file(20, "c")).commit();

    for (Expression filter :
        List.of(
            Expressions.alwaysTrue(),
            Expressions.equal("kind", "b"),
            Expressions.greaterThanOrEqual("id", 1250L))) {
      Map<String, Set<String>> iceberg = deletesByFile(icebergTasks(filter));
      // fetched within the budget, and over it (left to Iceberg's own planning)
      for (long budget : List.of(ManifestScan.FETCHED_BYTES, 0L)) {
        List<FileScanTask> tasks =
            ManifestScan.withDeletes(
                table,
                table.currentSnapshot(),
                scan -> scan.filter(filter).includeColumnStats(List.of("id")),
                pool,
                budget);
        assertThat(deletesByFile(tasks)).as(filter + ", budget " + budget).isEqualTo(iceberg);
        assertThat(tasks)
            .allSatisfy(task -> assertThat(task.file().upperBounds()).containsOnlyKeys(1));
      }
    }
    Map<String, Set<String>> all = deletesByFile(icebergTasks(Expressions.alwaysTrue()));
    assertThat(all).hasSize(21);
    assertThat(all.get(file(1, "b").location())).hasSize(1);
    assertThat(all.get(file(19, "b").location())).isEmpty(); // written after the deletes
    assertThat(all.get(file(3, "a").location())).hasSize(1);
    assertThat(all.get(file(0, "a").location())).isEmpty(); // not the file named
    assertThat(all.get(file(2, "c").location())).hasSize(1);
    assertThat(all.get(file(20, "c").location())).isEmpty();
  }

  private DeleteFile positionDeletes(String kind, String referenced) {
    FileMetadata.Builder builder =
        FileMetadata.deleteFileBuilder(SPEC)
            .ofPositionDeletes()
            .withPath(table.location() + "/data/kind=" + kind + "/pos-" + referenced + ".parquet")
            .withFormat("parquet")
            .withFileSizeInBytes(100)
            .withPartitionPath("kind=" + kind)
            .withRecordCount(1);
    return referenced == null
        ? builder.build()
        : builder.withReferencedDataFile(referenced).build();
  }

  private List<FileScanTask> icebergTasks(Expression filter) throws IOException {
    try (CloseableIterable<FileScanTask> tasks = table.newScan().filter(filter).planFiles()) {
      List<FileScanTask> all = new ArrayList<>();
      tasks.forEach(all::add);
      return all;
    }
  }

  private static Map<String, Set<String>> deletesByFile(List<FileScanTask> tasks) {
    Map<String, Set<String>> deletes = new HashMap<>();
    for (FileScanTask task : tasks) {
      Set<String> paths = new HashSet<>();
      task.deletes().forEach(file -> paths.add(file.location()));
      assertThat(deletes.put(task.file().location(), paths)).isNull();
    }
    return deletes;
  }
}
