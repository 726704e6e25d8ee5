package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.MigratedFiles;
import io.floe.catalog.ParquetStreams;
import io.floe.catalog.PredicateParser;
import io.floe.catalog.RecordFiles;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.stream.LongStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.BaseDVFileWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CompactionTest {
  static final MaintenancePolicy SMALL = Policies.of("{min-input-files: 2}");

  private RESTCatalog catalog;
  private Lakehouse lakehouse;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("compaction-test");
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void stitchesRowGroupsOfSmallFilesIntoOneFilePerPartition() {
    Table table = smallFiles("stitched", SortOrder.unsorted());
    List<String> rows = Fixtures.read(table);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).stitchRowGroups().execute();

    assertThat(result.committedGroups()).isEqualTo(3);
    assertThat(result.rewrittenFiles()).isEqualTo(36);
    assertThat(result.addedFiles()).isEqualTo(3);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    assertThat(Maintenance.health(table, SMALL).dataFiles()).isEqualTo(3);
  }

  @Test
  void reencodesRowsWhenAskedTo() {
    Table table = smallFiles("reencoded", SortOrder.unsorted());
    List<String> rows = Fixtures.read(table);

    CompactionPlan plan = Maintenance.compact(table).policy(SMALL).dryRun().execute().plan();
    assertThat(plan.groups()).hasSize(3).allSatisfy(g -> assertThat(g.files()).isEqualTo(12));
    assertThat(Maintenance.health(table, SMALL).dataFiles()).isEqualTo(36);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).reencode().execute();

    assertThat(result.addedFiles()).isEqualTo(3);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
  }

  @Test
  void appliesPositionAndEqualityDeletesAndDropsThem() {
    Table table = smallFiles("with_deletes", SortOrder.unsorted());
    table.refresh();
    DataFile someFile = firstFile(table, "books");
    var delta = table.newRowDelta();
    delta.addDeletes(Fixtures.deletePositions(table, someFile, List.of(0L, 2L)));
    delta.addDeletes(Fixtures.deleteIds(table, "toys", List.of(2L, 5L, 8L)));
    delta.commit();
    List<String> rows = Fixtures.read(table);
    assertThat(rows).hasSize(360 - 5);
    assertThat(Maintenance.health(table, SMALL).deleteFiles()).isEqualTo(2);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).execute();

    assertThat(result.droppedDeleteFiles()).isEqualTo(2);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    TableHealth health = Maintenance.health(table, SMALL);
    assertThat(health.deleteFiles()).isZero();
    assertThat(health.dataFiles()).isEqualTo(3);
  }

  /**
   * Log tables append Avro files, Hive migrations bring ORC ones, and any writer may write either
   * into a Parquet table: compaction reads them like Parquet ones, deletes applied, and writes the
   * table's format.
   */
  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"AVRO", "ORC"})
  void rewritesFilesOfOtherFormatsWithTheirDeletesIntoTheTablesFormat(FileFormat other) {
    Table table =
        Fixtures.byCategory(
            catalog, lakehouse.namespace(), other.name().toLowerCase(Locale.ROOT) + "_files");
    for (int batch = 0; batch < 6; batch++) {
      FileFormat format = batch % 2 == 0 ? other : FileFormat.PARQUET;
      Fixtures.append(table, Fixtures.rows(batch * 30L, 30), format);
    }
    table.refresh();
    DataFile otherFile;
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      otherFile =
          java.util.stream.StreamSupport.stream(tasks.spliterator(), false)
              .map(FileScanTask::file)
              .filter(f -> f.format() == other && f.recordCount() >= 4)
              .findFirst()
              .orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    var delta = table.newRowDelta();
    delta.addDeletes(Fixtures.deletePositions(table, otherFile, List.of(1L, 3L)));
    delta.addDeletes(Fixtures.deleteIds(table, "toys", List.of(2L, 8L)));
    delta.commit();
    List<String> rows = Fixtures.read(table);
    assertThat(rows).hasSize(180 - 4);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).execute();

    assertThat(result.failures()).isEmpty();
    assertThat(result.droppedDeleteFiles()).isEqualTo(2);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    table.refresh();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      assertThat(tasks).hasSize(3).allMatch(t -> t.file().format() == FileFormat.PARQUET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A table whose write format is ORC is compacted into ORC files, with their column statistics, as
   * Spark's rewrite would write them; its Parquet files are rewritten into ORC too.
   */
  @Test
  void anOrcTableIsCompactedIntoOrcFilesWithTheirStatistics() {
    Table table = Fixtures.byCategory(catalog, lakehouse.namespace(), "orc_table");
    table.updateProperties().set(TableProperties.DEFAULT_FILE_FORMAT, "orc").commit();
    for (int batch = 0; batch < 6; batch++) {
      FileFormat format = batch == 5 ? FileFormat.PARQUET : FileFormat.ORC;
      Fixtures.append(table, Fixtures.rows(batch * 30L, 30), format);
    }
    table.refresh();
    table.newRowDelta().addDeletes(Fixtures.deleteIds(table, "toys", List.of(2L, 8L))).commit();
    List<String> rows = Fixtures.read(table);
    assertThat(rows).hasSize(180 - 2);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).execute();

    assertThat(result.failures()).isEmpty();
    assertThat(result.addedFiles()).isEqualTo(3);
    assertThat(result.droppedDeleteFiles()).isEqualTo(1);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    table.refresh();
    int id = table.schema().findField("id").fieldId();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().includeColumnStats().planFiles()) {
      assertThat(tasks)
          .hasSize(3)
          .allSatisfy(
              task -> {
                DataFile file = task.file();
                assertThat(file.format()).isEqualTo(FileFormat.ORC);
                assertThat(file.location()).endsWith(".orc");
                assertThat(task.deletes()).isEmpty();
                assertThat(file.lowerBounds()).containsKey(id);
                assertThat(file.upperBounds()).containsKey(id);
                assertThat(file.nullValueCounts()).containsEntry(id, 0L);
              });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void sortsWhenTheTableHasASortOrder() throws IOException {
    Table table = smallFiles("sorted", SortOrder.builderFor(Fixtures.SCHEMA).desc("id").build());
    List<String> rows = Fixtures.read(table);

    Maintenance.compact(table).policy(SMALL).execute();

    assertThat(Fixtures.read(table)).isEqualTo(rows);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        List<Long> ids = new ArrayList<>();
        try (CloseableIterable<Record> records =
            RecordFiles.liveRows(table, task, table.schema())) {
          records.forEach(r -> ids.add((Long) r.getField("id")));
        }
        assertThat(ids).hasSize(120).isSortedAccordingTo((a, b) -> Long.compare(b, a));
      }
    }
  }

  @Test
  void compactsOnlyThePartitionsAFilterSelects() {
    Table table = smallFiles("filtered", SortOrder.unsorted());
    List<String> rows = Fixtures.read(table);
    Set<String> others = paths(table, f -> !"books".equals(f.partition().get(0, String.class)));

    CompactionResult result =
        Maintenance.compact(table)
            .policy(SMALL)
            .filter(PredicateParser.parse("category = 'books'"))
            .execute();

    assertThat(result.plan().groups())
        .singleElement()
        .satisfies(g -> assertThat(g.partition()).isEqualTo("category=books"));
    assertThat(result.rewrittenFiles()).isEqualTo(12);
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    assertThat(paths(table, f -> true)).hasSize(1 + 24).containsAll(others);
  }

  @Test
  void aFilterThroughAPartitionTransformSelectsTheDaysThatMayMatch() {
    Table table = smallFiles("by_day", Fixtures.byDay(), SortOrder.unsorted());
    List<String> rows = Fixtures.read(table);
    // the rows are an hour apart from 2026-01-01: 15 days, 1 or 2 small files each
    Set<String> before = paths(table, f -> day(f) < JANUARY_10);
    assertThat(before).isNotEmpty();

    CompactionResult result =
        Maintenance.compact(table)
            .policy(SMALL)
            .filter(PredicateParser.parse("ts > '2026-01-10T06:00:00+00:00'"))
            .execute();

    assertThat(result.plan().groups())
        .isNotEmpty()
        .allSatisfy(g -> assertThat(g.partition()).isGreaterThanOrEqualTo("ts_day=2026-01-10"));
    assertThat(Fixtures.read(table)).isEqualTo(rows);
    assertThat(paths(table, f -> day(f) < JANUARY_10)).isEqualTo(before);
    assertThat(paths(table, f -> day(f) >= JANUARY_10)).hasSize(6);
    // a date means its midnight, in UTC for a timestamp with time zone
    assertThat(
            Maintenance.compact(table)
                .policy(SMALL)
                .filter(PredicateParser.parse("ts < '2026-01-03' or ts in ('2026-01-04')"))
                .dryRun()
                .execute()
                .plan()
                .groups())
        .extracting(CompactionPlan.Group::partition)
        // January 1 has one file only; January 3 would be selected were a date read as noon
        .containsExactlyInAnyOrder("ts_day=2026-01-02", "ts_day=2026-01-04");
  }

  /** Rows without a category match no comparison, so only "is null" selects their partition. */
  @Test
  void onlyIsNullSelectsTheNullPartition() {
    Table table = smallFiles("null_category", SortOrder.unsorted());
    for (int batch = 0; batch < 3; batch++) {
      List<Record> uncategorised = Fixtures.rows(1_000L + batch * 10L, 10);
      uncategorised.forEach(row -> row.setField("category", null));
      Fixtures.append(table, uncategorised);
    }
    assertThat(plannedPartitions(table, "category != 'books'"))
        .containsExactlyInAnyOrder("category=garden", "category=toys");
    assertThat(plannedPartitions(table, "not (category >= 'h')"))
        .containsExactlyInAnyOrder("category=books", "category=garden");
    assertThat(plannedPartitions(table, "category is null or category = 'toys'"))
        .containsExactlyInAnyOrder("category=null", "category=toys");
  }

  private static List<String> plannedPartitions(Table table, String filter) {
    return Maintenance.compact(table)
        .policy(SMALL)
        .filter(PredicateParser.parse(filter))
        .dryRun()
        .execute()
        .plan()
        .groups()
        .stream()
        .map(CompactionPlan.Group::partition)
        .toList();
  }

  @Test
  void refusesAFilterThatCannotSelectPartitions() {
    Table table = smallFiles("bad_filters", SortOrder.unsorted());
    Compaction compaction = Maintenance.compact(table).policy(SMALL);

    assertThatThrownBy(() -> compaction.filter(PredicateParser.parse("id > 5")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'id' is not a partition column")
        .hasMessageContaining("identity(category)");
    assertThatThrownBy(() -> compaction.filter(PredicateParser.parse("colour = 'red'")))
        .hasMessageContaining("has no column 'colour'");
    assertThatThrownBy(() -> compaction.filter(PredicateParser.parse("category = 5")))
        .isInstanceOf(IllegalArgumentException.class);
    Table unpartitioned =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "unpartitioned_filter",
            PartitionSpec.unpartitioned(),
            SortOrder.unsorted());
    assertThatThrownBy(
            () ->
                Maintenance.compact(unpartitioned)
                    .filter(PredicateParser.parse("category = 'books'")))
        .hasMessageContaining("is not partitioned");
    assertThat(Maintenance.health(table, SMALL).dataFiles()).isEqualTo(36);
  }

  @Test
  void neverTouchesAnAuditBranch() {
    Table table = smallFiles("audited", SortOrder.unsorted());
    table.manageSnapshots().createBranch("audit_r1", table.currentSnapshot().snapshotId()).commit();
    Fixtures.append(table, "audit_r1", Fixtures.rows(5000, 30));
    table.refresh();
    long auditHead = table.refs().get("audit_r1").snapshotId();
    List<String> auditRows = Fixtures.read(table, auditHead);

    Maintenance.compact(table).policy(SMALL).execute();

    table.refresh();
    assertThat(table.refs().get("audit_r1").snapshotId()).isEqualTo(auditHead);
    assertThat(Fixtures.read(table, auditHead)).isEqualTo(auditRows);
  }

  private static final int JANUARY_10 = 9;

  /** Days since 2026-01-01 of a file partitioned by day(ts). */
  private static int day(DataFile file) {
    return file.partition().get(0, Integer.class) - (int) (Fixtures.BASE.getEpochSecond() / 86400);
  }

  private static Set<String> paths(Table table, Predicate<DataFile> which) {
    table.refresh();
    Set<String> paths = new HashSet<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      tasks.forEach(
          t -> {
            if (which.test(t.file())) {
              paths.add(t.file().location());
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return paths;
  }

  /**
   * Files a migration brought in (no field ids, columns in their own order, the region only in the
   * partition path) are compacted by column name, whichever way compaction is asked to rewrite:
   * into files with field ids, every value in its field and the metrics of the right columns.
   */
  @Test
  void migratedFilesAreRewrittenByColumnNameIntoFilesWithFieldIds() throws IOException {
    Map<String, UnaryOperator<Compaction>> modes =
        Map.of(
            "auto", compaction -> compaction,
            "stitch", Compaction::stitchRowGroups,
            "reencode", Compaction::reencode);
    for (Map.Entry<String, UnaryOperator<Compaction>> mode : modes.entrySet()) {
      Table table = migrated("migrated_" + mode.getKey());

      CompactionResult result =
          mode.getValue().apply(Maintenance.compact(table).policy(SMALL)).execute();

      assertThat(result.failures()).as(mode.getKey()).isEmpty();
      assertThat(result.addedFiles()).as(mode.getKey()).isEqualTo(2);
      Map<Long, String> regions = new HashMap<>();
      try (CloseableIterable<Record> rows =
          RecordFiles.snapshotRows(
              table,
              table.currentSnapshot().snapshotId(),
              List.of("order_id", "buyer_id", "quantity", "status", "region"))) {
        for (Record row : rows) {
          long id = (Long) row.getField("order_id");
          assertThat(row.getField("buyer_id")).isEqualTo(MigratedFiles.buyer(id));
          assertThat(row.getField("quantity")).isEqualTo(MigratedFiles.quantity(id));
          assertThat(row.getField("status")).isEqualTo(MigratedFiles.status(id));
          regions.put(id, (String) row.getField("region"));
        }
      }
      assertThat(regions).as(mode.getKey()).hasSize(400);
      assertThat(regions)
          .allSatisfy((id, region) -> assertThat(region).isEqualTo(id < 200 ? "emea" : "apac"));
      try (CloseableIterable<FileScanTask> tasks =
          table.newScan().includeColumnStats().planFiles()) {
        for (FileScanTask task : tasks) {
          DataFile file = task.file();
          try (ParquetFileReader footer =
              ParquetFileReader.open(ParquetStreams.input(table.io().newInputFile(file)))) {
            assertThat(ParquetSchemaUtil.hasIds(footer.getFileMetaData().getSchema())).isTrue();
          }
          assertThat(
                  (Long)
                      Conversions.fromByteBuffer(
                          Types.LongType.get(), file.upperBounds().get(fieldId(table, "quantity"))))
              .isEqualTo(5L);
          assertThat(
                  (Long)
                      Conversions.fromByteBuffer(
                          Types.LongType.get(), file.lowerBounds().get(fieldId(table, "buyer_id"))))
              .isGreaterThanOrEqualTo(MigratedFiles.buyer(0));
        }
      }
    }
  }

  /**
   * Without a name mapping, such files could only be matched to fields by position: compaction
   * refuses their group, and the table keeps its snapshot.
   */
  @Test
  void migratedFilesWithoutANameMappingAreLeftAsTheyAre() {
    Table table = migrated("migrated_unmapped");
    table.updateProperties().remove(TableProperties.DEFAULT_NAME_MAPPING).commit();
    long before = table.currentSnapshot().snapshotId();

    CompactionResult result = Maintenance.compact(table).policy(SMALL).execute();

    assertThat(result.committedGroups()).isZero();
    assertThat(result.failures())
        .hasSize(2)
        .allSatisfy(
            failure ->
                assertThat(failure)
                    .startsWith(table.location())
                    .contains(" has no Iceberg field ids"));
    table.refresh();
    assertThat(table.currentSnapshot().snapshotId()).isEqualTo(before);
  }

  /**
   * In a table with row lineage (format 3) a row moved to a new file keeps its row id and the
   * sequence number of its last update, as the Iceberg spec asks of any writer that moves rows;
   * rows a deletion vector removed stay removed. Parquet and ORC files alike hold moved rows'
   * lineage, and a later compaction reads it from them.
   */
  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "ORC"})
  void rowsKeepTheirLineageThroughCompaction(FileFormat format) throws IOException {
    Table table =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "lineage_" + format.name().toLowerCase(Locale.ROOT),
            Fixtures.byCategory(),
            SortOrder.unsorted(),
            3);
    table.updateProperties().set(TableProperties.DEFAULT_FILE_FORMAT, format.name()).commit();
    List<DataFile> first = null;
    for (int batch = 0; batch < 12; batch++) {
      List<DataFile> files = Fixtures.append(table, Fixtures.rows(batch * 30L, 30), format);
      first = first == null ? files : first;
    }
    OutputFileFactory outputs =
        OutputFileFactory.builderFor(table, 1, 1).format(FileFormat.PUFFIN).build();
    BaseDVFileWriter vectors = new BaseDVFileWriter(outputs, path -> null);
    DataFile deletedFrom = first.get(0);
    try (vectors) {
      for (long position = 0; position < 5; position++) {
        vectors.delete(deletedFrom.location(), position, table.spec(), deletedFrom.partition());
      }
    }
    RowDelta delta = table.newRowDelta();
    vectors.result().deleteFiles().forEach(delta::addDeletes);
    delta.commit();
    Map<Long, String> before = lineage(table);
    assertThat(before).hasSize(360 - 5);

    CompactionResult result = Maintenance.compact(table).policy(SMALL).execute();

    assertThat(result.failures()).isEmpty();
    assertThat(result.addedFiles()).isEqualTo(3);
    assertThat(lineage(table)).isEqualTo(before);
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      assertThat(tasks).hasSize(3).allMatch(t -> t.file().format() == format);
    }
    // a second compaction reads the lineage the first wrote into its files
    Fixtures.append(table, Fixtures.rows(1000, 30), format);
    Map<Long, String> grown = lineage(table);
    assertThat(Maintenance.compact(table).policy(SMALL).execute().failures()).isEmpty();
    assertThat(lineage(table)).isEqualTo(grown);
  }

  /** Row id and last-updated sequence number of every live row, by the row's id column. */
  private static Map<Long, String> lineage(Table table) throws IOException {
    table.refresh();
    Map<Long, String> lineage = new HashMap<>();
    try (CloseableIterable<Record> rows =
        IcebergGenerics.read(table)
            .project(MetadataColumns.schemaWithRowLineage(table.schema()))
            .build()) {
      for (Record row : rows) {
        lineage.put(
            (Long) row.getField("id"),
            row.getField(MetadataColumns.ROW_ID.name())
                + "@"
                + row.getField(MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.name()));
      }
    }
    return lineage;
  }

  /** Four migrated files, two per region: order ids 0-199 in emea, 200-399 in apac. */
  private Table migrated(String name) {
    Namespace namespace = Namespace.of(lakehouse.namespace());
    if (!catalog.namespaceExists(namespace)) {
      catalog.createNamespace(namespace);
    }
    Table table = MigratedFiles.table(catalog, TableIdentifier.of(lakehouse.namespace(), name));
    for (int file = 0; file < 4; file++) {
      MigratedFiles.append(
          table,
          file < 2 ? "emea" : "apac",
          LongStream.range(file * 100L, file * 100L + 100).boxed().toList());
    }
    return table;
  }

  private static int fieldId(Table table, String column) {
    return table.schema().findField(column).fieldId();
  }

  private Table smallFiles(String name, SortOrder order) {
    return smallFiles(name, Fixtures.byCategory(), order);
  }

  private Table smallFiles(String name, PartitionSpec spec, SortOrder order) {
    Table table = Fixtures.create(catalog, lakehouse.namespace(), name, spec, order);
    for (int batch = 0; batch < 12; batch++) {
      Fixtures.append(table, Fixtures.rows(batch * 30L, 30));
    }
    return table;
  }

  static DataFile firstFile(Table table, String category) {
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        if (HealthCheck.partitionName(table, task.file()).equals("category=" + category)) {
          return task.file();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no file in " + category);
  }
}
