package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Duration;
import java.util.Map;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bringing a log table made by an earlier Floe up to date (table metadata only, in memory). */
class LogTablesTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "table_name", Types.StringType.get()),
          Types.NestedField.required(2, "detail", Types.StringType.get()));
  private static final PartitionSpec BY_TABLE =
      PartitionSpec.builderFor(SCHEMA).identity("table_name").build();
  private static final TableIdentifier ID = TableIdentifier.of("ops", "runs");

  private InMemoryCatalog catalog;

  @BeforeEach
  void catalog() {
    catalog = new InMemoryCatalog();
    catalog.initialize("log-tables", Map.of());
    catalog.createNamespace(Namespace.of("ops"));
  }

  @Test
  void anUnpartitionedLogTableIsPartitionedOnceAndMarked() {
    Table table = catalog.createTable(ID, SCHEMA, PartitionSpec.unpartitioned());

    LogTables.adopt(table, SCHEMA, BY_TABLE, Map.of(), "ops.log-table");

    Table loaded = catalog.loadTable(ID);
    assertThat(loaded.spec().fields())
        .extracting(PartitionField::name)
        .containsExactly("table_name");
    assertThat(LogTables.isLogTable(loaded.properties())).isTrue();
    assertThat(loaded.properties())
        .containsAllEntriesOf(LogTables.PROPERTIES)
        .containsAllEntriesOf(LogTables.DEFAULTS);
    int specs = loaded.specs().size();
    LogTables.withSpec(loaded, BY_TABLE);
    assertThat(catalog.loadTable(ID).specs()).hasSize(specs);
  }

  @Test
  void retentionDefaultsAreAddedWhenMissingAndLeftAloneWhenChanged() {
    Table table = catalog.createTable(ID, SCHEMA, PartitionSpec.unpartitioned());
    Map<String, String> defaults = LogTables.retention("recorded_at", Duration.ofDays(90));

    LogTables.withProperties(table, defaults);
    assertThat(catalog.loadTable(ID).properties())
        .containsAllEntriesOf(LogTables.PROPERTIES)
        .containsAllEntriesOf(LogTables.DEFAULTS)
        .containsEntry(LogTables.RETENTION_COLUMN_PROPERTY, "recorded_at")
        .containsEntry(LogTables.RETENTION_MAX_AGE_PROPERTY, "90d");

    // an operator lengthened it on the table: the next open keeps their value
    catalog
        .loadTable(ID)
        .updateProperties()
        .set(LogTables.RETENTION_MAX_AGE_PROPERTY, "365d")
        .set(TableProperties.COMMIT_NUM_RETRIES, "50")
        .commit();
    Table reopened = catalog.loadTable(ID);
    String metadataFile = metadataFile(reopened);
    assertThat(metadataFile).isNotNull();
    LogTables.withProperties(reopened, defaults);
    Table after = catalog.loadTable(ID);
    assertThat(after.properties())
        .containsEntry(LogTables.RETENTION_MAX_AGE_PROPERTY, "365d")
        .containsEntry(TableProperties.COMMIT_NUM_RETRIES, "50");
    assertThat(metadataFile(after)).as("no commit when nothing is missing").isEqualTo(metadataFile);
  }

  @Test
  void aTableAnotherWriterPartitionedMeanwhileIsRefreshedNotFailed() {
    catalog.createTable(ID, SCHEMA, PartitionSpec.unpartitioned());
    Table stale = catalog.loadTable(ID);
    LogTables.withSpec(catalog.loadTable(ID), BY_TABLE);

    Table same = LogTables.withSpec(stale, BY_TABLE);

    assertThat(same.spec().fields()).extracting(PartitionField::name).containsExactly("table_name");
    assertThat(catalog.loadTable(ID).specs()).hasSize(2);
  }

  @Test
  void onlyIdentityPartitionsAreAdded() {
    Table table = catalog.createTable(ID, SCHEMA, PartitionSpec.unpartitioned());
    PartitionSpec bucketed = PartitionSpec.builderFor(SCHEMA).bucket("table_name", 8).build();

    assertThatThrownBy(() -> LogTables.withSpec(table, bucketed))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only identity partitions");
    assertThat(catalog.loadTable(ID).spec().isUnpartitioned()).isTrue();
  }

  @Test
  void aTableOfAnotherSchemaIsRefusedAndLeftAsItIs() {
    Schema business =
        new Schema(
            Types.NestedField.required(1, "table_name", Types.StringType.get()),
            Types.NestedField.required(2, "detail", Types.LongType.get()));
    Table table = catalog.createTable(ID, business, PartitionSpec.unpartitioned());
    String metadataFile = metadataFile(table);

    assertThatThrownBy(() -> LogTables.adopt(table, SCHEMA, BY_TABLE, Map.of(), "ops.log-table"))
        .isInstanceOfSatisfying(
            FloeException.class,
            refused -> assertThat(refused.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
        .hasMessageStartingWith("ops.log-table: ")
        .hasMessageContaining("ops.runs is not a table Floe logs to")
        .hasMessageContaining("detail string");
    Table after = catalog.loadTable(ID);
    assertThat(LogTables.isLogTable(after.properties())).isFalse();
    assertThat(metadataFile(after)).isEqualTo(metadataFile);
  }

  private static String metadataFile(Table table) {
    return ((org.apache.iceberg.HasTableOperations) table)
        .operations()
        .current()
        .metadataFileLocation();
  }
}
