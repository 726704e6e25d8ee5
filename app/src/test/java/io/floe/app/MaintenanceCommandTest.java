package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.catalog.LogTables;
import io.floe.catalog.TableRef;
import io.floe.maintenance.DeletionLedger;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.PartitionKey;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The maintenance commands' options through the command line, against the stack. */
@ExtendWith(LakehouseExtension.class)
class MaintenanceCommandTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "region", Types.StringType.get()));
  static final String[] REGIONS = {"eu", "us"};

  @TempDir Path dir;

  @Test
  void jsonResultsPartitionFilterOverridesAndAMaintenanceDryRun(Lakehouse lakehouse)
      throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String namespace = lakehouse.namespace();
    TableRef ref = new TableRef(namespace, "events");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-maintenance")) {
      catalog.createNamespace(Namespace.of(namespace));
      Table table =
          catalog.createTable(
              ref.toIdentifier(),
              SCHEMA,
              PartitionSpec.builderFor(SCHEMA).identity("region").build());
      // three commits, each one small file per region
      for (int batch = 0; batch < 3; batch++) {
        AppendFiles append = table.newAppend();
        for (String region : REGIONS) {
          append.appendFile(write(table, region, batch * 10L, 10));
        }
        append.commit();
      }
    }
    Path config = dir.resolve("floe.yaml");
    Files.writeString(
        config,
        endpoints.externalConfig()
            + """
            maintenance:
              ledger-namespace: %s_ops
              operations: [compact, expire]
              min-input-files: 3
            """
                .formatted(namespace));
    String[] global = {"--config", config.toString(), "--home", dir.resolve("home").toString()};

    FloeCommandTest.Outcome health =
        FloeCommandTest.floe(global, "health", ref.toString(), "--json");
    assertThat(health.exitCode()).as(health.err()).isZero();
    JsonNode json = new ObjectMapper().readTree(health.out());
    assertThat(json.get("table").asText()).isEqualTo(ref.toString());
    assertThat(json.get("dataFiles").asLong()).isEqualTo(6);
    assertThat(json.get("records").asLong()).isEqualTo(60);
    assertThat(json.get("snapshots").asInt()).isEqualTo(3);
    assertThat(json.get("averageFileSize").asLong()).isPositive();
    assertThat(json.get("deleteRatio").asDouble()).isZero();
    assertThat(json.get("partitions")).hasSize(2);
    assertThat(json.get("partitions").get(0).get("dataFiles").asLong()).isEqualTo(3);

    // the maintenance tables do not exist yet, and a dry run must not create them
    FloeCommandTest.Outcome preview =
        FloeCommandTest.floe(global, "maintain", "--table", ref.toString(), "--dry-run");
    assertThat(preview.exitCode()).as(preview.err()).isZero();
    assertThat(preview.out())
        .contains(ref + " ", "due", "would run: never maintained")
        .contains("would rewrite 6 files in 2 groups")
        .contains("would expire 0 snapshots");
    assertThat(FloeCommandTest.floe(global, "health", ref.toString()).out())
        .contains("data files      6")
        .containsPattern("partition +files +small +deletes +size")
        .containsPattern("region=eu +3 +3 +0 +[0-9.]+ [KM]?B");
    // a table of many partitions lists the ones most in need, and says how many it left out
    FloeCommandTest.Outcome worst =
        FloeCommandTest.floe(global, "health", ref.toString(), "--partitions", "1");
    assertThat(worst.out())
        .contains("1 of 2 partitions, those most in need first")
        .containsOnlyOnce("region=");
    assertThat(FloeCommandTest.floe(global, "health", ref.toString(), "--partitions", "-1").err())
        .contains("--partitions is a count or 'all', got '-1'");

    // --set raises the minimum above the three files a region has: nothing to compact
    FloeCommandTest.Outcome overridden =
        FloeCommandTest.floe(global, "compact", ref.toString(), "--set", "min-input-files=4");
    assertThat(overridden.exitCode()).as(overridden.err()).isZero();
    assertThat(overridden.out())
        .contains(ref + ": nothing to compact at snapshot ")
        .contains("no partition has delete files or 4 files below");

    FloeCommandTest.Outcome filtered =
        FloeCommandTest.floe(global, "compact", ref.toString(), "--where", "region = 'eu'");
    assertThat(filtered.exitCode()).as(filtered.err()).isZero();
    assertThat(filtered.out())
        .contains("(partitions where region = 'eu'): 1 file group from snapshot")
        .contains("3 of 3 files are below")
        .contains("region=eu")
        .doesNotContain("region=us")
        .contains("3 files -> 1");
    JsonNode after =
        new ObjectMapper()
            .readTree(FloeCommandTest.floe(global, "health", ref.toString(), "--json").out());
    assertThat(after.get("dataFiles").asLong()).isEqualTo(4);
    assertThat(after.get("records").asLong()).isEqualTo(60);

    // the rest of the maintenance commands print their results as JSON too
    FloeCommandTest.Outcome compacted =
        FloeCommandTest.floe(global, "compact", ref.toString(), "--json");
    assertThat(compacted.exitCode()).as(compacted.err()).isZero();
    JsonNode compaction = new ObjectMapper().readTree(compacted.out());
    assertThat(compaction.get("table").asText()).isEqualTo(ref.toString());
    assertThat(compaction.get("committedGroups").asInt()).isEqualTo(1);
    assertThat(compaction.get("rewrittenFiles").asInt()).isEqualTo(3);
    assertThat(compaction.get("addedFiles").asInt()).isEqualTo(1);
    assertThat(compaction.get("failures")).isEmpty();
    assertThat(compaction.at("/plan/groups/0/partition").asText()).isEqualTo("region=us");
    assertThat(compaction.at("/plan/groups/0/paths")).hasSize(3);

    FloeCommandTest.Outcome expired =
        FloeCommandTest.floe(global, "expire", ref.toString(), "--dry-run", "--json");
    assertThat(expired.exitCode()).as(expired.err()).isZero();
    JsonNode expiry = new ObjectMapper().readTree(expired.out());
    assertThat(expiry.get("dryRun").asBoolean()).isTrue();
    assertThat(expiry.at("/horizon/effective").asText()).endsWith("Z");
    assertThat(expiry.at("/horizon/protections/0/name").asText()).isEqualTo("snapshot-max-age");
    assertThat(expiry.get("expiredSnapshots")).isEmpty();

    FloeCommandTest.Outcome orphaned =
        FloeCommandTest.floe(global, "orphans", ref.toString(), "--dry-run", "--json");
    assertThat(orphaned.exitCode()).as(orphaned.err()).isZero();
    JsonNode orphans = new ObjectMapper().readTree(orphaned.out());
    assertThat(orphans.get("listed").asInt()).isGreaterThanOrEqualTo(8);
    assertThat(orphans.get("reachable").asInt()).isEqualTo(orphans.get("listed").asInt());
    assertThat(orphans.get("quarantined")).isEmpty();

    TableRef logs = new TableRef(ref.namespace(), "logs");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-maintenance")) {
      Table table = catalog.createTable(logs.toIdentifier(), TIMED, PartitionSpec.unpartitioned());
      for (int day = 1; day <= 2; day++) {
        table.newAppend().appendFile(writeTimed(table, "2020-01-0" + day + "T00:00:00Z")).commit();
      }
    }
    FloeCommandTest.Outcome retained =
        FloeCommandTest.floe(
            global,
            "retain",
            logs.toString(),
            "--set",
            "retention.column=ts",
            "--set",
            "retention.max-age=30d",
            "--dry-run",
            "--json");
    assertThat(retained.exitCode()).as(retained.err()).isZero();
    JsonNode retention = new ObjectMapper().readTree(retained.out());
    assertThat(retention.get("column").asText()).isEqualTo("ts");
    assertThat(retention.get("droppedFiles")).as(retained.out()).hasSize(2);
    assertThat(retention.at("/droppedFiles/0/cause").asText()).isNotEmpty();

    // a max age below a day is refused, dry run or not, naming the setting; --force allows it
    FloeCommandTest.Outcome young =
        FloeCommandTest.floe(
            global,
            "retain",
            logs.toString(),
            "--set",
            "retention.column=ts",
            "--set",
            "retention.max-age=2h",
            "--dry-run");
    assertThat(young.exitCode()).isEqualTo(2);
    assertThat(young.err().strip())
        .isEqualTo(
            "floe: %s: maintenance.retention.max-age is 2h; retention refuses less than 1d (the last day's rows may still be arriving late or being read); raise it or pass --force"
                .formatted(logs));
    FloeCommandTest.Outcome forced =
        FloeCommandTest.floe(
            global,
            "retain",
            logs.toString(),
            "--set",
            "retention.column=ts",
            "--set",
            "retention.max-age=2h",
            "--force",
            "--dry-run",
            "--json");
    assertThat(forced.exitCode()).as(forced.err()).isZero();
    assertThat(new ObjectMapper().readTree(forced.out()).get("droppedFiles")).hasSize(2);

    FloeCommandTest.Outcome wrongColumn =
        FloeCommandTest.floe(global, "compact", ref.toString(), "--where", "id > 3");
    assertThat(wrongColumn.exitCode()).isEqualTo(2);
    assertThat(wrongColumn.err().strip())
        .isEqualTo(
            "floe: --where: 'id' is not a partition column of %s (partitioned by identity(region)): a filter selects partitions"
                .formatted(ref));

    // a ledger namespace that holds a business table of the ledger's name: a configuration error
    // naming the key, and the table is left as it was
    TableRef business = new TableRef(namespace, DeletionLedger.TABLE);
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-maintenance")) {
      catalog.createTable(business.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    }
    Path shared = dir.resolve("shared-namespace.yaml");
    Files.writeString(
        shared,
        Files.readString(config)
            .replace(
                "ledger-namespace: %s_ops".formatted(namespace), "ledger-namespace: " + namespace));
    String[] sharedGlobal = {
      "--config", shared.toString(), "--home", dir.resolve("home").toString()
    };
    FloeCommandTest.Outcome refused = FloeCommandTest.floe(sharedGlobal, "expire", ref.toString());
    assertThat(refused.exitCode()).as(refused.err()).isEqualTo(2);
    assertThat(refused.err().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("floe: maintenance.ledger-namespace: ")
                    .contains(business + " is not a table Floe logs to (it has no column "));
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-maintenance")) {
      Table left = catalog.loadTable(business.toIdentifier());
      assertThat(LogTables.isLogTable(left.properties())).isFalse();
      assertThat(left.currentSnapshot()).isNull();
    }
  }

  static final Schema TIMED =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "ts", Types.TimestampType.withZone()));

  /** One data file of ten rows of the {@link #TIMED} schema, all at {@code ts}. */
  private static DataFile writeTimed(Table table, String ts) throws Exception {
    DataWriter<Record> writer =
        Parquet.writeData(
                table
                    .io()
                    .newOutputFile(
                        table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet")))
            .schema(TIMED)
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .overwrite()
            .build();
    try (writer) {
      for (long id = 0; id < 10; id++) {
        Record row = GenericRecord.create(TIMED);
        row.setField("id", id);
        row.setField("ts", java.time.OffsetDateTime.parse(ts));
        writer.write(row);
      }
    }
    return writer.toDataFile();
  }

  /** One data file of {@code count} rows of one region. */
  private static DataFile write(Table table, String region, long from, int count) throws Exception {
    GenericRecord template = GenericRecord.create(SCHEMA);
    template.setField("region", region);
    PartitionKey key = new PartitionKey(table.spec(), SCHEMA);
    key.partition(template);
    String location =
        table.locationProvider().newDataLocation(table.spec(), key, UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(SCHEMA)
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .withPartition(key)
            .overwrite()
            .build();
    try (writer) {
      for (long id = from; id < from + count; id++) {
        Record row = template.copy();
        row.setField("id", id);
        writer.write(row);
      }
    }
    return writer.toDataFile();
  }
}
