package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Table;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LakehouseExtension.class)
class BronzeSliceTest {

  @Test
  void sparkJavaAndTrinoAgreeOnEverySnapshot(Lakehouse lakehouse) throws Exception {
    BronzeSlice.Result first =
        BronzeSlice.run(lakehouse.endpoints(), lakehouse.sparkJobs(), lakehouse.namespace(), 300);
    assertThat(first.sparkRows()).isEqualTo(300);
    assertThat(first.javaRows()).hasSize(300).isEqualTo(first.trinoRows());
    assertThat(first.agree()).isTrue();
    assertThat(first.javaRows().get(0)).isEqualTo("000000000000|books|0.00|1767225600000000");

    BronzeSlice.Result second =
        BronzeSlice.run(lakehouse.endpoints(), lakehouse.sparkJobs(), lakehouse.namespace(), 300);
    assertThat(second.snapshotId()).isNotEqualTo(first.snapshotId());
    assertThat(second.sparkRows()).isEqualTo(600);
    assertThat(second.javaRows())
        .hasSize(600)
        .containsAll(first.javaRows())
        .isEqualTo(second.trinoRows());

    // the older snapshot still reads as it was, in both engines
    TableRef ref = first.table();
    assertThat(BronzeSlice.readWithIceberg(lakehouse.endpoints(), ref, first.snapshotId()))
        .isEqualTo(first.javaRows());
    assertThat(BronzeSlice.readWithTrino(lakehouse.endpoints(), ref, first.snapshotId()))
        .isEqualTo(first.trinoRows());
  }

  @Test
  void sparkCreatedPartitionSpecSurvivesTheRestCatalog(Lakehouse lakehouse) throws Exception {
    String namespace = lakehouse.namespace() + "_spec";
    BronzeSlice.run(lakehouse.endpoints(), lakehouse.sparkJobs(), namespace, 30);
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("test")) {
      Table table =
          catalog.loadTable(new TableRef(namespace, BronzeSlice.TABLE_NAME).toIdentifier());
      List<String> fields = table.spec().fields().stream().map(PartitionField::name).toList();
      assertThat(fields).containsExactly("category", "event_ts_day");
      assertThat(table.location()).startsWith("s3://warehouse/");
    }
    try (Connection trino = lakehouse.endpoints().openTrino();
        Statement statement = trino.createStatement();
        ResultSet partitions =
            statement.executeQuery(
                "SELECT count(*) FROM \"%s\".\"%s\".\"%s$partitions\""
                    .formatted(
                        lakehouse.endpoints().trinoCatalog(), namespace, BronzeSlice.TABLE_NAME))) {
      assertThat(partitions.next()).isTrue();
      // 30 events 37 s apart fall on one day, in three categories
      assertThat(partitions.getLong(1)).isEqualTo(3);
    }
  }
}
