package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.app.pipeline.StandaloneCluster;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import io.floe.core.job.SparkJobResult;
import io.floe.maintenance.CompactionPlan;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.maintenance.MaintenanceRun;
import io.floe.maintenance.RunLog;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Floe's compaction plan executed by a Spark job, in local mode and on a standalone cluster. */
@ExtendWith(LakehouseExtension.class)
class SparkCompactionTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "category", Types.StringType.get()));
  private static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).identity("category").build();
  private static final String[] CATEGORIES = {"books", "garden", "toys"};

  @Test
  void sparkRewritesFloesPlanAndKeepsAnAppendCommittedAfterPlanning(Lakehouse lakehouse) {
    try (RESTCatalog catalog =
        lakehouse.endpoints().catalogConnection().open("spark-compaction-test")) {
      Table table = smallFiles(catalog, lakehouse.namespace(), "small_files", 8);
      List<String> before = read(table);
      assertThat(filesPerPartition(table))
          .containsOnlyKeys(CATEGORIES)
          .allSatisfy(
              (p, n) -> {
                assertThat(n).isEqualTo(8);
              });
      MaintenancePolicy policy =
          MaintenancePolicy.read(
              ConfigNode.parse(
                  "test.yaml", "{min-input-files: 2, compaction-executor: spark}", n -> null),
              MaintenancePolicy.defaults());

      CompactionPlan plan = SparkCompaction.plan(table, policy);
      assertThat(plan.groups()).hasSize(3).allSatisfy(g -> assertThat(g.paths()).hasSize(8));
      // a writer commits while the job is still to come: its rows must survive the rewrite
      append(table, 10_000L, 30);
      List<String> appended = read(table);
      assertThat(appended).hasSize(before.size() + 30);

      SparkJobResult job =
          SparkCompaction.execute(plan, policy, lakehouse.endpoints(), lakehouse.sparkJobs());

      assertThat(job.longValue("committed-groups")).isEqualTo(3);
      assertThat(job.longValue("conflicted-groups")).isZero();
      assertThat(job.longValue("rewritten-files")).isEqualTo(24);
      assertThat(read(table)).isEqualTo(appended);
      // per partition: the compacted file and the late append's file, instead of nine
      assertThat(filesPerPartition(table))
          .containsOnlyKeys(CATEGORIES)
          .allSatisfy(
              (p, n) -> {
                assertThat(n).isEqualTo(2);
              });
      table.refresh();
      assertThat(table.currentSnapshot().summary())
          .containsEntry("floe.maintenance", "compact-spark");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void floesPlanRunsUnchangedOnAStandaloneCluster(Lakehouse lakehouse) throws Exception {
    try (StandaloneCluster spark = StandaloneCluster.start(2);
        RESTCatalog catalog =
            lakehouse.endpoints().catalogConnection().open("spark-compaction-cluster")) {
      Table table = smallFiles(catalog, lakehouse.namespace(), "on_cluster", 6);
      List<String> before = read(table);
      MaintenancePolicy policy =
          MaintenancePolicy.read(
              ConfigNode.parse(
                  "test.yaml", "{min-input-files: 2, compaction-executor: spark}", n -> null),
              MaintenancePolicy.defaults());

      SparkJobResult job =
          SparkCompaction.execute(
              SparkCompaction.plan(table, policy), policy, lakehouse.endpoints(), spark.launcher());

      assertThat(job.longValue("committed-groups")).isEqualTo(3);
      assertThat(job.longValue("rewritten-files")).isEqualTo(18);
      assertThat(read(table)).isEqualTo(before);
      assertThat(filesPerPartition(table))
          .containsOnlyKeys(CATEGORIES)
          .allSatisfy((p, n) -> assertThat(n).isEqualTo(1));
      assertThat(spark.finished("floe-PlannedCompactionJob")).isTrue();
      // the executors ran on the workers, not in the driver's JVM
      for (int i = 1; i <= 2; i++) {
        try (var apps = Files.list(spark.workDirectory(i))) {
          assertThat(apps.filter(Files::isDirectory))
              .as("applications on worker " + i)
              .isNotEmpty();
        }
      }
    }
  }

  @Test
  void scheduledMaintenanceSendsATableWithTheSparkExecutorToSpark(Lakehouse lakehouse) {
    String yaml =
        """
        maintenance: {ledger-namespace: %s_ops, min-input-files: 2}
        tables:
          %s.scheduled_on_spark:
            maintenance: {operations: [compact], compaction-executor: spark}
        """
            .formatted(lakehouse.namespace(), lakehouse.namespace());
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("spark-maintain")) {
      Table table = smallFiles(catalog, lakehouse.namespace(), "scheduled_on_spark", 4);
      List<String> before = read(table);

      List<MaintenanceRun.TableOutcome> outcomes =
          MaintenanceRun.of(catalog, policies)
              .table(new TableRef(lakehouse.namespace(), "scheduled_on_spark"))
              .compactor(SparkCompaction.compactor(lakehouse::endpoints, lakehouse::sparkJobs))
              .execute();

      assertThat(outcomes)
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.outcome()).isEqualTo(RunLog.Outcome.OK);
                assertThat(o.steps())
                    .filteredOn(step -> step.operation().equals("compact"))
                    .singleElement()
                    .satisfies(
                        step ->
                            assertThat(step.detail())
                                .contains("rewritten by a Spark job: committed 3"));
              });
      assertThat(read(table)).isEqualTo(before);
      assertThat(filesPerPartition(table))
          .containsOnlyKeys(CATEGORIES)
          .allSatisfy((p, n) -> assertThat(n).isEqualTo(1));
      table.refresh();
      assertThat(table.currentSnapshot().summary())
          .containsEntry("floe.maintenance", "compact-spark");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new partitioned table with {@code batches} appends of one small file per category. */
  private static Table smallFiles(
      RESTCatalog catalog, String namespaceName, String name, int batches) {
    Namespace namespace = Namespace.of(namespaceName);
    if (!catalog.namespaceExists(namespace)) {
      catalog.createNamespace(namespace);
    }
    Table table =
        catalog
            .buildTable(TableIdentifier.of(namespace, name), SCHEMA)
            .withPartitionSpec(SPEC)
            .withProperty("format-version", "2")
            .create();
    for (int batch = 0; batch < batches; batch++) {
      append(table, batch * 30L, 30);
    }
    return table;
  }

  private static void append(Table table, long from, int count) {
    Map<String, List<Record>> byCategory = new TreeMap<>();
    for (long id = from; id < from + count; id++) {
      GenericRecord row = GenericRecord.create(SCHEMA);
      row.setField("id", id);
      row.setField("category", CATEGORIES[(int) (id % CATEGORIES.length)]);
      byCategory
          .computeIfAbsent((String) row.getField("category"), c -> new ArrayList<>())
          .add(row);
    }
    AppendFiles append = table.newAppend();
    for (List<Record> rows : byCategory.values()) {
      append.appendFile(write(table, rows));
    }
    append.commit();
  }

  private static DataFile write(Table table, List<Record> rows) {
    PartitionKey key = new PartitionKey(SPEC, SCHEMA);
    key.partition(rows.get(0));
    String location =
        table.locationProvider().newDataLocation(SPEC, key, UUID.randomUUID() + ".parquet");
    try {
      DataWriter<Record> writer =
          Parquet.writeData(table.io().newOutputFile(location))
              .schema(SCHEMA)
              .createWriterFunc(GenericParquetWriter::create)
              .withSpec(SPEC)
              .withPartition(key.copy())
              .overwrite()
              .build();
      try (writer) {
        rows.forEach(writer::write);
      }
      return writer.toDataFile();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static List<String> read(Table table) {
    table.refresh();
    List<String> rows = new ArrayList<>();
    try (CloseableIterable<Record> records = IcebergGenerics.read(table).build()) {
      records.forEach(r -> rows.add(r.getField("id") + "|" + r.getField("category")));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows.sort(null);
    return rows;
  }

  private static Map<String, Integer> filesPerPartition(Table table) {
    table.refresh();
    Map<String, Integer> files = new TreeMap<>();
    try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
      for (FileScanTask task : tasks) {
        files.merge(task.file().partition().get(0, String.class), 1, Integer::sum);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return files;
  }
}
