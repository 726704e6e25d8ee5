package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.FloeException;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LakehouseExtension.class)
class RetentionTest {
  // rows are one hour apart from 2026-01-01; 2026-01-03T00:00 is 48 rows in
  private static final Instant NOW = Instant.parse("2026-01-10T00:00:00Z");
  private static final MaintenancePolicy.RetentionRule SEVEN_DAYS =
      new MaintenancePolicy.RetentionRule("ts", Duration.ofDays(7));

  @Test
  void dropsWholeDaysWithAMetadataDeleteAndRewritesPartialFiles(Lakehouse lakehouse)
      throws Exception {
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("retention-test")) {
      DeletionLedger ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger");
      Table byDay =
          Fixtures.create(
              catalog, lakehouse.namespace(), "by_day", Fixtures.byDay(), SortOrder.unsorted());
      Table unaligned =
          Fixtures.create(
              catalog,
              lakehouse.namespace(),
              "unaligned",
              Fixtures.byCategory(),
              SortOrder.unsorted());
      List<Record> rows = Fixtures.rows(0, 120);
      Fixtures.append(byDay, rows);
      Fixtures.append(unaligned, rows);
      List<String> kept =
          Fixtures.formatted(
              rows.stream()
                  .filter(
                      r ->
                          !((OffsetDateTime) r.getField("ts"))
                              .toInstant()
                              .isBefore(NOW.minus(Duration.ofDays(7))))
                  .toList());
      assertThat(kept).hasSize(120 - 48);

      RetentionResult dry = Maintenance.retain(byDay).rule(SEVEN_DAYS).now(NOW).dryRun().execute();
      assertThat(dry.droppedFiles()).hasSize(2);
      assertThat(Fixtures.read(byDay)).hasSize(120);

      RetentionResult aligned =
          Maintenance.retain(byDay).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(aligned.droppedFiles()).hasSize(2);
      assertThat(aligned.rewrittenFiles()).isEmpty();
      assertThat(Fixtures.read(byDay)).isEqualTo(kept);

      RetentionResult partial =
          Maintenance.retain(unaligned).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(partial.droppedFiles()).isEmpty();
      assertThat(partial.rewrittenFiles()).hasSize(3);
      assertThat(Fixtures.read(unaligned)).isEqualTo(kept);

      assertThat(ledger.inState(aligned.table(), LedgerEntry.State.DEREFERENCED))
          .hasSize(2)
          .allSatisfy(
              e ->
                  assertThat(e.cause())
                      .startsWith("retention ts < 2026-01-03T00:00:00Z (snapshot "));
      // a second pass finds nothing more to drop
      RetentionResult again =
          Maintenance.retain(unaligned).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(again.droppedFiles()).isEmpty();
      assertThat(again.rewrittenFiles()).isEmpty();
    }
  }

  @Test
  void filesWithoutBoundsAreJudgedByTheirRows(Lakehouse lakehouse) throws Exception {
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("retention-test")) {
      DeletionLedger ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger2");
      Table table = Fixtures.byCategory(catalog, lakehouse.namespace(), "avro_files");
      // Avro files carry no column bounds: all old, partly old, all young (48 rows are old)
      for (List<Record> batch :
          List.of(Fixtures.rows(0, 30), Fixtures.rows(30, 30), Fixtures.rows(60, 60))) {
        Fixtures.append(table, batch, FileFormat.AVRO);
      }
      List<String> kept = Fixtures.formatted(Fixtures.rows(48, 72));

      RetentionResult dry = Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).dryRun().execute();
      assertThat(dry.droppedFiles()).hasSize(3);
      assertThat(dry.rewrittenFiles()).hasSize(3);

      RetentionResult result =
          Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(result.droppedFiles()).hasSize(3);
      assertThat(result.rewrittenFiles()).hasSize(3);
      assertThat(Fixtures.read(table)).isEqualTo(kept);
      assertThat(ledger.inState(result.table(), LedgerEntry.State.DEREFERENCED)).hasSize(6);

      // the young Avro files hold no old row: a second pass leaves them as they are
      RetentionResult again =
          Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(again.droppedFiles()).isEmpty();
      assertThat(again.rewrittenFiles()).isEmpty();
    }
  }

  /**
   * A row without a timestamp is older than no cut-off. Its partition (the null day) is not a whole
   * old partition, whatever order Iceberg's own evaluator gives a null; in Avro files, which carry
   * no bounds, nothing but the rows can tell.
   */
  @Test
  void rowsWithoutATimestampAreNeverDropped(Lakehouse lakehouse) throws Exception {
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("retention-test")) {
      DeletionLedger ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger4");
      Table table =
          Fixtures.create(
              catalog, lakehouse.namespace(), "undated", Fixtures.byDay(), SortOrder.unsorted());
      List<Record> undated = Fixtures.rows(500, 5);
      undated.forEach(row -> row.setField("ts", null));
      List<Record> rows = new ArrayList<>(Fixtures.rows(0, 120));
      rows.addAll(undated);
      // one commit, so one manifest: its partition summary cannot rule out the null day
      Fixtures.append(table, rows, FileFormat.AVRO);
      List<String> kept = Fixtures.formatted(rows.subList(48, rows.size()));

      RetentionResult dry = Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).dryRun().execute();
      assertThat(dry.droppedFiles()).hasSize(2);
      assertThat(dry.rewrittenFiles()).isEmpty();

      RetentionResult result =
          Maintenance.retain(table).rule(SEVEN_DAYS).now(NOW).ledger(ledger).execute();
      assertThat(result.droppedFiles()).hasSize(2);
      assertThat(Fixtures.read(table)).isEqualTo(kept);
    }
  }

  @Test
  void refusesAMaxAgeBelowTheFloorNamingWhereItIsSet(Lakehouse lakehouse) throws Exception {
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("retention-test")) {
      DeletionLedger ledger = DeletionLedger.open(catalog, lakehouse.namespace() + "_ledger3");
      Table table =
          Fixtures.create(
              catalog, lakehouse.namespace(), "young", Fixtures.byDay(), SortOrder.unsorted());
      Fixtures.append(table, Fixtures.rows(0, 120));
      // rows run to 2026-01-05T23:00; twelve hours before this, the first four days are older
      Instant now = Instant.parse("2026-01-05T12:00:00Z");
      MaintenancePolicy.RetentionRule twelveHours =
          new MaintenancePolicy.RetentionRule("ts", Duration.ofHours(12));

      assertThatThrownBy(
              () -> Maintenance.retain(table).rule(twelveHours).now(now).ledger(ledger).execute())
          .isInstanceOf(FloeException.class)
          .hasMessageContaining("maintenance.retention.max-age is 12h")
          .hasMessageContaining("retention refuses less than 1d")
          .hasMessageContaining("--force");
      assertThatThrownBy(
              () -> Maintenance.retain(table).rule(twelveHours).now(now).dryRun().execute())
          .isInstanceOf(FloeException.class);
      // a log table's rule comes from its properties, and the error names the property
      assertThatThrownBy(
              () ->
                  Maintenance.retain(table)
                      .rule(
                          new MaintenancePolicy.RetentionRule(
                              "ts",
                              Duration.ofHours(12),
                              "table property floe.log.retention-max-age"))
                      .now(now)
                      .ledger(ledger)
                      .execute())
          .hasMessageContaining("table property floe.log.retention-max-age is 12h");
      assertThat(Fixtures.read(table)).hasSize(120);
      assertThat(ledger.inState(TableNames.of(table), LedgerEntry.State.INTENT)).isEmpty();
      assertThat(ledger.inState(TableNames.of(table), LedgerEntry.State.DEREFERENCED)).isEmpty();

      RetentionResult forced =
          Maintenance.retain(table)
              .rule(twelveHours)
              .now(now)
              .ledger(ledger)
              .forceBelowFloor()
              .execute();
      assertThat(forced.droppedFiles()).hasSize(4);
      assertThat(Fixtures.read(table)).isEqualTo(Fixtures.formatted(Fixtures.rows(96, 24)));
    }
  }
}
