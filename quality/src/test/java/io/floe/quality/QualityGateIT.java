package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.floe.catalog.MigratedFiles;
import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.LongStream;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.orc.GenericOrcWriter;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.orc.ORC;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Injected defects fail exactly their checks; clean data passes; metadata answers where exact. */
@ExtendWith(LakehouseExtension.class)
class QualityGateIT {
  static RESTCatalog catalog;
  static String namespace;
  static QualityConfig config;
  static TableRef buyers;
  static int tables;

  @BeforeAll
  static void open(Lakehouse lakehouse) {
    catalog = lakehouse.endpoints().catalogConnection().open("quality-test");
    namespace = lakehouse.namespace();
    catalog.createNamespace(Namespace.of(namespace));
    config =
        QualityConfig.DEFAULT.withTables(
            new TableRef(namespace, "q_results"), new TableRef(namespace, "q_states"));
    buyers = new TableRef(namespace, "dim_buyer");
    Orders.buyers(catalog, buyers, 50);
  }

  @AfterAll
  static void close() throws Exception {
    catalog.close();
  }

  static TableRef newTable(Map<String, String> properties) {
    TableRef ref = new TableRef(namespace, "orders_" + (++tables));
    Orders.create(catalog, ref, properties);
    return ref;
  }

  static Suite suite(TableRef table, String checks) {
    String yaml =
        "checks:\n"
            + checks.stripIndent().lines().map(l -> "  " + l).collect(Collectors.joining("\n"));
    return Suites.parse(table, ConfigNode.parse("test suite", yaml, name -> null));
  }

  static Suite fullSuite(TableRef table) {
    return suite(
        table,
        """
        - row-count: {min: 1, max: 100000}
        - not-null: [order_id, buyer_id]
        - unique: order_id
        - accepted-values: {column: status, values: [placed, paid, shipped, delivered, cancelled]}
        - predicate: {expression: "revenue >= 0 and revenue <= 100000"}
        - max: {column: order_id, max: 1000000}
        - mean: {column: revenue, max: 100000}
        - median: {column: revenue, max: 100000}
        - distinct-count: {column: buyer_id, min: 1, max: 100}
        - pattern: {column: status, pattern: '[a-z]+'}
        - length: {column: status, min: 1, max: 20}
        - freshness: {column: order_ts, max-age: 1d}
        - references: {column: buyer_id, table: %s}
        - schema: {expect: {order_id: long, buyer_id: long, status: string, revenue: 'decimal(12,2)', order_ts: timestamptz, note: string}, strict: true}
        """
            .formatted(buyers));
  }

  static Verdict check(TableRef table, Suite suite, String branch) {
    return QualityGate.check(catalog, table).suite(suite).config(config).branch(branch).execute();
  }

  static Set<String> failing(Verdict verdict) {
    return verdict.results().stream()
        .filter(r -> r.status() != CheckStatus.PASS)
        .map(r -> r.check().name() + ":" + r.status())
        .collect(Collectors.toSet());
  }

  /** Where each check's metric came from, by check name. */
  static Map<String, MetricSource> sources(Verdict verdict) {
    return verdict.results().stream()
        .collect(Collectors.toMap(r -> r.check().name(), CheckResult::source));
  }

  @Test
  void cleanDataPassesEveryCheckAndMetadataAnswersWhereExact() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    Orders.append(table, "main", Orders.rows(1, 500, now));
    Orders.append(table, "main", Orders.rows(501, 500, now));

    Verdict verdict = check(ref, fullSuite(ref), "main");

    assertThat(failing(verdict)).isEmpty();
    assertThat(verdict.passed()).isTrue();
    assertThat(verdict.snapshotId()).isEqualTo(table.currentSnapshot().snapshotId());
    assertThat(sources(verdict))
        .containsEntry("row-count", MetricSource.METADATA)
        .containsEntry("not-null(order_id)", MetricSource.METADATA)
        .containsEntry("not-null(buyer_id)", MetricSource.METADATA)
        .containsEntry("max(order_id)", MetricSource.METADATA)
        .containsEntry("freshness(order_ts)", MetricSource.METADATA)
        .containsEntry("schema", MetricSource.METADATA)
        .containsEntry("predicate(revenue >= 0 and revenue <= 100000)", MetricSource.METADATA)
        .containsEntry("unique(order_id)", MetricSource.SCAN)
        .containsEntry("mean(revenue)", MetricSource.SCAN)
        .containsEntry("references(buyer_id)", MetricSource.SCAN);
    assertThat(verdict.result("row-count").orElseThrow().metric()).hasValue(1000);
    assertThat(verdict.result("max(order_id)").orElseThrow().metric()).hasValue(1000);
    assertThat(verdict.result("distinct-count(buyer_id)").orElseThrow().metric()).hasValue(50);
  }

  /** In every file format Iceberg writes, each defect fails its check and no other. */
  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "ORC", "AVRO"})
  void eachInjectedDefectFailsExactlyItsCheck(FileFormat format) {
    Map<String, String> properties =
        Map.of(TableProperties.DEFAULT_FILE_FORMAT, format.name().toLowerCase(Locale.ROOT));
    OffsetDateTime now = Orders.now();
    Map<String, Consumer<List<Record>>> defects = new java.util.LinkedHashMap<>();
    defects.put("unique(order_id):FAIL", rows -> rows.add(rows.get(3).copy()));
    defects.put("not-null(buyer_id):FAIL", rows -> rows.get(7).setField("buyer_id", null));
    defects.put(
        "predicate(revenue >= 0 and revenue <= 100000):FAIL",
        rows -> rows.get(2).setField("revenue", new BigDecimal("-5.00")));
    defects.put("accepted-values(status):FAIL", rows -> rows.get(9).setField("status", "lost"));
    defects.put("references(buyer_id):FAIL", rows -> rows.get(4).setField("buyer_id", 999_999L));
    defects.put(
        "freshness(order_ts):FAIL",
        rows -> rows.forEach(r -> r.setField("order_ts", now.minusDays(3))));

    for (Map.Entry<String, Consumer<List<Record>>> defect : defects.entrySet()) {
      TableRef ref = newTable(properties);
      Table table = catalog.loadTable(ref.toIdentifier());
      boolean stale = defect.getKey().startsWith("freshness");
      // staleness is about the newest row, so the whole table is old in that case
      Orders.append(table, "main", Orders.rows(1, 200, stale ? now.minusDays(3) : now));
      List<Record> batch = new ArrayList<>(Orders.rows(201, 100, now));
      defect.getValue().accept(batch);
      Orders.append(table, "audit_x", batch);
      Verdict verdict = check(ref, fullSuite(ref), "audit_x");
      assertThat(failing(verdict)).as(defect.getKey()).containsExactly(defect.getKey());
      assertThat(verdict.passed()).isFalse();
      if (stale) {
        assertThat(verdict.result("freshness(order_ts)").orElseThrow().message())
            .isEqualTo("newest order_ts is 3d old (allowed 1d)");
      } else {
        // main's published data is still clean
        assertThat(failing(check(ref, fullSuite(ref), "main")))
            .as("main of " + defect.getKey())
            .isEmpty();
      }
    }

    TableRef drift = newTable(properties);
    Table table = catalog.loadTable(drift.toIdentifier());
    Orders.append(table, "main", Orders.rows(1, 100, now));
    table
        .updateSchema()
        .addColumn("coupon", org.apache.iceberg.types.Types.StringType.get())
        .commit();
    table.refresh();
    table
        .newAppend()
        .appendFile(
            Orders.write(
                table,
                List.of(
                    Orders.row(table.schema(), 101, 1L, "paid", BigDecimal.ONE, now, "drifted"))))
        .commit();
    Verdict drifted = check(drift, fullSuite(drift), "main");
    assertThat(failing(drifted)).containsExactly("schema:FAIL");
    assertThat(drifted.result("schema").orElseThrow().message())
        .contains("unexpected column coupon string");
  }

  /**
   * ORC files carry statistics as Parquet files do: the checks those answer exactly come from
   * metadata, the others from the rows; an appended file is checked against the stored states, and
   * the rows are read with an ORC position delete applied.
   */
  @Test
  void anOrcTableIsAnsweredFromItsStatisticsAndReadWithItsDeletes() throws java.io.IOException {
    TableRef ref = newTable(Map.of(TableProperties.DEFAULT_FILE_FORMAT, "orc"));
    Table table = catalog.loadTable(ref.toIdentifier());
    Suite suite = fullSuite(ref);
    OffsetDateTime now = Orders.now();
    Orders.append(table, "main", Orders.rows(1, 500, now));
    assertThat(failing(incremental(ref, suite))).isEmpty();
    List<Record> withDuplicate = new ArrayList<>(Orders.rows(501, 500, now));
    withDuplicate.add(Orders.rows(42, 1, now).get(0));
    Orders.append(table, "main", withDuplicate);
    DataFile second = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    assertThat(second.format()).isEqualTo(FileFormat.ORC);

    Verdict incremental = incremental(ref, suite);
    Verdict full = check(ref, suite, "main");

    for (Verdict verdict : List.of(incremental, full)) {
      assertThat(failing(verdict)).containsExactly("unique(order_id):FAIL");
      assertThat(verdict.result("unique(order_id)").orElseThrow().failingRows()).isEqualTo(1);
      assertThat(verdict.result("row-count").orElseThrow().metric()).hasValue(1001);
      assertThat(verdict.result("max(order_id)").orElseThrow().metric()).hasValue(1000);
      assertThat(verdict.result("distinct-count(buyer_id)").orElseThrow().metric()).hasValue(50);
    }
    assertThat(incremental.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("mean(revenue)").orElseThrow().metric().getAsDouble())
        .isCloseTo(full.result("mean(revenue)").orElseThrow().metric().getAsDouble(), within(1e-9));
    assertThat(sources(full))
        .containsEntry("row-count", MetricSource.METADATA)
        .containsEntry("not-null(order_id)", MetricSource.METADATA)
        .containsEntry("max(order_id)", MetricSource.METADATA)
        .containsEntry("freshness(order_ts)", MetricSource.METADATA)
        .containsEntry("predicate(revenue >= 0 and revenue <= 100000)", MetricSource.METADATA)
        .containsEntry("mean(revenue)", MetricSource.SCAN);

    // the duplicate (the second file's last row) deleted by an ORC position delete
    PositionDeleteWriter<Record> positions =
        ORC.writeDeletes(
                table.io().newOutputFile(table.locationProvider().newDataLocation("pos.orc")))
            .createWriterFunc(GenericOrcWriter::buildWriter)
            .withSpec(table.spec())
            .overwrite()
            .buildPositionWriter();
    try (positions) {
      positions.write(PositionDelete.<Record>create().set(second.location(), 500L));
    }
    table.newRowDelta().addDeletes(positions.toDeleteFile()).commit();
    Verdict cleaned = check(ref, suite, "main");
    assertThat(failing(cleaned)).isEmpty();
    assertThat(cleaned.result("row-count").orElseThrow().metric()).hasValue(1000);
  }

  /**
   * A field of a struct is checked by its dotted path, as Spark and Trino name it, with a field
   * under a null struct counted as null; a nanosecond timestamp (format 3) answers a freshness
   * check; a column inside a list is refused with the reason, and only that check errs.
   */
  @ParameterizedTest
  @EnumSource(
      value = FileFormat.class,
      names = {"PARQUET", "ORC", "AVRO"})
  void fieldsOfStructsAreCheckedByTheirPath(FileFormat format) throws java.io.IOException {
    org.apache.iceberg.types.Types.StructType address =
        org.apache.iceberg.types.Types.StructType.of(
            org.apache.iceberg.types.Types.NestedField.optional(
                3, "city", org.apache.iceberg.types.Types.StringType.get()),
            org.apache.iceberg.types.Types.NestedField.optional(
                4, "zip", org.apache.iceberg.types.Types.IntegerType.get()));
    org.apache.iceberg.Schema schema =
        new org.apache.iceberg.Schema(
            org.apache.iceberg.types.Types.NestedField.required(
                1, "id", org.apache.iceberg.types.Types.LongType.get()),
            org.apache.iceberg.types.Types.NestedField.optional(2, "address", address),
            org.apache.iceberg.types.Types.NestedField.optional(
                5, "seen", org.apache.iceberg.types.Types.TimestampNanoType.withoutZone()),
            org.apache.iceberg.types.Types.NestedField.optional(
                6,
                "tags",
                org.apache.iceberg.types.Types.ListType.ofOptional(
                    7, org.apache.iceberg.types.Types.StringType.get())));
    TableRef ref = new TableRef(namespace, "nested_" + (++tables));
    Table table =
        catalog.createTable(
            ref.toIdentifier(),
            schema,
            org.apache.iceberg.PartitionSpec.unpartitioned(),
            Map.of(
                TableProperties.FORMAT_VERSION,
                "3",
                TableProperties.DEFAULT_FILE_FORMAT,
                format.name().toLowerCase(Locale.ROOT)));
    java.time.LocalDateTime now = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC);
    List<Record> rows = new ArrayList<>();
    for (long id = 0; id < 200; id++) {
      org.apache.iceberg.data.GenericRecord row =
          org.apache.iceberg.data.GenericRecord.create(schema);
      row.setField("id", id);
      if (id != 7) {
        org.apache.iceberg.data.GenericRecord place =
            org.apache.iceberg.data.GenericRecord.create(address);
        place.setField("city", id == 11 ? null : "city-" + id % 5);
        place.setField("zip", (int) (1000 + id));
        row.setField("address", place);
      }
      row.setField("seen", now.minusMinutes(id).withNano(123_456_789));
      row.setField("tags", List.of("t" + id % 3));
      rows.add(row);
    }
    table.newAppend().appendFile(Orders.write(table, rows)).commit();
    Suite suite =
        suite(
            ref,
            """
            - not-null: [address.city]
            - not-null: {column: address.zip, max-fraction: 0.01}
            - unique: address.zip
            - accepted-values: {column: address.city, values: [city-0, city-1, city-2, city-3, city-4]}
            - predicate: {expression: "(address.zip between 1000 and 1199 or address is null) and `id` >= 0"}
            - min: {column: address.zip, min: 1000}
            - freshness: {column: seen, max-age: 1h}
            - not-null: [tags.element]
            """);

    Verdict verdict = check(ref, suite, "main");

    assertThat(failing(verdict))
        .containsExactlyInAnyOrder("not-null(address.city):FAIL", "not-null(tags.element):ERROR");
    assertThat(verdict.result("not-null(address.city)").orElseThrow().metric().getAsDouble())
        .isEqualTo(2 / 200.0);
    assertThat(verdict.result("not-null(address.zip)").orElseThrow().metric().getAsDouble())
        .isEqualTo(1 / 200.0);
    assertThat(verdict.result("min(address.zip)").orElseThrow().metric()).hasValue(1000);
    assertThat(verdict.result("freshness(seen)").orElseThrow().metric().getAsDouble())
        .isLessThan(600);
    assertThat(verdict.result("not-null(tags.element)").orElseThrow().message())
        .isEqualTo(
            "column 'tags.element' is inside a list or a map; checks take top-level columns and"
                + " fields of structs");

    // a duplicate zip and a city outside the accepted ones, in a second file
    Record bad = rows.get(3).copy();
    ((Record) bad.getField("address")).setField("city", "atlantis");
    table.newAppend().appendFile(Orders.write(table, List.of(bad))).commit();
    Verdict broken = check(ref, suite, "main");
    assertThat(failing(broken))
        .containsExactlyInAnyOrder(
            "not-null(address.city):FAIL",
            "not-null(tags.element):ERROR",
            "unique(address.zip):FAIL",
            "accepted-values(address.city):FAIL");
  }

  @Test
  void boundsAndAcceptedValuesAreReadInTheColumnsType() {
    org.apache.iceberg.Schema schema =
        new org.apache.iceberg.Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "day", Types.DateType.get()),
            Types.NestedField.optional(3, "at", Types.TimestampType.withZone()),
            Types.NestedField.optional(4, "local", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(5, "code", Types.StringType.get()),
            Types.NestedField.optional(6, "price", Types.DecimalType.of(10, 2)),
            Types.NestedField.optional(7, "ratio", Types.DoubleType.get()));
    TableRef ref = new TableRef(namespace, "typed_" + (++tables));
    Table table =
        catalog.createTable(
            ref.toIdentifier(), schema, org.apache.iceberg.PartitionSpec.unpartitioned());
    java.time.LocalDate first = java.time.LocalDate.parse("2026-01-01");
    List<Record> rows = new ArrayList<>();
    for (long id = 0; id < 200; id++) {
      org.apache.iceberg.data.GenericRecord row =
          org.apache.iceberg.data.GenericRecord.create(schema);
      row.setField("id", id);
      row.setField("day", first.plusDays(id % 30));
      row.setField("at", first.atStartOfDay().plusMinutes(id).atOffset(java.time.ZoneOffset.UTC));
      row.setField("local", first.atStartOfDay().plusMinutes(id));
      row.setField("code", "c" + (100 + id));
      row.setField("price", new BigDecimal(id % 3 == 0 ? "1.50" : id % 3 == 1 ? "2.00" : "2.25"));
      row.setField("ratio", id % 2 == 0 ? 0.5 : 1.0);
      rows.add(row);
    }
    table.newAppend().appendFile(Orders.write(table, rows)).commit();
    Suite suite =
        suite(
            ref,
            """
            - min: {column: day, min: 2026-01-01}
            - max: {column: day, max: 2026-01-15}
            - min: {column: at, min: 2026-01-01}
            - max: {column: at, max: '2026-01-01T12:00:00+01:00'}
            - max: {column: local, max: '2026-01-01 03:00:00'}
            - min: {column: code, min: c100, max: c299}
            - max: {column: code, max: c2}
            - predicate: {name: dated, expression: "day >= '2026-01-01' and at < '2026-01-02T00:00:00+00:00'"}
            - predicate: {name: early, expression: "day < '2026-01-20'"}
            - predicate: {name: no-offset, expression: "at < '2026-01-02T00:00:00'"}
            - min: {name: bad-number, column: id, min: 2026-01-01}
            - max: {name: bad-date, column: day, max: 2026-13-01}
            - max: {name: bad-offset, column: local, max: '2026-01-01T00:00:00Z'}
            - change: {metric: max, column: day, max-delta-pct: 10}
            - accepted-values: {column: price, values: [1.5, 2, 2.25]}
            - accepted-values: {column: ratio, values: [0.5, 1]}
            - accepted-values: {column: day, values: [2026-01-01, 2026-01-02]}
            - accepted-values: {column: at, values: ['2026-01-01T00:00:00Z']}
            - accepted-values: {name: bad-price, column: price, values: [2, 1.505]}
            """);

    Verdict verdict = check(ref, suite, "main");

    assertThat(failing(verdict))
        .containsExactlyInAnyOrder(
            "max(day):FAIL",
            "max(local):FAIL",
            "max(code):FAIL",
            "early:FAIL",
            "no-offset:ERROR",
            "bad-number:ERROR",
            "bad-date:ERROR",
            "bad-offset:ERROR",
            "change(max(day)):ERROR",
            "accepted-values(day):FAIL",
            "accepted-values(at):FAIL",
            "bad-price:ERROR");
    CheckResult lastDay = verdict.result("max(day)").orElseThrow();
    assertThat(lastDay.message()).isEqualTo("max(day) = 2026-01-30, expected <= 2026-01-15");
    assertThat(lastDay.threshold()).isEqualTo("<= 2026-01-15");
    assertThat(lastDay.metric()).hasValue(first.plusDays(29).toEpochDay());
    assertThat(lastDay.source()).isEqualTo(MetricSource.METADATA);
    CheckResult firstAt = verdict.result("min(at)").orElseThrow();
    assertThat(firstAt.message())
        .isEqualTo("min(at) = 2026-01-01T00:00:00Z, expected >= 2026-01-01T00:00:00Z");
    assertThat(firstAt.metric()).hasValue(first.toEpochDay() * 86_400_000_000.0);
    assertThat(verdict.result("max(local)").orElseThrow().message())
        .isEqualTo("max(local) = 2026-01-01T03:19, expected <= 2026-01-01T03:00");
    CheckResult lastCode = verdict.result("max(code)").orElseThrow();
    assertThat(lastCode.message()).isEqualTo("max(code) = 'c299', expected <= 'c2'");
    assertThat(lastCode.metric()).isEmpty();
    // string bounds under the default truncate(16) are not trusted: the file is read
    assertThat(lastCode.source()).isEqualTo(MetricSource.SCAN);
    assertThat(verdict.result("early").orElseThrow().failingRows()).isEqualTo(67);
    assertThat(verdict.result("no-offset").orElseThrow().message())
        .isEqualTo(
            "in 'at < '2026-01-02T00:00:00'', at (timestamptz) cannot be compared with"
                + " '2026-01-02T00:00:00' (a timestamp with time zone is written with its offset,"
                + " e.g. '2026-01-31T08:30:00+00:00')");
    assertThat(verdict.result("bad-number").orElseThrow().message())
        .isEqualTo("min '2026-01-01' is not a number, and id is long");
    assertThat(verdict.result("bad-date").orElseThrow().message())
        .isEqualTo("max '2026-13-01' is not a date such as 2026-01-31");
    assertThat(verdict.result("bad-offset").orElseThrow().message())
        .isEqualTo(
            "max '2026-01-01T00:00:00Z' is not a timestamp such as 2026-01-31T08:30:00 (no offset)"
                + " or a date");
    CheckResult days = verdict.result("accepted-values(day)").orElseThrow();
    assertThat(days.failingRows()).isEqualTo(186);
    assertThat(days.samples()).first().asString().contains("2026-01-03");
    assertThat(verdict.result("accepted-values(at)").orElseThrow().samples())
        .first()
        .asString()
        .contains("2026-01-01T00:01:00Z");
    assertThat(verdict.result("bad-price").orElseThrow().message())
        .isEqualTo(
            "accepted value '1.505' is not a number with at most 2 decimal places, and price is"
                + " decimal(10, 2)");
    assertThat(verdict.result("change(max(day))").orElseThrow().message())
        .isEqualTo("day is date; change and anomaly checks measure numeric columns");
  }

  /** Orders 1-1000 on main, in four appends of one file each. */
  static void appendThousandOrdersInFourFiles(Table table, OffsetDateTime now) {
    for (int i = 0; i < 4; i++) {
      Orders.append(table, "main", Orders.rows(1 + i * 250L, 250, now));
    }
  }

  static Verdict incremental(TableRef table, Suite suite) {
    return QualityGate.check(catalog, table).suite(suite).config(config).incremental().execute();
  }

  static Verdict incremental(TableRef table, Suite suite, String branch) {
    return QualityGate.check(catalog, table)
        .suite(suite)
        .config(config)
        .branch(branch)
        .incremental()
        .execute();
  }

  @Test
  void aFileReadByColumnGroupsOnSeveralThreadsGivesTheSameResults() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    List<Record> rows = new ArrayList<>(Orders.rows(1, 300, Orders.now()));
    rows.add(rows.get(3).copy());
    rows.add(rows.get(3).copy());
    rows.get(7).setField("buyer_id", null);
    rows.get(2).setField("revenue", new BigDecimal("-5.00"));
    rows.get(9).setField("status", "lost");
    rows.get(11).setField("buyer_id", 999_999L);
    // one data file: with more threads than files, its analyzers are split into column groups
    Orders.append(table, "main", rows);
    Suite suite = fullSuite(ref);

    Verdict oneThread =
        QualityGate.check(catalog, ref).suite(suite).config(config.withParallelism(1)).execute();
    Verdict fourThreads =
        QualityGate.check(catalog, ref).suite(suite).config(config.withParallelism(4)).execute();

    assertThat(failing(oneThread))
        .containsExactlyInAnyOrder(
            "unique(order_id):FAIL",
            "not-null(buyer_id):FAIL",
            "predicate(revenue >= 0 and revenue <= 100000):FAIL",
            "accepted-values(status):FAIL",
            "references(buyer_id):FAIL");
    assertThat(fourThreads.results()).hasSameSizeAs(oneThread.results());
    for (CheckResult expected : oneThread.results()) {
      CheckResult actual = fourThreads.result(expected.check().name()).orElseThrow();
      assertThat(actual.status()).as(expected.check().name()).isEqualTo(expected.status());
      if (expected.check().type() != CheckType.QUANTILE
          && expected.check().type() != CheckType.FRESHNESS) {
        // a quantile sketch's compaction is randomised and freshness is an age against the
        // clock: those metrics may differ between any two runs
        assertThat(actual.metric()).as(expected.check().name()).isEqualTo(expected.metric());
      }
      assertThat(actual.failingRows())
          .as(expected.check().name())
          .isEqualTo(expected.failingRows());
      assertThat(actual.samples()).as(expected.check().name()).isEqualTo(expected.samples());
      assertThat(actual.source()).as(expected.check().name()).isEqualTo(expected.source());
    }
  }

  @Test
  void samplesAndFailingRowsSayWhatFailed() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    List<Record> rows = new ArrayList<>(Orders.rows(1, 100, Orders.now()));
    rows.add(rows.get(10).copy());
    rows.add(rows.get(10).copy());
    rows.add(rows.get(20).copy());
    Orders.append(table, "main", rows);
    CheckResult unique =
        check(ref, suite(ref, "- unique: order_id"), "main")
            .result("unique(order_id)")
            .orElseThrow();
    assertThat(unique.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(unique.failingRows()).isEqualTo(3);
    assertThat(unique.samples()).containsExactly("[11] x3", "[21] x2");
  }

  /**
   * A suite's {@code sample-columns} start every sample a row-level check keeps, so a failing row
   * can be found: in a full check, merged from stored states in an incremental one, and a column
   * the table lacks is an error of those checks alone.
   */
  @Test
  void samplesStartWithTheSuitesSampleColumnsSoTheRowCanBeFound() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    List<Record> rows = new ArrayList<>(Orders.rows(1, 100, Orders.now()));
    rows.get(6).setField("revenue", new BigDecimal("-5.00")); // order 7
    rows.get(7).setField("status", "refunded"); // order 8
    rows.get(8).setField("buyer_id", 999L); // order 9
    Orders.append(table, "main", rows);
    String checks =
        """
          - predicate: {expression: revenue >= 0}
          - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
          - references: {column: buyer_id, table: %s}
          - pattern: {column: note, pattern: 'note for order number [0-9]+'}
          - unique: order_id
        """
            .formatted(buyers);
    Suite suite = sampled(ref, "[order_id, buyer_id]", checks);

    Verdict full = check(ref, suite, "main");
    assertThat(failing(full))
        .containsExactlyInAnyOrder(
            "predicate(revenue >= 0):FAIL",
            "accepted-values(status):FAIL",
            "references(buyer_id):FAIL");
    assertThat(full.result("predicate(revenue >= 0)").orElseThrow().samples())
        .containsExactly("order_id=7, buyer_id=8: revenue=-5.00");
    assertThat(full.result("accepted-values(status)").orElseThrow().samples())
        .containsExactly("order_id=8, buyer_id=9: refunded");
    // the checked column is an identifying one too: it is read once
    assertThat(full.result("references(buyer_id)").orElseThrow().samples())
        .containsExactly("order_id=9, buyer_id=999: 999");
    // a check whose samples are keys already keeps them
    assertThat(full.result("unique(order_id)").orElseThrow().status()).isEqualTo(CheckStatus.PASS);
    assertThat(full.suiteHash()).isNotEqualTo(suite(ref, checks).hash());

    // the next check merges the stored samples with those of the appended rows
    List<Record> more = new ArrayList<>(Orders.rows(101, 50, Orders.now()));
    more.get(3).setField("revenue", new BigDecimal("-1.00")); // order 104
    Orders.append(table, "main", more);
    Verdict next = incremental(ref, suite);
    CheckResult predicate = next.result("predicate(revenue >= 0)").orElseThrow();
    assertThat(predicate.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(predicate.failingRows()).isEqualTo(2);
    assertThat(predicate.samples())
        .containsExactly(
            "order_id=104, buyer_id=5: revenue=-1.00", "order_id=7, buyer_id=8: revenue=-5.00");
    CheckResult whole = check(ref, suite, "main").result("predicate(revenue >= 0)").orElseThrow();
    assertThat(whole.samples()).isEqualTo(predicate.samples());
    assertThat(whole.message()).isEqualTo(predicate.message());

    // a sample column the table lacks fails the row-level checks, and nothing else
    Verdict misnamed = check(ref, sampled(ref, "order_no", checks), "main");
    assertThat(failing(misnamed))
        .containsExactlyInAnyOrder(
            "predicate(revenue >= 0):ERROR",
            "accepted-values(status):ERROR",
            "references(buyer_id):ERROR",
            "pattern(note):ERROR");
    assertThat(misnamed.result("pattern(note)").orElseThrow().message())
        .startsWith("sample-columns: column 'order_no' is not in the snapshot's schema");
  }

  /**
   * A check's {@code where} measures only the rows that meet it: defects in the other rows pass it,
   * the same defects in rows that meet it fail it, in a full check and an incremental one alike. A
   * file whose bounds decide the condition for all its rows is answered from its metadata.
   */
  @Test
  void aWhereMeasuresOnlyTheRowsThatMeetIt() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> first = new ArrayList<>(Orders.rows(1, 100, now));
    first.get(3).setField("revenue", null); // order 4, placed
    first.get(5).setField("revenue", new BigDecimal("-5.00")); // order 6, shipped
    first.add(Orders.row(Orders.SCHEMA, 8, 9L, "placed", BigDecimal.ONE, now, "again"));
    Orders.append(table, "main", first);
    List<Record> second = Orders.rows(1001, 100, now);
    Orders.append(table, "main", second);
    String paid = "status = 'paid'";
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 25, max: 25, where: "status = 'paid' and order_id < 1000"}
            - row-count: {min: 100, max: 100, where: "order_id > 1000"}
            - not-null: {column: revenue, where: "status = 'paid'"}
            - not-null: revenue
            - predicate: {expression: revenue >= 0, where: "status = 'paid'"}
            - unique: {column: order_id, where: "status <> 'placed'"}
            - unique: order_id
            - mean: {column: revenue, max: 100000, where: "status = 'paid'"}
            """);

    Verdict full = check(ref, suite, "main");
    assertThat(failing(full))
        .containsExactlyInAnyOrder("not-null(revenue):FAIL", "unique(order_id):FAIL");
    assertThat(full.result("not-null(revenue) where " + paid).orElseThrow().status())
        .isEqualTo(CheckStatus.PASS);
    assertThat(
            full.result("row-count where status = 'paid' and order_id < 1000")
                .orElseThrow()
                .metric())
        .hasValue(25);
    // the first file's bounds rule every row out, the second's take every row in
    CheckResult late = full.result("row-count where order_id > 1000").orElseThrow();
    assertThat(late.metric()).hasValue(100);
    assertThat(late.source()).isEqualTo(MetricSource.METADATA);
    CheckResult mean = full.result("mean(revenue) where " + paid).orElseThrow();
    assertThat(mean.metricName()).isEqualTo("mean(revenue) where " + paid);
    assertThat(mean.metric().getAsDouble())
        .isCloseTo(meanRevenue(first, second, "paid"), within(1e-9))
        .isNotCloseTo(meanRevenue(first, second, null), within(1e-3));
    assertThat(full.result("predicate(revenue >= 0) where " + paid).orElseThrow().message())
        .isEqualTo("all 50 rows where status = 'paid' hold");

    // the same defects where the condition holds: a paid order without revenue, a paid order
    // twice; an order placed a third time and a paid order whose id a placed one has are not
    // duplicates among the rows that are not placed
    List<Record> third = new ArrayList<>(Orders.rows(2001, 1, now)); // paid
    third.get(0).setField("revenue", null);
    third.add(Orders.row(Orders.SCHEMA, 5, 6L, "paid", BigDecimal.ONE, now, "again"));
    third.add(Orders.row(Orders.SCHEMA, 5, 6L, "placed", BigDecimal.ONE, now, "again"));
    third.add(Orders.row(Orders.SCHEMA, 16, 17L, "paid", BigDecimal.ONE, now, "again"));
    Orders.append(table, "main", third);
    Verdict next = incremental(ref, suite);
    Verdict whole = check(ref, suite, "main");
    assertThat(failing(next))
        .isEqualTo(failing(whole))
        .containsExactlyInAnyOrder(
            "row-count where status = 'paid' and order_id < 1000:FAIL",
            "row-count where order_id > 1000:FAIL",
            "not-null(revenue) where " + paid + ":FAIL",
            "not-null(revenue):FAIL",
            // a null revenue is no revenue >= 0
            "predicate(revenue >= 0) where " + paid + ":FAIL",
            "unique(order_id) where status <> 'placed':FAIL",
            "unique(order_id):FAIL");
    for (CheckResult result : next.results()) {
      CheckResult again = whole.result(result.check().name()).orElseThrow();
      assertThat(result.metric()).as(result.check().name()).isEqualTo(again.metric());
      assertThat(result.failingRows()).as(result.check().name()).isEqualTo(again.failingRows());
      if (result.check().where().isPresent()) {
        assertThat(result.source()).as(result.check().name()).isEqualTo(MetricSource.INCREMENTAL);
      }
    }
    CheckResult unique = next.result("unique(order_id) where status <> 'placed'").orElseThrow();
    assertThat(unique.failingRows()).isEqualTo(1);
    assertThat(unique.samples())
        .isEqualTo(whole.result(unique.check().name()).orElseThrow().samples());
    assertThat(next.result("not-null(revenue) where " + paid).orElseThrow().failingRows())
        .isEqualTo(1);

    // a condition that also compares two columns: the bounds of the files of later orders rule them
    // out, and the
    // first file's rows decide the comparison
    long cheap =
        concat(concat(first, second), third).stream()
            .filter(
                r ->
                    (Long) r.getField("order_id") < 1000
                        && r.getField("revenue") != null
                        && ((BigDecimal) r.getField("revenue"))
                                .compareTo(BigDecimal.valueOf((Long) r.getField("buyer_id")))
                            < 0)
            .count();
    assertThat(cheap).isBetween(1L, 99L);
    Verdict compared =
        check(
            ref,
            suite(
                ref,
                "- row-count: {min: %d, max: %d, where: \"order_id < 1000 and revenue < buyer_id\"}"
                    .formatted(cheap, cheap)),
            "main");
    assertThat(failing(compared)).isEmpty();

    // a condition on a column the table lacks is that check's error, and no other's
    Verdict misnamed =
        check(
            ref,
            suite(
                ref,
                "- not-null: {column: revenue, where: \"stat = 'paid'\"}\n- row-count: {min: 1}"),
            "main");
    assertThat(failing(misnamed)).containsExactly("not-null(revenue) where stat = 'paid':ERROR");
    assertThat(misnamed.results().get(0).message())
        .startsWith("where: column 'stat' is not in the snapshot's schema");
  }

  /** The mean revenue of the rows of {@code status} (all with null), as BigDecimal sums it. */
  private static double meanRevenue(List<Record> first, List<Record> second, String status) {
    BigDecimal sum = BigDecimal.ZERO;
    long count = 0;
    for (Record row : concat(first, second)) {
      BigDecimal revenue = (BigDecimal) row.getField("revenue");
      if (revenue != null && (status == null || status.equals(row.getField("status")))) {
        sum = sum.add(revenue);
        count++;
      }
    }
    return sum.doubleValue() / count;
  }

  private static List<Record> concat(List<Record> a, List<Record> b) {
    List<Record> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Without {@code sample-columns}, a table that declares identifier fields (its row key) starts
   * its samples with them; a suite's own sample columns take their place.
   */
  @Test
  void aTablesIdentifierFieldsStartItsSamplesUnlessTheSuiteNamesOthers() {
    TableRef ref = new TableRef(namespace, "orders_keyed");
    Schema keyed = new Schema(Orders.SCHEMA.columns(), Set.of(1)); // order_id
    catalog.createTable(ref.toIdentifier(), keyed, PartitionSpec.unpartitioned());
    Table table = catalog.loadTable(ref.toIdentifier());
    List<Record> rows = new ArrayList<>(Orders.rows(1, 20, Orders.now()));
    rows.get(6).setField("revenue", new BigDecimal("-5.00")); // order 7
    Orders.append(table, "main", rows);
    String checks = "- predicate: {expression: revenue >= 0}";

    assertThat(
            check(ref, suite(ref, checks), "main")
                .result("predicate(revenue >= 0)")
                .orElseThrow()
                .samples())
        .containsExactly("order_id=7: revenue=-5.00");
    assertThat(
            check(ref, sampled(ref, "buyer_id", checks), "main")
                .result("predicate(revenue >= 0)")
                .orElseThrow()
                .samples())
        .containsExactly("buyer_id=8: revenue=-5.00");
  }

  /** A suite of {@code checks} whose samples start with {@code sampleColumns} (YAML). */
  private static Suite sampled(TableRef table, String sampleColumns, String checks) {
    return Suites.parse(
        table,
        ConfigNode.parse(
            "test suite",
            "sample-columns: " + sampleColumns + "\nchecks:\n" + checks.stripIndent().indent(2),
            name -> null));
  }

  @Test
  void missingOrTruncatedStatisticsFallBackToScanning() {
    // metrics mode counts: no bounds at all, so max and freshness must read the files
    TableRef ref = newTable(Map.of("write.metadata.metrics.default", "counts"));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    Orders.append(table, "main", Orders.rows(1, 300, now));
    Verdict verdict =
        check(
            ref,
            suite(
                ref,
                "- max: {column: order_id, max: 1000}\n- freshness: {column: order_ts, max-age: 1d}\n- row-count: {min: 300, max: 300}"),
            "main");
    assertThat(failing(verdict)).isEmpty();
    assertThat(verdict.result("max(order_id)").orElseThrow().source()).isEqualTo(MetricSource.SCAN);
    assertThat(verdict.result("max(order_id)").orElseThrow().metric()).hasValue(300);
    assertThat(verdict.result("freshness(order_ts)").orElseThrow().source())
        .isEqualTo(MetricSource.SCAN);
    assertThat(verdict.result("row-count").orElseThrow().source()).isEqualTo(MetricSource.METADATA);

    // default truncate(16): the notes' bounds are truncated, so the string max is read; with full
    // metrics the same bounds are exact
    TableRef truncated = newTable(Map.of());
    Table t = catalog.loadTable(truncated.toIdentifier());
    Orders.append(t, "main", Orders.rows(1, 50, now));
    org.apache.iceberg.DataFile file = t.currentSnapshot().addedDataFiles(t.io()).iterator().next();
    FileStatistics statistics =
        new FileStatistics(t.schema(), org.apache.iceberg.MetricsConfig.forTable(t));
    MinMaxAnalyzer notes =
        new MinMaxAnalyzer("note", org.apache.iceberg.types.Types.StringType.get());
    assertThat(notes.fromMetadata(file, statistics)).isEmpty();
    assertThat(statistics.anyBound(file, "note", false)).isPresent();
    MinMaxAnalyzer status =
        new MinMaxAnalyzer("status", org.apache.iceberg.types.Types.StringType.get());
    assertThat(status.fromMetadata(file, statistics))
        .as("upper bounds of truncate(16) columns are never trusted")
        .isEmpty();

    t.updateProperties().set("write.metadata.metrics.column.note", "full").commit();
    t.refresh();
    Orders.append(t, "main", Orders.rows(51, 50, now));
    org.apache.iceberg.DataFile full = t.currentSnapshot().addedDataFiles(t.io()).iterator().next();
    FileStatistics fullStatistics =
        new FileStatistics(t.schema(), org.apache.iceberg.MetricsConfig.forTable(t));
    MinMaxState exact = (MinMaxState) notes.fromMetadata(full, fullStatistics).orElseThrow();
    assertThat(exact.max()).isEqualTo("note for order number 99");
  }

  @Test
  void incrementalMergesStoredStatesWithOnlyTheAddedFiles() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    appendThousandOrdersInFourFiles(table, now);
    Suite suite =
        suite(
            ref,
            "- row-count: {min: 1}\n- unique: order_id\n- mean: {column: revenue, max: 100000}\n- not-null: [buyer_id]\n- median: {column: revenue, max: 100000}");
    Verdict first = incremental(ref, suite);
    assertThat(first.result("mean(revenue)").orElseThrow().source()).isEqualTo(MetricSource.SCAN);

    Orders.append(table, "main", Orders.rows(1001, 100, now));
    Table states = catalog.loadTable(config.statesTable().toIdentifier());
    assertThat(
            ((org.apache.iceberg.io.SupportsPrefixOperations) states.io())
                .listPrefix(states.location()))
        .as("no state file inside the states table's location, where orphan removal looks")
        .noneMatch(f -> f.location().endsWith(".states"));
    Verdict incremental = incremental(ref, suite);
    Verdict full = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    assertThat(incremental.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("mean(revenue)").orElseThrow().metric().getAsDouble())
        .isCloseTo(
            full.result("mean(revenue)").orElseThrow().metric().getAsDouble(),
            org.assertj.core.api.Assertions.within(1e-9));
    assertThat(incremental.result("row-count").orElseThrow().metric()).hasValue(1100);
    assertThat(failing(incremental)).isEmpty();

    // a new key that repeats a published one is caught although only the added file is new
    List<Record> repeat = new ArrayList<>(Orders.rows(1101, 10, now));
    repeat.add(Orders.rows(300, 1, now).get(0));
    Orders.append(table, "main", repeat);
    Verdict duplicate = incremental(ref, suite);
    CheckResult unique = duplicate.result("unique(order_id)").orElseThrow();
    assertThat(unique.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(unique.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(unique.samples()).containsExactly("[300] x2");

    // that snapshot held a duplicate, so the next check hashes every row again and finds it with
    // the new one (see incrementalUniquenessKeepsCountingDuplicatesThePublishedRowsHeld)
    List<Record> beyond = new ArrayList<>(Orders.rows(5000, 3, now));
    beyond.add(Orders.rows(5001, 1, now).get(0));
    Orders.append(table, "main", beyond);
    CheckResult within =
        QualityGate.check(catalog, ref)
            .suite(suite)
            .config(config)
            .incremental()
            .execute()
            .result("unique(order_id)")
            .orElseThrow();
    assertThat(within.source()).isEqualTo(MetricSource.SCAN);
    assertThat(within.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(within.failingRows()).isEqualTo(2);
    assertThat(within.samples()).containsExactly("[300] x2", "[5001] x2");
  }

  @Test
  void incrementalFindsItsBaseSeveralAppendsBackAndNeverAcrossARewrite() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    Orders.append(table, "main", Orders.rows(1, 400, now));
    Suite suite =
        suite(
            ref,
            "- row-count: {min: 1}\n- unique: order_id\n- mean: {column: revenue, max: 100000}");
    Verdict audited = incremental(ref, suite);
    assertThat(audited.basis()).isEqualTo("full: no snapshot in its history was audited");

    // two appends nobody checked: both are added files on top of the stored base
    Orders.append(table, "main", Orders.rows(401, 50, now));
    Orders.append(table, "main", Orders.rows(451, 50, now));
    Verdict incremental = incremental(ref, suite);
    Verdict full = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    assertThat(incremental.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("row-count").orElseThrow().metric()).hasValue(500);
    assertThat(incremental.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 2 files added since"
                .formatted(audited.snapshotId()));
    assertThat(full.basis()).isEqualTo("full");
    assertThat(incremental.result("mean(revenue)").orElseThrow().metric().getAsDouble())
        .isCloseTo(
            full.result("mean(revenue)").orElseThrow().metric().getAsDouble(),
            org.assertj.core.api.Assertions.within(1e-9));

    // the head itself is the base: nothing is added, nothing counted twice
    Verdict again = incremental(ref, suite);
    assertThat(again.result("row-count").orElseThrow().metric()).hasValue(500);
    assertThat(again.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 0 files added since"
                .formatted(again.snapshotId()));
    assertThat(again.result("mean(revenue)").orElseThrow().metric())
        .isEqualTo(incremental.result("mean(revenue)").orElseThrow().metric());

    // a deleted file between the base and the head: its rows are taken out of the stored states
    table.refresh();
    org.apache.iceberg.DataFile first =
        table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    table.newDelete().deleteFile(first).commit();
    Orders.append(table, "main", Orders.rows(501, 10, now));
    Verdict afterDelete = incremental(ref, suite);
    assertThat(afterDelete.result("mean(revenue)").orElseThrow().source())
        .as(afterDelete.basis())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(afterDelete.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added and 1 removed since"
                .formatted(again.snapshotId()));
    assertThat(afterDelete.result("row-count").orElseThrow().metric())
        .hasValue(500 - first.recordCount() + 10);
    assertThat(afterDelete.result("mean(revenue)").orElseThrow().metric().getAsDouble())
        .isCloseTo(
            QualityGate.check(catalog, ref)
                .suite(suite)
                .config(config)
                .execute()
                .result("mean(revenue)")
                .orElseThrow()
                .metric()
                .getAsDouble(),
            org.assertj.core.api.Assertions.within(1e-9));

    // appends that merge manifests: the new manifest also lists the existing files
    TableRef merging = newTable(Map.of("commit.manifest.min-count-to-merge", "1"));
    Table merged = catalog.loadTable(merging.toIdentifier());
    Orders.append(merged, "main", Orders.rows(1, 100, now));
    Suite mergingSuite =
        suite(merging, "- row-count: {min: 1}\n- mean: {column: revenue, max: 100000}");
    QualityGate.check(catalog, merging).suite(mergingSuite).config(config).incremental().execute();
    Orders.append(merged, "main", Orders.rows(101, 10, now));
    merged.refresh();
    assertThat(merged.currentSnapshot().allManifests(merged.io()))
        .singleElement()
        .satisfies(m -> assertThat(m.existingFilesCount()).isEqualTo(1));
    Verdict afterMerge =
        QualityGate.check(catalog, merging)
            .suite(mergingSuite)
            .config(config)
            .incremental()
            .execute();
    assertThat(afterMerge.result("row-count").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(afterMerge.result("row-count").orElseThrow().metric()).hasValue(110);

    // the results table has the log-table properties (uncompressed manifests, old metadata
    // files deleted)
    assertThat(catalog.loadTable(config.resultsTable().toIdentifier()).properties())
        .containsAllEntriesOf(io.floe.catalog.LogTables.PROPERTIES);
  }

  /**
   * Copy-on-write deletes and overwrites (whole data files removed, rewritten rows added): an
   * incremental check reads the removed files and takes their rows out of the stored states where a
   * state can tell (counts, sums and moments; a min or max the removed rows did not hold; a row
   * rule they did not break), evaluates the others in full, and agrees with a full check on every
   * result.
   */
  @Test
  void incrementalTakesTheRowsOfFilesACopyOnWriteChangeRemovedOutOfItsStates() throws Exception {
    TableRef ref = newTable(Map.of("format-version", "2"));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<DataFile> files = appendHundreds(table, 5, now);
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - not-null: [buyer_id, note]
            - unique: order_id
            - mean: {column: revenue, max: 100000}
            - stddev: {column: revenue, max: 100000}
            - sum: {column: revenue, max: 100000000}
            - min: {column: order_id, min: 1}
            - max: {column: revenue, max: 100000}
            - distinct-count: {column: buyer_id, min: 1}
            - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
            - predicate: {expression: "revenue >= 0", max-fraction: 0.5}
            - predicate: {expression: "revenue >= 0", where: "status = 'paid'", name: paid}
            """);
    Verdict audited = incremental(ref, suite);
    assertThat(audited.passed()).isTrue();

    // an UPDATE as copy-on-write makes it: orders 101-200 rewritten, two of them now negative
    // and one without a buyer, then new orders appended
    List<Record> updated = new ArrayList<>(Orders.rows(101, 100, now));
    updated.get(49).setField("revenue", new BigDecimal("-1.00")); // order 150, placed
    updated.get(50).setField("revenue", new BigDecimal("-2.00")); // order 151, shipped
    updated.get(60).setField("buyer_id", null);
    DataFile rewritten = Orders.write(table, updated);
    table.newOverwrite().deleteFile(files.get(1)).addFile(rewritten).commit();
    Orders.append(table, "main", Orders.rows(501, 20, now));
    Verdict incremental = incremental(ref, suite);
    Verdict full = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    assertThat(incremental.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 2 files added and 1 removed since"
                .formatted(audited.snapshotId()));
    assertSameResults(incremental, full);
    assertThat(failing(incremental)).containsExactly("not-null(buyer_id):FAIL");
    assertThat(incremental.result("predicate(revenue >= 0)").orElseThrow().failingRows())
        .isEqualTo(2);
    assertThat(incremental.result("row-count").orElseThrow().metric()).hasValue(520);
    for (String name :
        List.of(
            "mean(revenue)",
            "stddev(revenue)",
            "sum(revenue)",
            "min(order_id)",
            "max(revenue)",
            "accepted-values(status)",
            "predicate(revenue >= 0)",
            "unique(order_id)")) {
      // taken out: the removed rows held neither bound and broke no rule
      assertThat(incremental.result(name).orElseThrow().source())
          .as(name)
          .isEqualTo(MetricSource.INCREMENTAL);
    }
    // a sketch cannot take values out: its column is evaluated in full (from dictionaries here)
    assertThat(incremental.result("distinct-count(buyer_id)").orElseThrow().source())
        .isNotEqualTo(MetricSource.INCREMENTAL)
        .isEqualTo(full.result("distinct-count(buyer_id)").orElseThrow().source());

    // a DELETE as copy-on-write of the rewritten file (which broke the predicate) and of the
    // file holding the smallest order: the predicate and the min are evaluated in full
    table.newDelete().deleteFile(rewritten).deleteFile(files.get(0)).commit();
    Orders.append(table, "main", Orders.rows(521, 5, now));
    Verdict afterDelete = incremental(ref, suite);
    Verdict fullAfterDelete = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    assertThat(afterDelete.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added and 2 removed since"
                .formatted(incremental.snapshotId()));
    assertSameResults(afterDelete, fullAfterDelete);
    assertThat(afterDelete.result("row-count").orElseThrow().metric()).hasValue(325);
    assertThat(afterDelete.result("min(order_id)").orElseThrow().metric()).hasValue(201);
    // the removed rows held the smallest order: evaluated in full (from the files' bounds here)
    assertThat(afterDelete.result("min(order_id)").orElseThrow().source())
        .isNotEqualTo(MetricSource.INCREMENTAL)
        .isEqualTo(fullAfterDelete.result("min(order_id)").orElseThrow().source());
    assertThat(afterDelete.result("predicate(revenue >= 0)").orElseThrow().source())
        .isNotEqualTo(MetricSource.INCREMENTAL)
        .isEqualTo(fullAfterDelete.result("predicate(revenue >= 0)").orElseThrow().source());
    assertThat(afterDelete.result("predicate(revenue >= 0)").orElseThrow().failingRows()).isZero();
    assertThat(afterDelete.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);

    // an overwrite of every row: reading what it removed and added is no cheaper than all rows
    table.refresh();
    OverwriteFiles everything = table.newOverwrite();
    List<Record> again = new ArrayList<>();
    try (var tasks = table.newScan().planFiles()) {
      for (var task : tasks) {
        everything.deleteFile(task.file());
        again.addAll(rowsOf(table, task.file()));
      }
    }
    everything.addFile(Orders.write(table, again)).commit();
    Verdict overwritten = incremental(ref, suite);
    assertThat(overwritten.basis())
        .isEqualTo(
            ("full: the files added and removed since the audited snapshot %d hold 650 rows, no"
                    + " fewer than the snapshot's 325: a full read is cheaper")
                .formatted(afterDelete.snapshotId()));
    assertThat(overwritten.result("row-count").orElseThrow().metric()).hasValue(325);

    // a row deleted by position from the one file that holds every row: no cheaper than a full
    // read either
    table.refresh();
    DataFile last = table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    table.newRowDelta().addDeletes(positionDeletes(table, 2, last, 0)).commit();
    Verdict afterRowDelete = incremental(ref, suite);
    assertThat(afterRowDelete.basis())
        .isEqualTo(
            ("full: the files added, removed or deleted from since the audited snapshot %d hold"
                    + " 325 rows, no fewer than the snapshot's 325: a full read is cheaper")
                .formatted(overwritten.snapshotId()));
    assertThat(afterRowDelete.result("row-count").orElseThrow().metric()).hasValue(324);
  }

  /**
   * An update that rewrites rows and keeps their keys, on a table whose every file spans the whole
   * key range (as random or interleaved keys do): the incremental check finds the added keys to be
   * the removed rows' keys, so it looks for duplicates among the added rows alone and reads no
   * other file (it passes with their objects moved away); a bound the removed rows held that the
   * added ones reach again stays incremental. An added key that is not a removed one is looked for
   * among the other files, and a duplicate found there as a full check finds it; a bound the added
   * rows do not reach is evaluated in full.
   */
  @Test
  void incrementalTakesAnUpdateThatKeepsItsKeysWithoutReadingTheOtherFiles() throws Exception {
    TableRef ref = newTable(Map.of("format-version", "2"));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<List<Record>> byFile = new ArrayList<>();
    List<DataFile> files = appendInterleaved(table, byFile);
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - unique: order_id
            - min: {column: order_id, min: 1}
            - max: {column: order_id, max: 1000}
            - sum: {column: revenue, max: 100000000}
            """);
    Verdict audited = incremental(ref, suite);
    assertThat(audited.passed()).isTrue();

    // an UPDATE of the file holding order 1, the smallest, as copy-on-write: new revenues, the
    // same orders
    List<Record> repriced = repriced(byFile.get(0));
    DataFile rewritten = Orders.write(table, repriced);
    table.newOverwrite().deleteFile(files.get(0)).addFile(rewritten).commit();
    Verdict updated = withObjectsAway(table, files.subList(1, 5), () -> incremental(ref, suite));
    Verdict full = fullCheck(ref, suite);
    assertThat(updated.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added and 1 removed since"
                .formatted(audited.snapshotId()));
    assertSameResults(updated, full);
    assertThat(updated.passed()).isTrue();
    assertThat(sources(updated))
        .containsEntry("unique(order_id)", MetricSource.INCREMENTAL)
        .containsEntry("min(order_id)", MetricSource.INCREMENTAL)
        .containsEntry("sum(revenue)", MetricSource.INCREMENTAL);
    assertThat(updated.result("min(order_id)").orElseThrow().metric()).hasValue(1);

    // the next file rewritten with order 7 renumbered 3, which the third file holds
    List<Record> renumbered = renumbered(byFile.get(1), 7, 3);
    table.newOverwrite().deleteFile(files.get(1)).addFile(Orders.write(table, renumbered)).commit();
    Verdict duplicated = incremental(ref, suite);
    assertSameResults(duplicated, fullCheck(ref, suite));
    assertThat(failing(duplicated)).containsExactly("unique(order_id):FAIL");
    assertThat(duplicated.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(duplicated.result("unique(order_id)").orElseThrow().failingRows()).isEqualTo(1);

    // the rewritten first file rewritten again without order 1: the rows added do not reach the
    // smallest order the removed ones held, so min is evaluated in full
    List<Record> withoutFirst = new ArrayList<>(repriced.subList(1, repriced.size()));
    table.newOverwrite().deleteFile(rewritten).addFile(Orders.write(table, withoutFirst)).commit();
    Verdict shrunk = incremental(ref, suite);
    Verdict fullShrunk = fullCheck(ref, suite);
    assertSameResults(shrunk, fullShrunk);
    assertThat(shrunk.result("min(order_id)").orElseThrow().metric()).hasValue(2);
    assertThat(shrunk.result("min(order_id)").orElseThrow().source())
        .isNotEqualTo(MetricSource.INCREMENTAL)
        .isEqualTo(fullShrunk.result("min(order_id)").orElseThrow().source());
    assertThat(shrunk.result("sum(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
  }

  /**
   * The same as a merge-on-read update (the rows of one file deleted by position and written again
   * into a new file, keys kept): the added keys are found among the deleted rows, so no other file
   * is read; a renumbered key another file holds is found as a full check finds it.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void incrementalTakesAMergeOnReadUpdateThatKeepsItsKeysWithoutReadingTheOtherFiles(
      int formatVersion) throws Exception {
    TableRef ref = newTable(Map.of("format-version", String.valueOf(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<List<Record>> byFile = new ArrayList<>();
    List<DataFile> files = appendInterleaved(table, byFile);
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - unique: order_id
            - sum: {column: revenue, max: 100000000}
            """);
    Verdict audited = incremental(ref, suite);
    assertThat(audited.passed()).isTrue();

    // every row of the second file deleted by position and written again, repriced
    List<Record> repriced = repriced(byFile.get(1));
    table
        .newRowDelta()
        .addDeletes(
            positionDeletes(table, formatVersion, files.get(1), LongStream.range(0, 20).toArray()))
        .addRows(Orders.write(table, repriced))
        .commit();
    List<DataFile> others = List.of(files.get(0), files.get(2), files.get(3), files.get(4));
    Verdict updated = withObjectsAway(table, others, () -> incremental(ref, suite));
    assertThat(updated.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 20 rows deleted by position in 1"
                    .formatted(audited.snapshotId())
                + " file since");
    assertSameResults(updated, fullCheck(ref, suite));
    assertThat(updated.passed()).isTrue();
    assertThat(sources(updated))
        .containsEntry("unique(order_id)", MetricSource.INCREMENTAL)
        .containsEntry("sum(revenue)", MetricSource.INCREMENTAL);

    // the third file's rows deleted and written again with order 3 renumbered 2, which the
    // repriced rows hold
    List<Record> renumbered = renumbered(byFile.get(2), 3, 2);
    table
        .newRowDelta()
        .addDeletes(
            positionDeletes(table, formatVersion, files.get(2), LongStream.range(0, 20).toArray()))
        .addRows(Orders.write(table, renumbered))
        .commit();
    Verdict duplicated = incremental(ref, suite);
    assertSameResults(duplicated, fullCheck(ref, suite));
    assertThat(failing(duplicated)).containsExactly("unique(order_id):FAIL");
    assertThat(duplicated.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
  }

  /**
   * Appends orders 1 to 100 in five files of 20, one commit each, file k holding orders k+1, k+6,
   * k+11, ...: every file spans the whole key range. Its rows go to {@code byFile}, by file.
   */
  private static List<DataFile> appendInterleaved(Table table, List<List<Record>> byFile) {
    List<Record> all = Orders.rows(1, 100, Orders.now());
    List<DataFile> files = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      List<Record> rows = new ArrayList<>();
      for (int i = k; i < all.size(); i += 5) {
        rows.add(all.get(i));
      }
      byFile.add(rows);
      files.add(Orders.write(table, rows));
      table.newAppend().appendFile(files.get(k)).commit();
    }
    return files;
  }

  /** Copies of {@code rows} with a revenue of 7.00. */
  private static List<Record> repriced(List<Record> rows) {
    List<Record> copies = new ArrayList<>();
    for (Record row : rows) {
      Record copy = row.copy();
      copy.setField("revenue", new BigDecimal("7.00"));
      copies.add(copy);
    }
    return copies;
  }

  /** Copies of {@code rows}, order {@code from} numbered {@code to}. */
  private static List<Record> renumbered(List<Record> rows, long from, long to) {
    List<Record> copies = new ArrayList<>();
    for (Record row : rows) {
      Record copy = row.copy();
      if ((Long) copy.getField("order_id") == from) {
        copy.setField("order_id", to);
      }
      copies.add(copy);
    }
    return copies;
  }

  /**
   * {@code check}'s outcome with the objects of {@code files} moved out of the table's storage for
   * its length: whatever reads them fails. They are put back after.
   */
  private static <T> T withObjectsAway(
      Table table, List<DataFile> files, java.util.function.Supplier<T> check) throws IOException {
    Map<String, byte[]> kept = new LinkedHashMap<>();
    for (DataFile file : files) {
      try (var in = table.io().newInputFile(file.location()).newStream()) {
        kept.put(file.location(), in.readAllBytes());
      }
      table.io().deleteFile(file.location());
    }
    try {
      return check.get();
    } finally {
      for (Map.Entry<String, byte[]> object : kept.entrySet()) {
        try (var out = table.io().newOutputFile(object.getKey()).createOrOverwrite()) {
          out.write(object.getValue());
        }
      }
    }
  }

  /**
   * Merge-on-read deletes and updates (rows deleted by position: a position delete file in format
   * 2, a deletion vector in format 3): an incremental check reads the rows deleted since the audit
   * from their files and takes them out of the stored states, reads the added rows with their
   * deletes applied, looks for the added keys among the live rows only, and agrees with a full
   * check on every result. A position deleted twice is taken out once; equality deletes still make
   * it a full check.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void incrementalTakesRowsDeletedByPositionOutOfItsStates(int formatVersion) throws Exception {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<DataFile> files = appendHundreds(table, 5, now);
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - not-null: [buyer_id]
            - unique: order_id
            - mean: {column: revenue, max: 100000}
            - stddev: {column: revenue, max: 100000}
            - sum: {column: revenue, max: 100000000}
            - min: {column: order_id, min: 1}
            - max: {column: order_id, max: 1000}
            - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
            - predicate: {expression: "revenue >= 0"}
            """);
    Verdict audited = incremental(ref, suite);
    assertThat(audited.passed()).isTrue();

    // a DELETE as merge-on-read makes it: orders 110 and 120 deleted by position
    DeleteFile firstDeletes = positionDeletes(table, formatVersion, files.get(1), 9, 19);
    table.newRowDelta().addDeletes(firstDeletes).commit();
    Verdict afterDelete = incremental(ref, suite);
    assertThat(afterDelete.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 0 files added, 2 rows deleted by position in 1"
                + " file since",
            audited.snapshotId());
    assertSameResults(afterDelete, fullCheck(ref, suite));
    assertThat(afterDelete.result("row-count").orElseThrow().metric()).hasValue(498);
    assertThat(afterDelete.results())
        .allSatisfy(
            r -> assertThat(r.source()).as(r.check().name()).isNotEqualTo(MetricSource.SCAN));

    // an UPDATE as merge-on-read: orders 201 and 202 deleted by position and written again, one
    // with a negative revenue; the keys are back once each, which is no duplicate
    List<Record> updated = new ArrayList<>(rowsOf(table, files.get(2)).subList(0, 2));
    updated.get(0).setField("revenue", new BigDecimal("-1.00"));
    DataFile rewritten = Orders.write(table, updated);
    table
        .newRowDelta()
        .addRows(rewritten)
        .addDeletes(positionDeletes(table, formatVersion, files.get(2), 0, 1))
        .commit();
    Verdict afterUpdate = incremental(ref, suite);
    assertThat(afterUpdate.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 2 rows deleted by position in 1"
                + " file since",
            afterDelete.snapshotId());
    assertSameResults(afterUpdate, fullCheck(ref, suite));
    assertThat(failing(afterUpdate)).containsExactly("predicate(revenue >= 0):FAIL");
    assertThat(afterUpdate.result("row-count").orElseThrow().metric()).hasValue(498);
    for (String name : List.of("unique(order_id)", "mean(revenue)", "row-count")) {
      assertThat(afterUpdate.result(name).orElseThrow().source())
          .as(name)
          .isEqualTo(MetricSource.INCREMENTAL);
    }

    // more rows of the file deleted from before, naming a deleted position again: in format 3 a
    // deletion vector of all three replaces the first, in format 2 a second file names 120 again
    DeleteFile more = positionDeletes(table, formatVersion, files.get(1), 9, 19, 29);
    if (formatVersion >= 3) {
      table
          .newRowDelta()
          .validateFromSnapshot(table.currentSnapshot().snapshotId())
          .removeDeletes(firstDeletes)
          .addDeletes(more)
          .commit();
    } else {
      // one that applies to the whole partition, which the others' deletes are read for too
      table.newRowDelta().addDeletes(partitionDeletes(table, files.get(1), 19, 29)).commit();
    }
    // an appended order repeats one that is live: a duplicate the added keys find
    Orders.append(table, "main", Orders.rows(330, 1, now));
    Verdict afterMore = incremental(ref, suite);
    assertThat(afterMore.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 1 row deleted by position in 1"
                + " file since",
            afterUpdate.snapshotId());
    assertSameResults(afterMore, fullCheck(ref, suite));
    assertThat(afterMore.result("row-count").orElseThrow().metric()).hasValue(498);
    assertThat(failing(afterMore))
        .containsExactlyInAnyOrder("predicate(revenue >= 0):FAIL", "unique(order_id):FAIL");

    // the row holding the largest order deleted: the max is evaluated in full, the rest is not
    DeleteFile last = positionDeletes(table, formatVersion, files.get(4), 99);
    table.newRowDelta().addDeletes(last).commit();
    Verdict afterMax = incremental(ref, suite);
    Verdict fullAfterMax = fullCheck(ref, suite);
    assertSameResults(afterMax, fullAfterMax);
    assertThat(afterMax.result("max(order_id)").orElseThrow().metric()).hasValue(499);
    assertThat(afterMax.result("max(order_id)").orElseThrow().source())
        .isNotEqualTo(MetricSource.INCREMENTAL);
    assertThat(afterMax.result("sum(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);

    // a row deleted by value: found in the file whose order ids it could hold
    table.newRowDelta().addDeletes(equalityDelete(table, 300L)).commit();
    Verdict byValue = incremental(ref, suite);
    assertThat(byValue.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 0 files added, 1 row deleted by position or"
                + " value in 1 file since",
            afterMax.snapshotId());
    assertSameResults(byValue, fullCheck(ref, suite));
    assertThat(byValue.result("row-count").orElseThrow().metric()).hasValue(496);
  }

  /**
   * Upserts as Flink and Kafka Connect write them (an equality delete of each written key, and the
   * new rows, in one commit): an incremental check finds the rows each delete deletes in the files
   * whose key ranges could hold them, reading only the keys there, takes them out of the stored
   * states as it takes rows deleted by position, and agrees with a full check on every result. A
   * row deleted by value before the audit is not taken out again, whether a later equality delete
   * or position delete names it too.
   */
  @ParameterizedTest(name = "format {0}, pages of {1} rows (0: Iceberg's default)")
  @org.junit.jupiter.params.provider.CsvSource({"2, 0", "3, 0", "2, 10", "3, 10"})
  void incrementalTakesRowsDeletedByValueOutOfItsStates(int formatVersion, int pageRows)
      throws Exception {
    TableRef ref = newTable(withPageRows(formatVersion, pageRows));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<DataFile> files = appendHundreds(table, 5, Orders.now());
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - not-null: [buyer_id]
            - unique: order_id
            - mean: {column: revenue, max: 100000}
            - sum: {column: revenue, max: 100000000}
            - min: {column: order_id, min: 1}
            - max: {column: order_id, max: 1000}
            - predicate: {expression: "revenue >= 0"}
            """);
    Verdict inserted = incremental(ref, suite);
    assertThat(inserted.passed()).isTrue();

    // new orders 501 and 502 written as an upsert writes every row, inserts too: the delete of
    // their keys applies to no file there was, and no file is read but the added one
    upsert(table, Orders.rows(501, 2, Orders.now()), 501L, 502L);
    Verdict audited = withObjectsAway(table, files, () -> incremental(ref, suite));
    assertThat(audited.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since", inserted.snapshotId());
    assertSameResults(audited, fullCheck(ref, suite));
    assertThat(audited.result("row-count").orElseThrow().metric()).hasValue(502);
    table
        .newDelete()
        .deleteFromRowFilter(
            org.apache.iceberg.expressions.Expressions.greaterThan("order_id", 500L))
        .commit();
    audited = incremental(ref, suite);
    assertThat(audited.result("row-count").orElseThrow().metric()).hasValue(500);

    // orders 110 and 120 written again at 7.00: the other files are never opened
    List<Record> file1 = rowsOf(table, files.get(1));
    DataFile firstUpsert =
        upsert(table, repriced(List.of(file1.get(9), file1.get(19))), 110L, 120L);
    List<DataFile> others = List.of(files.get(0), files.get(2), files.get(3), files.get(4));
    Verdict afterUpsert = withObjectsAway(table, others, () -> incremental(ref, suite));
    assertThat(afterUpsert.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 2 rows deleted by position or"
                + " value in 1 file since",
            audited.snapshotId());
    assertSameResults(afterUpsert, fullCheck(ref, suite));
    assertThat(afterUpsert.result("row-count").orElseThrow().metric()).hasValue(500);
    assertThat(afterUpsert.result("sum(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(afterUpsert.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);

    // order 110 written again, at -1.00: its row of the first upsert is deleted, and its row of
    // the first file, which the first upsert's delete deleted already, is not taken out twice
    List<Record> again = renumbered(repriced(List.of(file1.get(9))), 110L, 110L);
    again.get(0).setField("revenue", new BigDecimal("-1.00"));
    upsert(table, again, 110L);
    Verdict afterSecond = incremental(ref, suite);
    assertThat(afterSecond.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 1 row deleted by position or"
                + " value in 1 file since",
            afterUpsert.snapshotId());
    assertSameResults(afterSecond, fullCheck(ref, suite));
    assertThat(afterSecond.result("row-count").orElseThrow().metric()).hasValue(500);
    assertThat(failing(afterSecond)).containsExactly("predicate(revenue >= 0):FAIL");

    // orders 120 (deleted by value already) and 130 of the first file deleted by position
    table
        .newRowDelta()
        .addDeletes(positionDeletes(table, formatVersion, files.get(1), 19, 29))
        .commit();
    Verdict afterPositions = incremental(ref, suite);
    assertThat(afterPositions.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 0 files added, 1 row deleted by position in 1"
                + " file since",
            afterSecond.snapshotId());
    assertSameResults(afterPositions, fullCheck(ref, suite));
    assertThat(afterPositions.result("row-count").orElseThrow().metric()).hasValue(499);

    // an upsert keyed on the order and its status (a string), as a sink keyed on both writes it:
    // order 160 with its status is deleted and written again; order 170 with a status it does not
    // have deletes nothing
    Record other = file1.get(69).copy();
    other.setField("status", "no such status");
    DataFile byTwo = Orders.write(table, repriced(List.of(file1.get(59))));
    table
        .newRowDelta()
        .addRows(byTwo)
        .addDeletes(
            equalityDelete(table, List.of("order_id", "status"), List.of(file1.get(59), other)))
        .commit();
    Verdict afterTwoColumns = incremental(ref, suite);
    assertThat(afterTwoColumns.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 1 row deleted by position or"
                + " value in 1 file since",
            afterPositions.snapshotId());
    assertSameResults(afterTwoColumns, fullCheck(ref, suite));
    assertThat(afterTwoColumns.result("row-count").orElseThrow().metric()).hasValue(499);

    // an upsert of order 150 that also writes order 250, which the third file holds: a duplicate
    Record duplicate = file1.get(49).copy();
    duplicate.setField("order_id", 250L);
    upsert(table, List.of(file1.get(49).copy(), duplicate), 150L);
    Verdict afterDuplicate = incremental(ref, suite);
    assertThat(afterDuplicate.basis()).startsWith("incremental from audited snapshot");
    assertSameResults(afterDuplicate, fullCheck(ref, suite));
    assertThat(failing(afterDuplicate))
        .containsExactlyInAnyOrder("predicate(revenue >= 0):FAIL", "unique(order_id):FAIL");
    assertThat(afterDuplicate.result("row-count").orElseThrow().metric()).hasValue(500);

    // deletes whose keys span three of the first files: each file they could apply to is read
    table.newRowDelta().addDeletes(equalityDelete(table, 5L, 205L)).commit();
    Verdict wide = incremental(ref, suite);
    assertThat(wide.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 0 files added, 2 rows deleted by position or"
                + " value in 2 files since",
            afterDuplicate.snapshotId());
    assertSameResults(wide, fullCheck(ref, suite));
    assertThat(wide.result("row-count").orElseThrow().metric()).hasValue(498);
    // and when they could apply to every file, a full read is cheaper
    table.newRowDelta().addDeletes(equalityDelete(table, 6L, 494L)).commit();
    Verdict everywhere = incremental(ref, suite);
    assertThat(everywhere.basis())
        .isEqualTo(
            "full: the equality deletes added since the audited snapshot %d apply to 9 files, which"
                + " with the files added and removed hold 506 rows, no fewer than the snapshot's"
                + " 506: a full read is cheaper",
            wide.snapshotId());
    assertThat(everywhere.result("row-count").orElseThrow().metric()).hasValue(496);
  }

  /**
   * The rows an upsert deleted are kept from the read that found them only within a quarter of the
   * key memory: beyond it, none of the file's are kept and they are read again by position, with
   * the same results.
   */
  @ParameterizedTest(name = "pages of {0} rows (0: Iceberg's default)")
  @org.junit.jupiter.params.provider.ValueSource(ints = {0, 10})
  void rowsDeletedByValueBeyondTheMemoryBudgetAreReadAgain(int pageRows) throws Exception {
    TableRef ref = newTable(withPageRows(2, pageRows));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<DataFile> files = appendHundreds(table, 3, Orders.now());
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - sum: {column: revenue, max: 100000000}
            - max: {column: order_id, max: 1000}
            - predicate: {expression: "revenue >= 0"}
            """);
    // 1,024 bytes of key memory keep 8 values: 4 rows of order_id and revenue
    QualityConfig small = config.withKeyMemory(1024);
    java.util.function.Supplier<Verdict> check =
        () -> QualityGate.check(catalog, ref).suite(suite).config(small).incremental().execute();
    Verdict audited = check.get();
    List<Record> file1 = rowsOf(table, files.get(1));

    // two rows kept, and taken out from memory
    List<Record> two = repriced(List.of(file1.get(9), file1.get(19)));
    two.get(0).setField("revenue", new BigDecimal("-1.00"));
    upsert(table, two, 110L, 120L);
    Verdict kept = check.get();
    assertThat(kept.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 2 rows deleted by position or"
                + " value in 1 file since",
            audited.snapshotId());
    assertSameResults(kept, QualityGate.check(catalog, ref).suite(suite).config(small).execute());
    assertThat(failing(kept)).containsExactly("predicate(revenue >= 0):FAIL");

    // five rows are ten values: none kept, all read again
    List<Record> five = new ArrayList<>();
    for (int i = 29; i < 79; i += 10) {
      five.add(file1.get(i).copy());
    }
    upsert(table, repriced(five), 130L, 140L, 150L, 160L, 170L);
    Verdict readAgain = check.get();
    assertThat(readAgain.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 5 rows deleted by position or"
                + " value in 1 file since",
            kept.snapshotId());
    assertSameResults(
        readAgain, QualityGate.check(catalog, ref).suite(suite).config(small).execute());
    assertThat(readAgain.result("row-count").orElseThrow().metric()).hasValue(300);
  }

  /**
   * A table written by upserts, compacted as Floe's compaction does it (every data file rewritten
   * with its deletes applied, the equality deletes dropped, as they apply to nothing after), and as
   * Iceberg's removal of dangling deletes does it (a rewrite that only drops delete files): the
   * dropped equality deletes change no row, so the stored states still hold, and an upsert after
   * the compaction reads only the rewritten file its keys could be in.
   */
  @ParameterizedTest(name = "format {0}, pages of {1} rows (0: Iceberg's default)")
  @org.junit.jupiter.params.provider.CsvSource({"2, 0", "3, 0", "3, 10"})
  void incrementalCrossesACompactionThatDropsEqualityDeletes(int formatVersion, int pageRows)
      throws Exception {
    TableRef ref = newTable(withPageRows(formatVersion, pageRows));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<DataFile> files = appendHundreds(table, 5, Orders.now());
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - unique: order_id
            - sum: {column: revenue, max: 100000000}
            - max: {column: order_id, max: 1000}
            - predicate: {expression: "revenue >= 0"}
            """);
    List<Record> file1 = rowsOf(table, files.get(1));
    List<Record> file3 = rowsOf(table, files.get(3));
    DataFile upserted = upsert(table, repriced(List.of(file1.get(9), file1.get(19))), 110L, 120L);
    table.refresh();
    DeleteFile dropped = table.currentSnapshot().addedDeleteFiles(table.io()).iterator().next();
    DataFile upsertedLater =
        upsert(table, repriced(List.of(rowsOf(table, files.get(2)).get(9))), 210L);
    table.refresh();
    DeleteFile kept = table.currentSnapshot().addedDeleteFiles(table.io()).iterator().next();
    Verdict audited = incremental(ref, suite);
    assertThat(audited.result("row-count").orElseThrow().metric()).hasValue(500);

    // the compaction: the live rows of the seven data files written again as three, by order
    // range, and the first equality delete dropped (the second, left, applies to nothing after);
    // then an upsert of order 330 at -1.00
    List<Record> live = new ArrayList<>();
    try (var read = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
      read.forEach(live::add);
    }
    assertThat(live).hasSize(500);
    List<DataFile> compacted = new ArrayList<>();
    for (long from = 1; from <= 500; from += 200) {
      long start = from;
      compacted.add(
          Orders.write(
              table,
              live.stream()
                  .filter(row -> (Long) row.getField("order_id") >= start)
                  .filter(row -> (Long) row.getField("order_id") < start + 200)
                  .toList()));
    }
    org.apache.iceberg.RewriteFiles rewrite =
        table.newRewrite().validateFromSnapshot(table.currentSnapshot().snapshotId());
    files.forEach(rewrite::deleteFile);
    rewrite.deleteFile(upserted).deleteFile(upsertedLater).deleteFile(dropped);
    compacted.forEach(rewrite::addFile);
    rewrite.commit();
    List<Record> changed = repriced(List.of(file3.get(29)));
    changed.get(0).setField("revenue", new BigDecimal("-1.00"));
    upsert(table, changed, 330L);
    Verdict afterCompaction =
        withObjectsAway(
            table, List.of(compacted.get(0), compacted.get(2)), () -> incremental(ref, suite));
    assertThat(afterCompaction.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added, 1 row deleted by position or"
                + " value in 1 file since, across 1 rewrite",
            audited.snapshotId());
    assertSameResults(afterCompaction, fullCheck(ref, suite));
    assertThat(afterCompaction.result("row-count").orElseThrow().metric()).hasValue(500);
    assertThat(afterCompaction.result("sum(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(failing(afterCompaction)).containsExactly("predicate(revenue >= 0):FAIL");

    // the equality delete the compaction left, which applies to no file written after it,
    // dropped by a rewrite of no data file
    table.refresh();
    table.newRewrite().deleteFile(kept).commit();
    Orders.append(table, "main", Orders.rows(501, 10, Orders.now()));
    Verdict afterDangling = incremental(ref, suite);
    assertThat(afterDangling.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since, across 1 rewrite",
            afterCompaction.snapshotId());
    assertSameResults(afterDangling, fullCheck(ref, suite));
    assertThat(afterDangling.result("row-count").orElseThrow().metric()).hasValue(510);
  }

  /**
   * A full check reads the live rows of a file with deletes as Iceberg's own reader does: rows
   * whose whole-number key an equality delete holds are gone, a null among the deleted values
   * deletes the rows with none (alone or beside another column), and position deletes apply with
   * them; each check agrees with the live rows Iceberg's generic reader returns.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void aFullCheckAppliesEqualityDeletesAsIcebergDoes(int formatVersion) throws Exception {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    // orders 1-100, those below 11 with no buyer and 91-95 with no note; buyers run 2-50 and 1,
    // twice
    List<Record> rows = new ArrayList<>(Orders.rows(1, 100, Orders.now()));
    for (int i = 0; i < 10; i++) {
      rows.get(i).setField("buyer_id", null);
    }
    for (int i = 90; i < 95; i++) {
      rows.get(i).setField("note", null);
    }
    DataFile data = Orders.write(table, rows);
    table.newAppend().appendFile(data).commit();
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - not-null: [buyer_id]
            - unique: order_id
            - sum: {column: revenue, max: 100000000}
            - max: {column: order_id, max: 1000}
            """);
    assertThat(failing(fullCheck(ref, suite))).containsExactly("not-null(buyer_id):FAIL");

    // no buyer (orders 1-10) and buyer 17 (orders 16 and 66) deleted by value; no note with order
    // 91's status (orders 91 and 95) by two columns; order 99 by position
    table
        .newRowDelta()
        .addDeletes(equalityDelete(table, List.of("buyer_id"), List.of(rows.get(0), rows.get(15))))
        .addDeletes(equalityDelete(table, List.of("note", "status"), List.of(rows.get(90))))
        .addDeletes(positionDeletes(table, formatVersion, data, 98))
        .commit();
    table.refresh();
    long live = 0;
    BigDecimal revenue = BigDecimal.ZERO;
    long largest = 0;
    try (var read = org.apache.iceberg.data.IcebergGenerics.read(table).build()) {
      for (Record row : read) {
        live++;
        revenue = revenue.add((BigDecimal) row.getField("revenue"));
        largest = Math.max(largest, (Long) row.getField("order_id"));
      }
    }
    assertThat(live).isEqualTo(85);
    Verdict full = fullCheck(ref, suite);
    assertThat(failing(full)).isEmpty();
    assertThat(full.result("row-count").orElseThrow().metric()).hasValue(live);
    assertThat(full.result("sum(revenue)").orElseThrow().metric().getAsDouble())
        .isEqualTo(revenue.doubleValue());
    assertThat(full.result("max(order_id)").orElseThrow().metric()).hasValue(largest);
  }

  /**
   * Writes {@code rows} as an upsert of the orders {@code keys}: an equality delete of the keys and
   * a data file of the rows, in one commit.
   */
  private static DataFile upsert(Table table, List<Record> rows, long... keys)
      throws java.io.IOException {
    DataFile written = Orders.write(table, rows);
    table.newRowDelta().addRows(written).addDeletes(equalityDelete(table, keys)).commit();
    return written;
  }

  /**
   * A snapshot with row-level deletes is a base too: its states are those of the live rows. A
   * compaction that rewrites a file's live rows and drops its deletes is crossed as a rewrite when
   * those deletes were already there at the audit; when rows were deleted since (which the rewrite
   * would take away without a trace), it is taken as what it did, a file's rows removed and others
   * added. A file removed since that had deletes at the audit is read with those deletes.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void incrementalCrossesACompactionOfDeletes(int formatVersion) throws Exception {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<DataFile> files = appendHundreds(table, 3, now);
    DeleteFile deletes = positionDeletes(table, formatVersion, files.get(0), 4, 5);
    table.newRowDelta().addDeletes(deletes).commit();
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 1}
            - unique: order_id
            - mean: {column: revenue, max: 100000}
            - min: {column: order_id, min: 1}
            """);
    Verdict audited = incremental(ref, suite);
    assertThat(audited.basis()).startsWith("full");
    assertThat(audited.result("row-count").orElseThrow().metric()).hasValue(298);

    // an append after an audit under deletes: the states of the live rows are merged from
    Orders.append(table, "main", Orders.rows(301, 10, now));
    Verdict appended = incremental(ref, suite);
    assertThat(appended.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since", audited.snapshotId());
    assertSameResults(appended, fullCheck(ref, suite));
    assertThat(appended.result("row-count").orElseThrow().metric()).hasValue(308);

    // a compaction of the first file: its live rows written again, its deletes dropped
    table.refresh();
    List<Record> live = new ArrayList<>(rowsOf(table, files.get(0)));
    live.remove(5);
    live.remove(4);
    DataFile compacted = Orders.write(table, live);
    table
        .newRewrite()
        .validateFromSnapshot(table.currentSnapshot().snapshotId())
        .deleteFile(files.get(0))
        .deleteFile(deletes)
        .addFile(compacted)
        .commit();
    Verdict afterCompaction = incremental(ref, suite);
    assertThat(afterCompaction.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 0 files added since, across 1 rewrite",
            appended.snapshotId());
    assertSameResults(afterCompaction, fullCheck(ref, suite));
    assertThat(afterCompaction.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);

    // a row deleted since the audit, then its file compacted: the rewrite is taken as what it
    // did, the file's audited rows gone and its rewritten rows new
    table.refresh();
    table.newRowDelta().addDeletes(positionDeletes(table, formatVersion, files.get(1), 0)).commit();
    List<Record> second = new ArrayList<>(rowsOf(table, files.get(1)));
    second.remove(0);
    table.refresh();
    table
        .newRewrite()
        .validateFromSnapshot(table.currentSnapshot().snapshotId())
        .deleteFile(files.get(1))
        .addFile(Orders.write(table, second))
        .commit();
    Verdict afterSecond = incremental(ref, suite);
    assertThat(afterSecond.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added and 1 removed since, across 1"
                + " rewrite",
            afterCompaction.snapshotId());
    assertSameResults(afterSecond, fullCheck(ref, suite));
    assertThat(afterSecond.result("row-count").orElseThrow().metric()).hasValue(307);
    assertThat(afterSecond.result("min(order_id)").orElseThrow().metric()).hasValue(1);
    assertThat(afterSecond.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);

    // a row of the third file deleted and audited, then the file rewritten by a copy-on-write
    // update that drops another row and reprices one: the file's rows are taken out as they were
    // at the audit, without the row deleted then
    table.refresh();
    table.newRowDelta().addDeletes(positionDeletes(table, formatVersion, files.get(2), 3)).commit();
    Verdict afterThird = incremental(ref, suite);
    assertThat(afterThird.result("row-count").orElseThrow().metric()).hasValue(306);
    List<Record> updated = new ArrayList<>(rowsOf(table, files.get(2)));
    updated.remove(7);
    updated.remove(3);
    updated.get(10).setField("revenue", new BigDecimal("99999.00"));
    table.refresh();
    table
        .newOverwrite()
        .validateFromSnapshot(table.currentSnapshot().snapshotId())
        .deleteFile(files.get(2))
        .addFile(Orders.write(table, updated))
        .commit();
    Verdict afterUpdate = incremental(ref, suite);
    assertThat(afterUpdate.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added and 1 removed since",
            afterThird.snapshotId());
    assertSameResults(afterUpdate, fullCheck(ref, suite));
    assertThat(afterUpdate.result("row-count").orElseThrow().metric()).hasValue(305);
    assertThat(afterUpdate.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
  }

  /** Appends {@code count} files of 100 orders each (1-100, 101-200, ...), one per snapshot. */
  /**
   * Table properties of {@code formatVersion}, and with pages of {@code pageRows} rows (unless 0):
   * small pages let a read of the rows an upsert or a position delete changed skip the others.
   */
  private static Map<String, String> withPageRows(int formatVersion, int pageRows) {
    Map<String, String> properties = new HashMap<>();
    properties.put("format-version", Integer.toString(formatVersion));
    if (pageRows > 0) {
      properties.put(TableProperties.PARQUET_PAGE_ROW_LIMIT, Integer.toString(pageRows));
    }
    return properties;
  }

  private static List<DataFile> appendHundreds(Table table, int count, OffsetDateTime now) {
    List<DataFile> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      files.add(Orders.write(table, Orders.rows(1 + i * 100L, 100, now)));
      table.newAppend().appendFile(files.get(i)).commit();
    }
    return files;
  }

  private Verdict fullCheck(TableRef ref, Suite suite) {
    return QualityGate.check(catalog, ref).suite(suite).config(config).execute();
  }

  @Test
  void incrementalCrossesRewritesOfTheAuditedRowsAndOfRowsAppendedSince() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    for (int i = 0; i < 3; i++) {
      Orders.append(table, "main", Orders.rows(1 + i * 100L, 100, now));
    }
    Suite suite =
        suite(
            ref,
            "- row-count: {min: 1}\n- unique: order_id\n- mean: {column: revenue, max: 100000}");
    Verdict audited = incremental(ref, suite);

    // maintenance after the audit: a compaction of two files into one, then a manifest rewrite
    table.refresh();
    List<org.apache.iceberg.DataFile> files = new ArrayList<>();
    table.newScan().planFiles().forEach(task -> files.add(task.file()));
    List<Record> first = rowsOf(table, files.get(0));
    List<Record> compacted = new ArrayList<>(first);
    compacted.addAll(rowsOf(table, files.get(1)));
    assertThat(compacted).hasSize(200);
    org.apache.iceberg.DataFile rewritten = Orders.write(table, compacted);
    table
        .newRewrite()
        .deleteFile(files.get(0))
        .deleteFile(files.get(1))
        .addFile(rewritten)
        .commit();
    table.rewriteManifests().clusterBy(file -> "all").commit();
    table.refresh();
    assertThat(table.currentSnapshot().allManifests(table.io()))
        .as("the manifest rewrite folded the manifests into one")
        .hasSize(1);

    // new keys, and one that repeats a key now in the compacted file
    List<Record> appended = new ArrayList<>(Orders.rows(301, 20, now));
    long repeated = (Long) first.get(0).getField("order_id");
    appended.add(Orders.rows(repeated, 1, now).get(0));
    Orders.append(table, "main", appended);
    Verdict incremental = incremental(ref, suite);
    Verdict full = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    assertThat(incremental.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since, across 2 rewrites"
                .formatted(audited.snapshotId()));
    assertThat(incremental.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("row-count").orElseThrow().metric()).hasValue(321);
    assertThat(incremental.result("mean(revenue)").orElseThrow().metric().getAsDouble())
        .isCloseTo(
            full.result("mean(revenue)").orElseThrow().metric().getAsDouble(),
            org.assertj.core.api.Assertions.within(1e-9));
    CheckResult unique = incremental.result("unique(order_id)").orElseThrow();
    assertThat(unique.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(unique.samples()).containsExactly("[%d] x2".formatted(repeated));
    assertThat(unique.samples()).isEqualTo(full.result("unique(order_id)").orElseThrow().samples());

    // a rewrite that takes in a file appended after the audited snapshot: taken as what it did,
    // the appended file is gone and the rewrite's file, which holds its rows, is an added one
    Orders.append(table, "main", Orders.rows(401, 10, now));
    table.refresh();
    org.apache.iceberg.DataFile late =
        table.currentSnapshot().addedDataFiles(table.io()).iterator().next();
    List<Record> lateRows = new ArrayList<>(Orders.rows(401, 10, now));
    org.apache.iceberg.DataFile lateRewritten = Orders.write(table, lateRows);
    table.newRewrite().deleteFile(late).addFile(lateRewritten).commit();
    Verdict afterRewrite = incremental(ref, suite);
    assertThat(afterRewrite.basis())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since, across 1 rewrite"
                .formatted(incremental.snapshotId()));
    assertSameResults(afterRewrite, fullCheck(ref, suite));
    assertThat(afterRewrite.result("row-count").orElseThrow().metric()).hasValue(331);
    assertThat(afterRewrite.result("mean(revenue)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
  }

  /** The rows of one data file of {@code table}, read as the quality gate reads them. */
  private static List<Record> rowsOf(Table table, org.apache.iceberg.DataFile file) {
    List<Record> rows = new ArrayList<>();
    try (org.apache.iceberg.io.CloseableIterable<Record> read =
        io.floe.catalog.RecordFiles.read(
            table, file, table.io().newInputFile(file), table.schema(), false)) {
      read.forEach(rows::add);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  @Test
  void manyEvaluationsAtOnceAllLandInTheMetricHistory() throws Exception {
    TableRef results = new TableRef(namespace, "busy_results");
    QualityConfig busy = config.withTables(results, config.statesTable());
    int checkers = 12;
    int rounds = 3;
    List<TableRef> refs = new ArrayList<>();
    for (int i = 0; i < checkers; i++) {
      TableRef ref = newTable(Map.of());
      Orders.append(
          catalog.loadTable(ref.toIdentifier()), "main", Orders.rows(1, 10, Orders.now()));
      refs.add(ref);
    }
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(checkers);
    try {
      List<java.util.concurrent.Future<Verdict>> checks = new ArrayList<>();
      for (int round = 0; round < rounds; round++) {
        for (TableRef ref : refs) {
          Suite suite = suite(ref, "- row-count: {min: 1}");
          checks.add(
              threads.submit(
                  () -> QualityGate.check(catalog, ref).suite(suite).config(busy).execute()));
        }
      }
      for (java.util.concurrent.Future<Verdict> check : checks) {
        assertThat(check.get().passed()).isTrue();
      }
    } finally {
      threads.shutdownNow();
    }
    Table history = catalog.loadTable(results.toIdentifier());
    long rows = 0;
    try (var read = org.apache.iceberg.data.IcebergGenerics.read(history).build()) {
      for (Record ignored : read) {
        rows++;
      }
    }
    assertThat(rows).isEqualTo((long) checkers * rounds);
  }

  @Test
  void theHistoryTableMergesItsManifests() {
    TableRef results = new TableRef(namespace, "merged_results");
    catalog.createTable(
        results.toIdentifier(),
        IcebergResultStore.RESULTS,
        org.apache.iceberg.PartitionSpec.unpartitioned(),
        Map.of("commit.manifest.min-count-to-merge", "3"));
    QualityConfig merging = config.withTables(results, config.statesTable());
    TableRef ref = newTable(Map.of());
    Orders.append(catalog.loadTable(ref.toIdentifier()), "main", Orders.rows(1, 10, Orders.now()));
    Suite suite = suite(ref, "- row-count: {min: 1}");
    for (int i = 0; i < 5; i++) {
      QualityGate.check(catalog, ref).suite(suite).config(merging).execute();
    }
    Table history = catalog.loadTable(results.toIdentifier());
    assertThat(history.currentSnapshot().allManifests(history.io())).hasSizeLessThan(3);
    assertThat(history.properties()).containsAllEntriesOf(io.floe.catalog.LogTables.PROPERTIES);
    long rows = 0;
    try (var read = org.apache.iceberg.data.IcebergGenerics.read(history).build()) {
      for (Record ignored : read) {
        rows++;
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    assertThat(rows).isEqualTo(5);
    // created unpartitioned (by an earlier Floe), it was partitioned by the checked table
    assertThat(history.spec().fields())
        .singleElement()
        .satisfies(f -> assertThat(f.name()).isEqualTo("table_name"));
  }

  @Test
  void theHistoryIsPartitionedByTheCheckedTableSoOneTablesHistoryReadsOnlyItsFiles() {
    TableRef results = new TableRef(namespace, "partitioned_results");
    QualityConfig partitioned = config.withTables(results, config.statesTable());
    TableRef first = newTable(Map.of());
    TableRef second = newTable(Map.of());
    for (TableRef ref : List.of(first, second)) {
      Orders.append(
          catalog.loadTable(ref.toIdentifier()), "main", Orders.rows(1, 10, Orders.now()));
    }
    QualityGate.check(catalog, first)
        .suite(suite(first, "- row-count: {min: 1}"))
        .config(partitioned)
        .execute();
    QualityGate.check(catalog, first)
        .suite(suite(first, "- row-count: {min: 1}"))
        .config(partitioned)
        .execute();
    QualityGate.check(catalog, second)
        .suite(suite(second, "- row-count: {min: 1}"))
        .config(partitioned)
        .execute();

    Table history = catalog.loadTable(results.toIdentifier());
    assertThat(history.spec()).isEqualTo(IcebergResultStore.RESULTS_SPEC);
    assertThat(plannedPartitions(history, first))
        .containsExactly(first.toString(), first.toString());
    assertThat(plannedPartitions(history, second)).containsExactly(second.toString());
  }

  /** The partition value of each file a scan of {@code table}'s rows in the history plans. */
  private static List<String> plannedPartitions(Table history, TableRef table) {
    List<String> partitions = new ArrayList<>();
    try (var tasks =
        history
            .newScan()
            .filter(
                org.apache.iceberg.expressions.Expressions.equal("table_name", table.toString()))
            .planFiles()) {
      tasks.forEach(t -> partitions.add(t.file().partition().get(0, String.class)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return partitions;
  }

  @Test
  void theStatesOfExpiredSnapshotsArePrunedAndTheRestStillServe() {
    TableRef ref = newTable(Map.of());
    Suite suite = suite(ref, "- row-count: {min: 1}");
    List<Long> snapshots = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      Table table = catalog.loadTable(ref.toIdentifier());
      snapshots.add(Orders.append(table, "main", Orders.rows(1 + i * 10L, 10, Orders.now())));
      incremental(ref, suite);
    }
    IcebergResultStore store = new IcebergResultStore(catalog, config);
    snapshots.forEach(id -> assertThat(store.states(ref, id)).as("states of %d", id).isNotEmpty());
    Table table = catalog.loadTable(ref.toIdentifier());
    table
        .expireSnapshots()
        .expireSnapshotId(snapshots.get(0))
        .expireSnapshotId(snapshots.get(1))
        .cleanExpiredFiles(false)
        .commit();
    table.refresh();
    Set<Long> live = new java.util.HashSet<>();
    table.snapshots().forEach(s -> live.add(s.snapshotId()));

    // written after the cut-off: kept even though their snapshots are gone
    assertThat(store.pruneStates(ref, live, java.time.Instant.now().minusSeconds(3600))).isZero();
    assertThat(store.pruneStates(ref, live, java.time.Instant.now().plusSeconds(60))).isEqualTo(2);
    assertThat(store.states(ref, snapshots.get(0))).isEmpty();
    assertThat(store.states(ref, snapshots.get(1))).isEmpty();
    assertThat(store.states(ref, snapshots.get(2))).isNotEmpty();

    // the next incremental check still starts from the live snapshot's states
    Orders.append(table, "main", Orders.rows(100, 10, Orders.now()));
    Verdict next = incremental(ref, suite);
    assertThat(next.result("row-count").orElseThrow().source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(next.result("row-count").orElseThrow().metric()).hasValue(40);
  }

  /** Rows whose buyer is the given value (null allowed) and order ids from {@code firstOrder}. */
  static List<Record> buyersRows(long firstOrder, List<Long> buyers) {
    List<Record> rows = new ArrayList<>();
    long id = firstOrder;
    for (Long buyer : buyers) {
      rows.add(
          Orders.row(
              Orders.SCHEMA, id++, buyer, "paid", BigDecimal.ONE, Orders.now(), "n" + buyer));
    }
    return rows;
  }

  static List<Long> range(long from, long to) {
    List<Long> values = new ArrayList<>();
    for (long v = from; v <= to; v++) {
      values.add(v);
    }
    return values;
  }

  @Test
  void incrementalUniquenessCountsNullKeysLikeAFullCheck() {
    Suite suite;
    // added keys beyond the published range, but a null key on both sides
    TableRef beyond = newTable(Map.of());
    Table table = catalog.loadTable(beyond.toIdentifier());
    List<Long> published = range(1, 100);
    published.add(null);
    Orders.append(table, "main", buyersRows(1, published));
    suite = suite(beyond, "- unique: buyer_id\n- unique: [buyer_id, status]");
    QualityGate.check(catalog, beyond).suite(suite).config(config).incremental().execute();
    List<Long> added = range(1000, 1009);
    added.add(null);
    Orders.append(table, "main", buyersRows(500, added));
    assertIncrementalEqualsFull(beyond, suite, "[<null>] x2");

    // added keys inside the published range: a published file disjoint from them by its bounds
    // still holds a null key
    TableRef inside = newTable(Map.of());
    table = catalog.loadTable(inside.toIdentifier());
    List<Long> withNull = range(1, 50);
    withNull.add(null);
    Orders.append(table, "main", buyersRows(1, withNull));
    List<Long> gap = range(51, 74);
    gap.addAll(range(80, 100));
    Orders.append(table, "main", buyersRows(100, gap));
    suite = suite(inside, "- unique: buyer_id\n- unique: [buyer_id, status]");
    QualityGate.check(catalog, inside).suite(suite).config(config).incremental().execute();
    List<Long> intoGap = range(75, 79);
    intoGap.add(null);
    Orders.append(table, "main", buyersRows(500, intoGap));
    assertIncrementalEqualsFull(inside, suite, "[<null>] x2");
  }

  /**
   * An incremental uniqueness check re-reads only the keys the added rows hold, so a duplicate the
   * published rows already held, and that no added row shares, is found only by hashing every row:
   * a base whose check found duplicates is not merged from, and the result is a full check's.
   */
  @Test
  void incrementalUniquenessKeepsCountingDuplicatesThePublishedRowsHeld() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    Orders.append(table, "main", buyersRows(1, List.of(1L, 1L, 2L, 3L)));
    Suite suite = suite(ref, "- unique: buyer_id\n- unique: order_id");
    assertThat(incremental(ref, suite).result("unique(buyer_id)").orElseThrow().failingRows())
        .isEqualTo(1);

    // new buyers, and order ids beyond the stored range of which one repeats among them
    List<Record> added = new ArrayList<>(buyersRows(100, List.of(10L, 11L)));
    added.addAll(buyersRows(101, List.of(12L)));
    Orders.append(table, "main", added);
    Verdict next = incremental(ref, suite);
    CheckResult buyersCheck = next.result("unique(buyer_id)").orElseThrow();
    assertThat(buyersCheck.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(buyersCheck.failingRows()).isEqualTo(1);
    assertThat(buyersCheck.samples()).containsExactly("[1] x2");
    assertThat(buyersCheck.source()).isEqualTo(MetricSource.SCAN);
    // the order ids had no duplicates, so they still merge from the stored base: no published
    // file is read, and the repeat among the added ones counts
    CheckResult ordersCheck = next.result("unique(order_id)").orElseThrow();
    assertThat(ordersCheck.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(ordersCheck.failingRows()).isEqualTo(1);
    assertThat(ordersCheck.samples()).containsExactly("[101] x2");
    assertThat(next.basis()).startsWith("incremental from audited snapshot");
  }

  /**
   * A table whose key hashes need more than {@code quality.key-memory} is checked in several passes
   * over slices of the hash space, its candidate keys counted in groups: every result is the one a
   * single pass gives, in a full check, an incremental one and one under row-level deletes.
   */
  @Test
  void uniquenessInSlicesOfTheHashSpaceFindsWhatOnePassFinds() throws java.io.IOException {
    TableRef ref = newTable(Map.of("format-version", "2"));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<org.apache.iceberg.DataFile> files = new ArrayList<>();
    for (int f = 0; f < 3; f++) {
      List<Long> buyers = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        buyers.add(i % 10 == 9 ? null : (long) ((f * 100 + i) % 70));
      }
      files.add(Orders.write(table, buyersRows(1 + f * 100, buyers)));
      table.newAppend().appendFile(files.get(f)).commit();
    }
    Suite suite =
        suite(ref, "- unique: order_id\n- unique: buyer_id\n- unique: [buyer_id, status]");
    // 300 rows hashed by 3 checks at 16 bytes each need 14,400 bytes: 16 slices of 1 KB
    QualityConfig small = config.withKeyMemory(1024);

    Verdict full =
        assertSlicedLikeOnePass(
            ref,
            suite,
            small,
            false,
            Map.of("unique(order_id)", 16, "unique(buyer_id)", 16, "unique(buyer_id,status)", 16),
            KEYS_HASHED);
    // 30 null buyers are one key (29 extra rows); the 270 others hold 63 ids (207 extra rows)
    assertThat(full.result("unique(buyer_id)").orElseThrow().failingRows()).isEqualTo(236);
    assertThat(full.result("unique(order_id)").orElseThrow().status()).isEqualTo(CheckStatus.PASS);

    // the order ids merge from the stored base, hashing the 100 added rows in 2 slices; the
    // buyers had duplicates there, so all 400 rows are hashed again, for both checks: 16 slices
    List<Long> added = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      added.add(i % 20 == 0 ? null : (long) (i % 90));
    }
    Orders.append(table, "main", buyersRows(301, added));
    Verdict incremental =
        assertSlicedLikeOnePass(
            ref,
            suite,
            small,
            true,
            Map.of("unique(order_id)", 2, "unique(buyer_id)", 16, "unique(buyer_id,status)", 16),
            KEYS_HASHED);
    assertThat(incremental.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(incremental.result("unique(buyer_id)").orElseThrow().source())
        .isEqualTo(MetricSource.SCAN);
    assertThat(incremental.result("unique(buyer_id)").orElseThrow().failingRows()).isEqualTo(310);

    // a full check under row-level deletes hashes the live rows of all 400: 32 slices
    table.newRowDelta().addDeletes(positionDeletes(table, 2, files.get(0), 9, 19)).commit();
    Verdict deleted =
        assertSlicedLikeOnePass(
            ref,
            suite,
            small,
            false,
            Map.of("unique(order_id)", 32, "unique(buyer_id)", 32, "unique(buyer_id,status)", 32),
            KEYS_HASHED);
    // the append added 74 extra rows, the deletes took two null buyers away
    assertThat(deleted.result("unique(buyer_id)").orElseThrow().failingRows()).isEqualTo(308);
  }

  private static final String KEYS_HASHED =
      " (keys hashed in %d passes to stay within quality.key-memory)";

  private static final String VALUES_LOOKED_UP =
      " (values looked up in %d passes to stay within quality.key-memory)";

  /**
   * Checks {@code ref} with {@code sliced}, expected to take each check's values in the slices
   * {@code passes} gives, and with one pass: the same results, and a message that says how many
   * ({@code said}).
   */
  private static Verdict assertSlicedLikeOnePass(
      TableRef ref,
      Suite suite,
      QualityConfig sliced,
      boolean incremental,
      Map<String, Integer> passes,
      String said) {
    QualityGate.CheckBuilder check = QualityGate.check(catalog, ref).suite(suite).config(sliced);
    Verdict inSlices = (incremental ? check.incremental() : check).execute();
    Verdict onePass = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    assertThat(inSlices.results()).hasSameSizeAs(onePass.results());
    for (CheckResult expected : onePass.results()) {
      String name = expected.check().name();
      CheckResult actual = inSlices.result(name).orElseThrow();
      assertThat(actual.status()).as(name).isEqualTo(expected.status());
      assertThat(actual.metric()).as(name).isEqualTo(expected.metric());
      assertThat(actual.failingRows()).as(name).isEqualTo(expected.failingRows());
      assertThat(actual.samples()).as(name).isEqualTo(expected.samples());
      assertThat(expected.message()).as(name).doesNotContain("passes");
      assertThat(actual.message())
          .as(name)
          .isEqualTo(
              passes.get(name) == 1
                  ? expected.message()
                  : expected.message() + said.formatted(passes.get(name)));
    }
    return inSlices;
  }

  /**
   * A row predicate holds for a row only where it is true, as a SQL {@code WHERE} clause selects
   * it: a comparison with a null is unknown whichever way it points, so it fails the row unless the
   * predicate allows the null; and a column of nulls proves no rule from its statistics.
   */
  @Test
  void aComparisonWithANullFailsItsRowWhicheverWayItPoints() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> rows = new ArrayList<>(Orders.rows(1, 100, now));
    rows.get(10).setField("revenue", null);
    rows.get(20).setField("revenue", null);
    Orders.append(table, "main", rows);
    // a file whose notes are all null: its statistics say so
    List<Record> unnoted = new ArrayList<>(Orders.rows(101, 50, now));
    unnoted.forEach(row -> row.setField("note", null));
    Orders.append(table, "main", unnoted);
    Suite suite =
        suite(
            ref,
            """
            - predicate: {name: below, expression: "revenue < 100000"}
            - predicate: {name: above, expression: "revenue >= 0"}
            - predicate: {name: negated, expression: "not (revenue >= 100000)"}
            - predicate: {name: or-null, expression: "revenue < 100000 or revenue is null"}
            - predicate: {name: differs, expression: "note != 'x'"}
            - predicate: {name: either, expression: "order_id > 0 or revenue < 0"}
            """);
    QualityGate.check(catalog, ref).suite(suite).config(config).incremental().execute();
    List<Record> more = new ArrayList<>(Orders.rows(151, 20, now));
    more.get(3).setField("revenue", null);
    Orders.append(table, "main", more);

    Verdict full = check(ref, suite, "main");
    assertThat(failing(full))
        .containsExactlyInAnyOrder("below:FAIL", "above:FAIL", "negated:FAIL", "differs:FAIL");
    for (String name : List.of("below", "above", "negated")) {
      assertThat(full.result(name).orElseThrow().failingRows()).as(name).isEqualTo(3);
    }
    assertThat(full.result("differs").orElseThrow().failingRows()).isEqualTo(50);
    assertThat(full.result("differs").orElseThrow().source()).isEqualTo(MetricSource.SCAN);
    assertThat(full.result("either").orElseThrow().failingRows()).isZero();

    Verdict incremental = incremental(ref, suite);
    assertSameResults(incremental, full);
    assertThat(incremental.results())
        .extracting(CheckResult::source)
        .containsOnly(MetricSource.INCREMENTAL);
  }

  /**
   * A predicate may compare two columns of a row: numbers by value across their types, in full and
   * incremental checks alike, always from the rows; columns that do not compare are an error.
   */
  @Test
  void aPredicateComparesTwoColumnsOfEachRow() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    // buyer 1 + id % 50 and revenue id % 1000 + 0.50: orders 1 to 49 have a greater buyer id,
    // and from order 1000 on the revenue (a decimal) falls below the order id (a long)
    Orders.append(table, "main", Orders.rows(1, 600, now));
    Suite suite =
        suite(
            ref,
            """
            - predicate: {name: buyer, expression: "buyer_id <= order_id"}
            - predicate: {name: revenue, expression: "order_id < revenue or revenue is null"}
            - predicate: {name: notes, expression: "status != note"}
            - predicate: {name: mistyped, expression: "status < order_id"}
            """);
    QualityGate.check(catalog, ref).suite(suite).config(config).incremental().execute();
    List<Record> more = new ArrayList<>(Orders.rows(601, 500, now));
    more.get(0).setField("buyer_id", null);
    more.get(1).setField("revenue", null);
    Orders.append(table, "main", more);

    Verdict full = check(ref, suite, "main");
    assertThat(failing(full))
        .containsExactlyInAnyOrder("buyer:FAIL", "revenue:FAIL", "mistyped:ERROR");
    // orders 1 to 49, and order 601 whose buyer is null
    assertThat(full.result("buyer").orElseThrow().failingRows()).isEqualTo(50);
    assertThat(full.result("buyer").orElseThrow().samples()).contains("order_id=1, buyer_id=2");
    // orders 1000 to 1100; order 602's null revenue is allowed
    assertThat(full.result("revenue").orElseThrow().failingRows()).isEqualTo(101);
    assertThat(full.result("mistyped").orElseThrow().message())
        .contains("status (string) cannot be compared with order_id (long)");
    assertThat(full.results())
        .filteredOn(r -> r.status() != CheckStatus.ERROR)
        .extracting(CheckResult::source)
        .containsOnly(MetricSource.SCAN);

    Verdict incremental = incremental(ref, suite);
    assertSameResults(incremental, full);
    assertThat(incremental.result("buyer").orElseThrow().source())
        .isEqualTo(MetricSource.INCREMENTAL);
  }

  private static void assertIncrementalEqualsFull(TableRef ref, Suite suite, String sample) {
    Verdict incremental = incremental(ref, suite);
    Verdict full = QualityGate.check(catalog, ref).suite(suite).config(config).execute();
    for (String check : List.of("unique(buyer_id)", "unique(buyer_id,status)")) {
      CheckResult inc = incremental.result(check).orElseThrow();
      CheckResult all = full.result(check).orElseThrow();
      assertThat(inc.source()).as(check).isEqualTo(MetricSource.INCREMENTAL);
      assertThat(all.status()).as(check).isEqualTo(CheckStatus.FAIL);
      assertThat(inc.status()).as(check).isEqualTo(all.status());
      assertThat(inc.failingRows()).as(check).isEqualTo(all.failingRows()).isEqualTo(1);
      assertThat(inc.samples()).as(check).isEqualTo(all.samples());
    }
    assertThat(incremental.result("unique(buyer_id)").orElseThrow().samples())
        .containsExactly(sample);
  }

  /** Format 2 deletes a row by position with a delete file, format 3 with a deletion vector. */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void rowLevelDeletesAreAppliedBeforeTheChecks(int formatVersion) throws java.io.IOException {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> rows = new ArrayList<>(Orders.rows(1, 100, now));
    rows.add(Orders.rows(5, 1, now).get(0));
    Record lost = Orders.rows(200, 1, now).get(0);
    lost.setField("status", "lost");
    rows.add(lost);
    org.apache.iceberg.DataFile data = Orders.write(table, rows);
    table.newAppend().appendFile(data).commit();
    Suite suite =
        suite(
            ref,
            "- unique: order_id\n- accepted-values: {column: status, values: [placed, paid, shipped, delivered]}\n- row-count: {min: 1, max: 100}");
    assertThat(failing(check(ref, suite, "main")))
        .containsExactlyInAnyOrder(
            "unique(order_id):FAIL", "accepted-values(status):FAIL", "row-count:FAIL");

    // the repeated order 5 is row 100 of the file: a position delete; order 200 by equality
    org.apache.iceberg.DeleteFile byPosition = positionDeletes(table, formatVersion, data, 100);
    org.apache.iceberg.RowDelta delta = table.newRowDelta().addDeletes(equalityDelete(table, 200L));
    delta.addDeletes(byPosition);
    delta.commit();

    Verdict afterDeletes = incremental(ref, suite);
    assertThat(failing(afterDeletes)).isEmpty();
    assertThat(afterDeletes.result("row-count").orElseThrow().metric()).hasValue(100);
    assertThat(afterDeletes.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.SCAN);
  }

  /**
   * A reconcile check holds a metric to one of another table's published snapshot: equal, or within
   * its percentage; a table it names that is missing makes only that check an error.
   */
  @Test
  void aReconcileCheckHoldsAMetricToAnotherTablesPublishedSnapshot() {
    TableRef source = newTable(Map.of());
    TableRef copy = newTable(Map.of());
    OffsetDateTime now = Orders.now();
    List<Record> rows = Orders.rows(1, 200, now);
    Orders.append(catalog.loadTable(source.toIdentifier()), "main", rows);
    Table copied = catalog.loadTable(copy.toIdentifier());
    // the same rows, in two files: sums of them in another order
    Orders.append(copied, "main", rows.subList(0, 100));
    Orders.append(copied, "main", rows.subList(100, 200));
    String suiteText =
        """
        - reconcile: {metric: row-count, with: {table: %1$s}}
        - reconcile: {metric: sum, column: revenue, with: {table: %1$s}}
        - reconcile: {metric: sum, column: revenue, where: "status = 'paid'", with: {table: %1$s, where: "status = 'paid'"}}
        - reconcile: {metric: row-count, where: "status = 'paid'", with: {table: %1$s, metric: sum, column: buyer_id}, name: mismatched}
        - reconcile: {metric: row-count, with: {table: %2$s}, name: nowhere}
        """
            .formatted(source, new TableRef(source.namespace(), "absent"));
    Suite suite = suite(copy, suiteText);
    Verdict verdict = check(copy, suite, "main");
    assertThat(failing(verdict)).containsExactlyInAnyOrder("mismatched:FAIL", "nowhere:ERROR");
    CheckResult counted =
        verdict.result("reconcile(row-count, %s row-count)".formatted(source)).orElseThrow();
    assertThat(counted.metric()).hasValue(0);
    assertThat(counted.source()).isEqualTo(MetricSource.METADATA);
    assertThat(counted.message())
        .startsWith("row-count = 200; row-count of %s at published snapshot ".formatted(source))
        .endsWith(" = 200 (equal)");
    // an incremental check, from the states the full one stored, gives the same verdicts
    Verdict again = incremental(copy, suite);
    assertThat(failing(again)).isEqualTo(failing(verdict));
    assertThat(again.result("mismatched").orElseThrow().metric())
        .isEqualTo(verdict.result("mismatched").orElseThrow().metric());
    assertThat(verdict.result("nowhere").orElseThrow().message())
        .contains(
            "the table %s.absent to reconcile with does not exist".formatted(source.namespace()));

    // one more row: 201 against 200 is 0.5% off, which a tolerance of 1% lets pass
    Orders.append(copied, "main", Orders.rows(201, 1, now));
    Suite tolerant =
        suite(
            copy,
            """
            - reconcile: {metric: row-count, with: {table: %1$s}}
            - reconcile: {metric: row-count, with: {table: %1$s}, max-delta-pct: 1, name: tolerant}
            """
                .formatted(source));
    Verdict next = check(copy, tolerant, "main");
    assertThat(failing(next))
        .containsExactly("reconcile(row-count, %s row-count):FAIL".formatted(source));
    assertThat(next.result("tolerant").orElseThrow().metric().getAsDouble())
        .isCloseTo(0.5, within(1e-9));
    assertThat(next.result("tolerant").orElseThrow().message()).endsWith("(+0.50%)");
  }

  /**
   * A reconcile check with {@code ref} compares with the snapshot a branch or tag of the other
   * table points to rather than its main: a tag freezes the compared snapshot, a branch compares
   * with rows not published yet; a ref the table lacks makes only that check an error.
   */
  @Test
  void aReconcileCheckComparesWithABranchOrTagOfTheOtherTable() {
    TableRef source = newTable(Map.of());
    TableRef copy = newTable(Map.of());
    OffsetDateTime now = Orders.now();
    Table sourceTable = catalog.loadTable(source.toIdentifier());
    long tagged = Orders.append(sourceTable, "main", Orders.rows(1, 200, now));
    sourceTable.manageSnapshots().createTag("closing", tagged).commit();
    Orders.append(sourceTable, "main", Orders.rows(201, 50, now));
    long audited = Orders.append(sourceTable, "audit", Orders.rows(251, 10, now));
    Orders.append(catalog.loadTable(copy.toIdentifier()), "main", Orders.rows(1, 200, now));
    Suite suite =
        suite(
            copy,
            """
            - reconcile: {metric: row-count, with: {table: %1$s, ref: closing}}
            - reconcile: {metric: row-count, with: {table: %1$s}, name: published}
            - reconcile: {metric: row-count, with: {table: %1$s, ref: audit}, name: branch}
            - reconcile: {metric: row-count, with: {table: %1$s, ref: nowhere}, name: missing}
            """
                .formatted(source));
    Verdict verdict = check(copy, suite, "main");
    assertThat(failing(verdict))
        .containsExactlyInAnyOrder("published:FAIL", "branch:FAIL", "missing:ERROR");
    CheckResult frozen =
        verdict
            .result("reconcile(row-count, %s@closing row-count)".formatted(source))
            .orElseThrow();
    assertThat(frozen.message())
        .isEqualTo(
            "row-count = 200; row-count of %s at tag closing, snapshot %d = 200 (equal)",
            source, tagged);
    assertThat(verdict.result("published").orElseThrow().message())
        .contains("row-count of %s at published snapshot ".formatted(source))
        .endsWith(" = 250 (-20.00%)");
    assertThat(verdict.result("branch").orElseThrow().message())
        .contains(
            "row-count of %s at the head of branch audit, snapshot %d = 260"
                .formatted(source, audited));
    assertThat(verdict.result("missing").orElseThrow().message())
        .contains("%s has no branch or tag nowhere to reconcile with".formatted(source));
    // an incremental check, from the states the full one stored, gives the same verdicts
    assertThat(failing(incremental(copy, suite))).isEqualTo(failing(verdict));
    // and validation names the missing ref beforehand, from metadata alone
    assertThat(SuiteValidation.of(catalog, suite, Optional.empty(), config).misfits())
        .containsOnlyKeys("missing");
  }

  /**
   * A suite is validated against the schema from metadata alone (every data file is gone, and
   * nothing fails for it): exactly the checks whose columns, types, values, conditions or compared
   * tables do not fit are named, with why; a rename after the head's snapshot is caught on the
   * current schema, which the next snapshot gets.
   */
  @Test
  void aSuiteIsValidatedAgainstTheSchemaFromMetadataAlone() {
    TableRef ref = newTable(Map.of());
    TableRef other = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    Table otherTable = catalog.loadTable(other.toIdentifier());
    Orders.append(table, "main", Orders.rows(1, 50, Orders.now()));
    Orders.append(otherTable, "main", Orders.rows(1, 50, Orders.now()));
    for (Table gone : List.of(table, otherTable)) {
      gone.refresh();
      try (var tasks = gone.newScan().planFiles()) {
        tasks.forEach(task -> gone.io().deleteFile(task.file().location()));
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    Suite suite =
        suite(
            ref,
            """
            - unique: order_id
            - not-null: [buyer_id, revenu]
            - accepted-values: {column: order_id, values: [1, x]}
            - mean: {column: status, max: 1}
            - predicate: {expression: "revenue >= 0 and quantity > 1"}
            - freshness: {column: note, max-age: 1h}
            - min: {column: revenue, min: 0, where: "statu = 'paid'"}
            - max: {column: revenue, max: 1000, where: "status = 'paid'"}
            - references: {column: buyer_id, table: %1$s, to-column: order_id}
            - references: {column: buyer_id, table: %1$s, to-column: buyer, name: no-such-column}
            - references: {column: buyer_id, table: %2$s, name: no-such-table}
            - reconcile: {metric: sum, column: revenue, with: {table: %1$s}}
            - reconcile: {metric: sum, column: revenue, with: {table: %1$s, column: amount}, name: no-amount}
            - change: {metric: mean, column: note, max-delta-pct: 10}
            - schema: {expect: {order_id: long}}
            """
                .formatted(other, new TableRef(namespace, "absent")));

    SuiteValidation validation = SuiteValidation.of(catalog, suite, Optional.empty(), config);
    assertThat(validation.fits()).isFalse();
    assertThat(validation.against())
        .isEqualTo("main's head (snapshot %d)".formatted(table.currentSnapshot().snapshotId()));
    assertThat(validation.misfits())
        .containsOnlyKeys(
            "not-null(revenu)",
            "accepted-values(order_id)",
            "mean(status)",
            "predicate(revenue >= 0 and quantity > 1)",
            "freshness(note)",
            "min(revenue) where statu = 'paid'",
            "no-such-column",
            "no-such-table",
            "no-amount",
            "change(mean(note))");
    assertThat(validation.misfits().get("not-null(revenu)"))
        .startsWith("column 'revenu' is not in the snapshot's schema (columns: order_id,");
    assertThat(validation.misfits().get("accepted-values(order_id)")).contains("'x'");
    assertThat(validation.misfits().get("mean(status)"))
        .isEqualTo("status is string; this check needs a numeric column");
    assertThat(validation.misfits().get("predicate(revenue >= 0 and quantity > 1)"))
        .contains("quantity");
    assertThat(validation.misfits().get("min(revenue) where statu = 'paid'"))
        .startsWith("where: ")
        .contains("statu");
    assertThat(validation.misfits().get("no-such-column"))
        .contains("column 'buyer' is not in %s's published schema".formatted(other));
    assertThat(validation.misfits().get("no-such-table"))
        .contains("%s.absent does not exist".formatted(namespace));
    assertThat(validation.misfits().get("no-amount"))
        .startsWith("sum(amount) on %s: column 'amount' is not in".formatted(other));
    // the data files are gone indeed: a check that reads them cannot be evaluated
    assertThatThrownBy(
            () -> check(ref, suite(ref, "- sum: {column: order_id, max: 1000000}"), "main"))
        .hasMessageContaining("does not exist");
    // the order the suite declares them in
    assertThat(validation.misfits().keySet()).first().isEqualTo("not-null(revenu)");

    // a rename after main's head: checks of revenue still fit the head, not the next snapshot
    table.updateSchema().renameColumn("revenue", "amount").commit();
    Suite renamed =
        suite(
            ref,
            "- unique: order_id\n- sum: {column: revenue, max: 1000000}\n- sum: {column: amount, max: 1000000}");
    SuiteValidation next = SuiteValidation.of(catalog, renamed, Optional.empty(), config);
    assertThat(next.against()).endsWith(" and the table's current schema 1 (the head's is 0)");
    assertThat(next.misfits()).containsOnlyKeys("sum(revenue)", "sum(amount)");
    assertThat(next.misfits().get("sum(revenue)"))
        .startsWith("on the current schema, which the next snapshot gets: column 'revenue'");
    assertThat(next.misfits().get("sum(amount)")).startsWith("column 'amount' is not in");

    // an empty table is validated against its schema; a branch it lacks is the caller's error
    TableRef empty = newTable(Map.of());
    SuiteValidation none =
        SuiteValidation.of(catalog, suite(empty, "- unique: order_id"), Optional.empty(), config);
    assertThat(none.fits()).isTrue();
    assertThat(none.against()).isEqualTo("the current schema (nothing on main yet)");
    assertThatThrownBy(
            () ->
                SuiteValidation.of(
                    catalog, suite(empty, "- unique: order_id"), Optional.of("audit_x"), config))
        .isInstanceOf(FloeException.class)
        .hasMessageStartingWith("%s has no branch or tag 'audit_x'".formatted(empty));
  }

  /**
   * A suggested suite profiles the fields of structs by their dotted names like top-level columns
   * (a field under an optional struct may read null), and leaves lists alone.
   */
  @Test
  void aSuggestedSuiteReachesIntoStructs() {
    Schema nested =
        new Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(
                2,
                "address",
                Types.StructType.of(
                    Types.NestedField.optional(3, "city", Types.StringType.get()),
                    Types.NestedField.required(4, "zip", Types.IntegerType.get()))),
            Types.NestedField.optional(
                5, "tags", Types.ListType.ofOptional(6, Types.StringType.get())));
    TableRef ref = new TableRef(namespace, "nested_suggest");
    Table table = catalog.createTable(ref.toIdentifier(), nested, PartitionSpec.unpartitioned());
    List<Record> rows = new ArrayList<>();
    for (long id = 1; id <= 40; id++) {
      GenericRecord row = GenericRecord.create(nested);
      row.setField("id", id);
      GenericRecord address = GenericRecord.create(nested.findType("address").asStructType());
      address.setField("city", List.of("Lyon", "Oslo", "Pune").get((int) (id % 3)));
      address.setField("zip", (int) (1000 + id % 10));
      row.setField("address", id == 40 ? null : address);
      row.setField("tags", List.of("a"));
      rows.add(row);
    }
    table.newAppend().appendFile(Orders.write(table, rows)).commit();

    SuiteSuggestion.Suggestion suggestion =
        SuiteSuggestion.suggest(catalog, ref, Optional.empty(), config);
    assertThat(suggestion.suite().checks().stream().map(Check::name))
        .containsExactly(
            "row-count",
            "schema",
            "unique(id)",
            "accepted-values(address.city)",
            "min(id)",
            "min(address.zip)");
    assertThat(suggestion.rejected()).isEmpty();
    assertThat(suggestion.yaml())
        .contains("- accepted-values: {column: address.city, values: [Lyon, Oslo, Pune]}");

    // the drafted suite holds the table to it: a new city fails it
    GenericRecord more = (GenericRecord) rows.get(0).copy();
    more.setField("id", 41L);
    GenericRecord elsewhere = GenericRecord.create(nested.findType("address").asStructType());
    elsewhere.setField("city", "Rome");
    elsewhere.setField("zip", 1001);
    more.setField("address", elsewhere);
    table.newAppend().appendFile(Orders.write(table, List.of(more))).commit();
    assertThat(failing(check(ref, suggestion.suite(), "main")))
        .containsExactly("accepted-values(address.city):FAIL");
  }

  /**
   * A suggested suite holds the checks its snapshot's profile supports and that snapshot passes: a
   * column that looked unique but repeats a value is left out and named, and the suite catches each
   * kind of defect it was drawn to catch.
   */
  @Test
  void aSuggestedSuitePassesOnItsSnapshotAndCatchesLaterDefects() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> rows = Orders.rows(1, 200, now);
    rows.get(1).setField("note", rows.get(0).getField("note"));
    Orders.append(table, "main", rows);

    SuiteSuggestion.Suggestion suggestion =
        SuiteSuggestion.suggest(catalog, ref, Optional.empty(), config);
    assertThat(suggestion.rows()).isEqualTo(200);
    assertThat(suggestion.suite().checks().stream().map(Check::name))
        .containsExactly(
            "row-count",
            "schema",
            "not-null(buyer_id)",
            "not-null(status)",
            "not-null(revenue)",
            "not-null(order_ts)",
            "not-null(note)",
            "unique(order_id)",
            "accepted-values(status)",
            "min(order_id)",
            "min(buyer_id)",
            "min(revenue)");
    assertThat(suggestion.suite().checks().get(8).options().values())
        .containsExactly("delivered", "paid", "placed", "shipped");
    assertThat(suggestion.rejected()).containsOnlyKeys("unique(note)");
    assertThat(suggestion.yaml())
        .contains("# not suggested, unique(note): ")
        .contains("        - unique: order_id ")
        .contains("# - freshness: {column: order_ts, max-age: 1d}   # newest ");
    // the YAML is a configuration that declares the same suite
    FloeConfig pasted = FloeConfig.parse("pasted", suggestion.yaml(), name -> null, Path.of("."));
    assertThat(Suites.load(pasted).get(ref).checks()).isEqualTo(suggestion.suite().checks());
    assertThat(failing(check(ref, suggestion.suite(), "main"))).isEmpty();

    List<Record> defects = new ArrayList<>(Orders.rows(201, 4, now));
    defects.get(0).setField("order_id", 7L);
    defects.get(1).setField("status", null);
    defects.get(2).setField("status", "lost");
    defects.get(3).setField("revenue", new BigDecimal("-1.00"));
    Orders.append(table, "main", defects);
    assertThat(failing(check(ref, suggestion.suite(), "main")))
        .containsExactlyInAnyOrder(
            "unique(order_id):FAIL",
            "not-null(status):FAIL",
            "accepted-values(status):FAIL",
            "min(revenue):FAIL");

    TableRef empty = newTable(Map.of());
    assertThatThrownBy(() -> SuiteSuggestion.suggest(catalog, empty, Optional.empty(), config))
        .isInstanceOf(FloeException.class)
        .hasMessageStartingWith(empty + " has no snapshot on 'main' to draw a suite from");
  }

  /**
   * A row rule with {@code max-fraction} passes while at most that fraction of the measured rows
   * break it, and reports the rows that do; an incremental check merges the counts as a full one
   * reads them.
   */
  @Test
  void aRowRuleToleratesUpToItsMaxFractionOfBrokenRows() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> first = Orders.rows(1, 200, now);
    first.get(10).setField("revenue", new BigDecimal("-1.00")); // order 11
    first.get(20).setField("revenue", new BigDecimal("-2.00")); // order 21
    first.get(30).setField("status", "lost");
    for (int i : new int[] {40, 50, 60}) {
      first.get(i).setField("note", "n/a");
    }
    Orders.append(table, "main", first);
    Suite suite =
        suite(
            ref,
            """
            - predicate: {expression: revenue >= 0, max-fraction: 0.01}
            - predicate: {expression: revenue >= 0, max-fraction: 0.005, name: strict}
            - accepted-values: {column: status, values: [placed, paid, shipped, delivered], max-fraction: 0.005}
            - pattern: {column: note, pattern: '^note for order number [0-9]+$', max-fraction: 0.01}
            - length: {column: note, min: 4, max: 40, max-fraction: 0.02}
            """);

    Verdict full = check(ref, suite, "main");
    assertThat(failing(full)).containsExactlyInAnyOrder("strict:FAIL", "pattern(note):FAIL");
    CheckResult tolerated = full.result("predicate(revenue >= 0)").orElseThrow();
    assertThat(tolerated.status()).isEqualTo(CheckStatus.PASS);
    assertThat(tolerated.metric()).hasValue(2);
    assertThat(tolerated.failingRows()).isEqualTo(2);
    assertThat(tolerated.samples()).hasSize(2);
    assertThat(tolerated.threshold()).isEqualTo("<= 1% of rows");
    assertThat(tolerated.message())
        .isEqualTo("2 of 200 rows (1%) break the rule, within the 1% of rows allowed");
    assertThat(full.result("strict").orElseThrow().message())
        .isEqualTo("2 of 200 rows (1%) break the rule, more than the 0.5% of rows allowed");
    assertThat(full.result("length(note)").orElseThrow().failingRows()).isEqualTo(3);

    // two more negative revenues among 100 rows: 4 of 300 is more than 1%
    List<Record> second = Orders.rows(201, 100, now);
    second.get(0).setField("revenue", new BigDecimal("-3.00"));
    second.get(1).setField("revenue", new BigDecimal("-4.00"));
    Orders.append(table, "main", second);
    Verdict next = incremental(ref, suite);
    Verdict whole = check(ref, suite, "main");
    assertThat(failing(next))
        .isEqualTo(failing(whole))
        // and the three notes of 300 are now within 1%
        .containsExactlyInAnyOrder("predicate(revenue >= 0):FAIL", "strict:FAIL");
    CheckResult broken = next.result("predicate(revenue >= 0)").orElseThrow();
    assertThat(broken.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(broken.message())
        .isEqualTo("4 of 300 rows (1.33%) break the rule, more than the 1% of rows allowed")
        .isEqualTo(whole.result("predicate(revenue >= 0)").orElseThrow().message());
    // one lost order in 300 is within 0.5%
    assertThat(next.result("accepted-values(status)").orElseThrow().status())
        .isEqualTo(CheckStatus.PASS);
  }

  /**
   * A uniqueness check with {@code max-fraction} passes while the rows beyond the first of each key
   * are at most that share of the rows, and reports them with samples either way; incremental and
   * full checks agree, from a base that had duplicates (its keys are checked in full) or none (only
   * the added keys are read).
   */
  @Test
  void aUniquenessCheckToleratesUpToItsMaxFractionOfRepeatedKeys() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> first = new ArrayList<>(Orders.rows(1, 200, now));
    first.add(Orders.rows(5, 1, now).get(0));
    first.add(Orders.rows(7, 1, now).get(0));
    Orders.append(table, "main", first);
    Suite suite =
        suite(
            ref,
            """
            - unique: {column: order_id, max-fraction: 0.01}
            - unique: {column: order_id, max-fraction: 0.005, name: strict}
            - unique: {column: order_id, name: exact}
            """);
    Verdict full = check(ref, suite, "main");
    assertThat(failing(full)).containsExactlyInAnyOrder("strict:FAIL", "exact:FAIL");
    CheckResult tolerated = full.result("unique(order_id)").orElseThrow();
    assertThat(tolerated.metric()).hasValue(2);
    assertThat(tolerated.threshold()).isEqualTo("<= 1% of rows");
    assertThat(tolerated.failingRows()).isEqualTo(2);
    assertThat(tolerated.samples()).hasSize(2);
    assertThat(tolerated.message())
        .isEqualTo(
            "2 of 202 rows (0.99%) repeat an earlier row's key, within the 1% of rows allowed");
    assertThat(full.result("strict").orElseThrow().message())
        .isEqualTo(
            "2 of 202 rows (0.99%) repeat an earlier row's key, more than the 0.5% of rows"
                + " allowed");
    // without a tolerance, the message and threshold it always had
    assertThat(full.result("exact").orElseThrow().threshold()).isEqualTo("= 0");

    // 101 more rows, one repeating a published key and one its own: 4 of 303 is more than 1%
    List<Record> second = new ArrayList<>(Orders.rows(201, 99, now));
    second.add(Orders.rows(9, 1, now).get(0));
    second.add(Orders.rows(250, 1, now).get(0));
    Orders.append(table, "main", second);
    Verdict next = incremental(ref, suite);
    Verdict whole = check(ref, suite, "main");
    assertThat(failing(next))
        .isEqualTo(failing(whole))
        .containsExactlyInAnyOrder("unique(order_id):FAIL", "strict:FAIL", "exact:FAIL");
    assertThat(next.result("unique(order_id)").orElseThrow().message())
        .isEqualTo(
            "4 of 303 rows (1.32%) repeat an earlier row's key, more than the 1% of rows allowed")
        .isEqualTo(whole.result("unique(order_id)").orElseThrow().message());

    // from a base without duplicates, only the added keys are read, and held to the whole table
    TableRef clean = newTable(Map.of());
    Table cleanTable = catalog.loadTable(clean.toIdentifier());
    Orders.append(cleanTable, "main", Orders.rows(1, 100, now));
    Suite tolerant = suite(clean, "- unique: {column: order_id, max-fraction: 0.01}");
    assertThat(check(clean, tolerant, "main").passed()).isTrue();
    List<Record> added = new ArrayList<>(Orders.rows(101, 99, now));
    added.add(Orders.rows(3, 1, now).get(0));
    Orders.append(cleanTable, "main", added);
    CheckResult once = incremental(clean, tolerant).results().get(0);
    assertThat(once.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(once.status()).isEqualTo(CheckStatus.PASS);
    assertThat(once.message())
        .isEqualTo(
            "1 of 200 rows (0.5%) repeat an earlier row's key, within the 1% of rows allowed")
        .isEqualTo(check(clean, tolerant, "main").results().get(0).message());
  }

  /**
   * A uniqueness check with a condition counts, among a table's live rows, only those that meet it:
   * an order twice as paid is a duplicate, the same order once more as placed adds nothing, and a
   * paid order whose id a placed one has is none.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void aConditionalUniquenessCheckReadsOnlyTheLiveRowsThatMeetIt(int formatVersion)
      throws java.io.IOException {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> rows = new ArrayList<>(Orders.rows(1, 100, now));
    rows.add(Orders.rows(5, 1, now).get(0)); // position 100: order 5, paid again
    rows.add(Orders.row(Orders.SCHEMA, 5, 6L, "placed", BigDecimal.ONE, now, "again"));
    rows.add(Orders.row(Orders.SCHEMA, 8, 9L, "paid", BigDecimal.ONE, now, "again"));
    DataFile data = Orders.write(table, rows);
    table.newAppend().appendFile(data).commit();
    Suite suite = suite(ref, "- unique: {column: order_id, where: \"status <> 'placed'\"}");
    String name = "unique(order_id) where status <> 'placed'";
    assertThat(check(ref, suite, "main").result(name).orElseThrow().failingRows()).isEqualTo(1);

    // read with deletes applied: order 1 deleted, order 5 still paid twice
    org.apache.iceberg.DeleteFile first = positionDeletes(table, formatVersion, data, 0);
    table.newRowDelta().addDeletes(first).commit();
    CheckResult withDeletes = check(ref, suite, "main").result(name).orElseThrow();
    assertThat(withDeletes.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(withDeletes.failingRows()).isEqualTo(1);

    // a data file has one deletion vector: the next replaces it
    table
        .newRowDelta()
        .validateFromSnapshot(table.currentSnapshot().snapshotId())
        .removeDeletes(first)
        .addDeletes(positionDeletes(table, formatVersion, data, 0, 100))
        .commit();
    assertThat(failing(check(ref, suite, "main"))).isEmpty();
  }

  /**
   * A deletion vector counts the rows it deletes exactly, so the row count of a format-3 table
   * stays a metadata answer after a delete; a format-2 position delete file does not (two of them
   * may name the same row), so there the rows are counted by reading. Either way the other checks
   * see only the live rows.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void theRowCountAfterAPositionDeleteComesFromMetadataOnlyWithADeletionVector(int formatVersion)
      throws java.io.IOException {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    List<Record> first = new ArrayList<>(Orders.rows(1, 100, now));
    // orders 1 and 2 again, at positions 100 and 101, deleted below
    first.addAll(Orders.rows(1, 2, now));
    DataFile deletedFrom = Orders.write(table, first);
    DataFile untouched = Orders.write(table, Orders.rows(101, 100, now));
    table.newAppend().appendFile(deletedFrom).appendFile(untouched).commit();
    Suite suite =
        suite(ref, "- unique: order_id\n- not-null: order_id\n- row-count: {min: 1, max: 200}");
    assertThat(failing(check(ref, suite, "main")))
        .containsExactlyInAnyOrder("unique(order_id):FAIL", "row-count:FAIL");

    table
        .newRowDelta()
        .addDeletes(positionDeletes(table, formatVersion, deletedFrom, 100, 101))
        .commit();

    Verdict afterDelete = check(ref, suite, "main");
    assertThat(failing(afterDelete)).isEmpty();
    CheckResult rowCount = afterDelete.result("row-count").orElseThrow();
    assertThat(rowCount.metric()).hasValue(200);
    assertThat(rowCount.source())
        .isEqualTo(formatVersion >= 3 ? MetricSource.METADATA : MetricSource.SCAN);
    assertThat(afterDelete.result("unique(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.SCAN);
    // the deleted-from file is read for its live rows' nulls; the other one's statistics answer
    assertThat(afterDelete.result("not-null(order_id)").orElseThrow().source())
        .isEqualTo(MetricSource.SCAN);
  }

  /** Deletes the rows of {@code orderIds} by value: an equality delete file on {@code order_id}. */
  private static DeleteFile equalityDelete(Table table, long... orderIds)
      throws java.io.IOException {
    org.apache.iceberg.Schema idOnly = table.schema().select("order_id");
    List<Record> keys = new ArrayList<>();
    for (long orderId : orderIds) {
      Record key = org.apache.iceberg.data.GenericRecord.create(idOnly);
      key.setField("order_id", orderId);
      keys.add(key);
    }
    return equalityDelete(table, List.of("order_id"), keys);
  }

  /**
   * Deletes the rows that hold the values of {@code columns} of one of {@code rows}: an equality
   * delete file on those columns.
   */
  private static DeleteFile equalityDelete(Table table, List<String> columns, List<Record> rows)
      throws java.io.IOException {
    org.apache.iceberg.Schema compared = table.schema().select(columns);
    org.apache.iceberg.deletes.EqualityDeleteWriter<Record> equality =
        org.apache.iceberg.parquet.Parquet.writeDeletes(
                table
                    .io()
                    .newOutputFile(
                        table
                            .locationProvider()
                            .newDataLocation("eq-" + java.util.UUID.randomUUID() + ".parquet")))
            .forTable(table)
            .withSpec(table.spec())
            .rowSchema(compared)
            .equalityFieldIds(
                compared.columns().stream()
                    .map(org.apache.iceberg.types.Types.NestedField::fieldId)
                    .toList())
            .createWriterFunc(org.apache.iceberg.data.parquet.GenericParquetWriter::create)
            .overwrite()
            .buildEqualityWriter();
    try (equality) {
      for (Record row : rows) {
        Record deleted = org.apache.iceberg.data.GenericRecord.create(compared);
        for (String column : columns) {
          deleted.setField(column, row.getField(column));
        }
        equality.write(deleted);
      }
    }
    return equality.toDeleteFile();
  }

  /**
   * A file whose deletion vector deletes every row holds nothing to read: no check opens it, which
   * the test proves by removing it from storage first.
   */
  @Test
  void aFileADeletionVectorDeletesWhollyIsNeverOpened() throws java.io.IOException {
    TableRef ref = newTable(Map.of("format-version", "3"));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<DataFile> files = appendHundreds(table, 2, Orders.now());
    long[] every = java.util.stream.LongStream.range(0, 100).toArray();
    table.newRowDelta().addDeletes(positionDeletes(table, 3, files.get(1), every)).commit();
    table.io().deleteFile(files.get(1).location());
    Suite suite =
        suite(
            ref,
            """
            - row-count: {min: 100, max: 100}
            - unique: order_id
            - not-null: buyer_id
            - mean: {column: revenue, max: 100000}
            - max: {column: order_id, max: 100}
            - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
            """);
    Verdict verdict = fullCheck(ref, suite);
    assertThat(failing(verdict)).isEmpty();
    assertThat(verdict.result("max(order_id)").orElseThrow().metric()).hasValue(100);
    assertThat(verdict.result("row-count").orElseThrow().source()).isEqualTo(MetricSource.METADATA);
  }

  /**
   * A file with deletes is not read for a smallest or largest value when its statistics' bounds,
   * deleted rows included, lie within those the files without deletes reach: the test removes it
   * from storage, and the bounds still come from the others' statistics.
   */
  @ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(ints = {2, 3})
  void aFileWithDeletesIsNotReadForBoundsTheOtherFilesReach(int formatVersion)
      throws java.io.IOException {
    TableRef ref = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<DataFile> files = appendHundreds(table, 3, Orders.now());
    table
        .newRowDelta()
        .addDeletes(positionDeletes(table, formatVersion, files.get(1), 0, 1))
        .commit();
    table.io().deleteFile(files.get(1).location());
    // every file holds buyers 1 to 50
    Suite suite =
        suite(ref, "- min: {column: buyer_id, min: 1}\n- max: {column: buyer_id, max: 50}");
    Verdict verdict = fullCheck(ref, suite);
    assertThat(failing(verdict)).isEmpty();
    assertThat(verdict.results())
        .allSatisfy(r -> assertThat(r.source()).isEqualTo(MetricSource.METADATA));
    assertThat(verdict.result("max(buyer_id)").orElseThrow().metric()).hasValue(50);

    assertThat(fullCheck(ref, suite(ref, "- max: {column: order_id, max: 300}")).passed()).isTrue();

    // a file whose bounds reach beyond the others' is read for its live rows' bound
    TableRef other = newTable(Map.of("format-version", Integer.toString(formatVersion)));
    Table second = catalog.loadTable(other.toIdentifier());
    List<DataFile> three = appendHundreds(second, 3, Orders.now());
    second
        .newRowDelta()
        .addDeletes(positionDeletes(second, formatVersion, three.get(2), 99))
        .commit();
    Verdict largest =
        fullCheck(
            other,
            suite(
                other, "- max: {column: order_id, max: 1000}\n- max: {column: buyer_id, max: 50}"));
    assertThat(largest.result("max(order_id)").orElseThrow().metric()).hasValue(299);
    assertThat(largest.result("max(order_id)").orElseThrow().source()).isEqualTo(MetricSource.SCAN);
    assertThat(largest.result("max(buyer_id)").orElseThrow().source())
        .isEqualTo(MetricSource.METADATA);
  }

  /**
   * Deletes rows of {@code data} by position: a deletion vector in format 3 and later, else a
   * position delete file that applies to {@code data} alone, as Spark writes them (its path whole
   * as its bounds).
   */
  private static DeleteFile positionDeletes(
      Table table, int formatVersion, DataFile data, long... positions) throws java.io.IOException {
    return formatVersion >= 3
        ? positionDeletes(table, true, true, data, positions)
        : positionDeletes(table, false, true, data, positions);
  }

  /**
   * A position delete file that applies to every data file of {@code data}'s partition: its path
   * bounds truncated, as Iceberg's default metrics keep them, so they prove nothing.
   */
  private static DeleteFile partitionDeletes(Table table, DataFile data, long... positions)
      throws java.io.IOException {
    return positionDeletes(table, false, false, data, positions);
  }

  private static DeleteFile positionDeletes(
      Table table, boolean vector, boolean fileScoped, DataFile data, long... positions)
      throws java.io.IOException {
    if (vector) {
      org.apache.iceberg.deletes.BaseDVFileWriter vectors =
          new org.apache.iceberg.deletes.BaseDVFileWriter(
              org.apache.iceberg.io.OutputFileFactory.builderFor(table, 1, 1)
                  .format(FileFormat.PUFFIN)
                  .build(),
              path -> null);
      try (vectors) {
        for (long position : positions) {
          vectors.delete(data.location(), position, table.spec(), data.partition());
        }
      }
      DeleteFile written = vectors.result().deleteFiles().get(0);
      assertThat(written.format()).isEqualTo(FileFormat.PUFFIN);
      return written;
    }
    org.apache.iceberg.deletes.PositionDeleteWriter<Record> writer =
        org.apache.iceberg.parquet.Parquet.writeDeletes(
                table
                    .io()
                    .newOutputFile(
                        table
                            .locationProvider()
                            .newDataLocation("pos-" + java.util.UUID.randomUUID() + ".parquet")))
            .withSpec(table.spec())
            .metricsConfig(
                fileScoped
                    ? org.apache.iceberg.MetricsConfig.forPositionDelete()
                    : org.apache.iceberg.MetricsConfig.getDefault())
            .overwrite()
            .buildPositionWriter();
    try (writer) {
      for (long position : positions) {
        writer.write(
            org.apache.iceberg.deletes.PositionDelete.<Record>create()
                .set(data.location(), position));
      }
    }
    return writer.toDeleteFile();
  }

  /**
   * A table a migration brought in: files without field ids, columns in another order, the region
   * only in the partition tuple. Read by position, as Iceberg's own generic reader reads such
   * files, quantity would be checked as order ids and the status as buyer ids.
   */
  @Test
  void aMigratedTableIsCheckedByColumnNameAndPartitionNotByPosition() throws java.io.IOException {
    TableRef ref = new TableRef(namespace, "migrated_" + (++tables));
    Table table = MigratedFiles.table(catalog, ref.toIdentifier());
    MigratedFiles.append(table, "emea", LongStream.range(0, 300).boxed().toList());
    List<Long> apac = new ArrayList<>(LongStream.range(300, 600).boxed().toList());
    apac.add(42L);
    DataFile withDuplicate = MigratedFiles.append(table, "apac", apac);
    Suite suite =
        suite(
            ref,
            """
            - not-null: [order_id, buyer_id, region]
            - unique: order_id
            - accepted-values: {column: status, values: [placed, paid, shipped]}
            - accepted-values: {column: region, values: [emea, apac]}
            - predicate: {expression: "quantity between 1 and 5 and buyer_id >= 7000000"}
            - max: {column: quantity, max: 5}
            - mean: {column: order_id, max: 1000}
            """);

    Verdict verdict = check(ref, suite, "main");

    assertThat(failing(verdict)).containsExactly("unique(order_id):FAIL");
    assertThat(verdict.result("unique(order_id)").orElseThrow().failingRows()).isEqualTo(1);
    assertThat(verdict.result("mean(order_id)").orElseThrow().metric().getAsDouble())
        .isCloseTo((599 * 600 / 2 + 42) / 601.0, within(1e-9));

    // the duplicate deleted by position: the rows are read with the deletes applied
    PositionDeleteWriter<Record> positions =
        Parquet.writeDeletes(
                table
                    .io()
                    .newOutputFile(
                        table
                            .locationProvider()
                            .newDataLocation("pos-" + java.util.UUID.randomUUID() + ".parquet")))
            .withSpec(table.spec())
            .withPartition(withDuplicate.partition())
            .overwrite()
            .buildPositionWriter();
    try (positions) {
      positions.write(PositionDelete.<Record>create().set(withDuplicate.location(), 300));
    }
    table.newRowDelta().addDeletes(positions.toDeleteFile()).commit();
    assertThat(failing(check(ref, suite, "main"))).isEmpty();

    // without the name mapping the files cannot be read by name: the evaluation says so
    table.updateProperties().remove(TableProperties.DEFAULT_NAME_MAPPING).commit();
    assertThatThrownBy(() -> check(ref, suite, "main"))
        .isInstanceOfSatisfying(
            FloeException.class,
            e -> assertThat(e.code()).isEqualTo(ErrorCode.UNREADABLE_DATA_FILE))
        .hasMessageContaining("has no Iceberg field ids");
  }

  @Test
  void referencedValuesReadInSlicesOfTheValueSpaceFindWhatOnePassFinds()
      throws java.io.IOException {
    // 300 buyers in three files, and five status codes
    TableRef buyerIds = new TableRef(namespace, "dim_sliced_buyers");
    Table dim =
        catalog.createTable(buyerIds.toIdentifier(), Orders.BUYERS, PartitionSpec.unpartitioned());
    for (long first = 1; first <= 201; first += 100) {
      appendValues(dim, "buyer_id", LongStream.range(first, first + 100).boxed());
    }
    Schema codes = new Schema(Types.NestedField.required(1, "code", Types.StringType.get()));
    TableRef statuses = new TableRef(namespace, "dim_sliced_status");
    Table status =
        catalog.createTable(statuses.toIdentifier(), codes, PartitionSpec.unpartitioned());
    appendValues(status, "code", java.util.stream.Stream.of("placed", "paid", "shipped"));
    appendValues(status, "code", java.util.stream.Stream.of("delivered", "cancelled"));
    // 400 orders in two files; every 20th buyer past the dimension and every 50th status unknown,
    // values spread over the value space so that several passes find some
    TableRef ref = newTable(Map.of("format-version", "2"));
    Table table = catalog.loadTable(ref.toIdentifier());
    List<DataFile> files = new ArrayList<>();
    for (int f = 0; f < 2; f++) {
      List<Record> rows = Orders.rows(1 + f * 200, 200, Orders.now());
      for (Record row : rows) {
        long id = (Long) row.getField("order_id");
        row.setField("buyer_id", id % 20 == 0 ? 1_000L + id : 1 + id % 300);
        row.setField("status", id % 50 == 0 ? "lost-" + id % 3 : row.getField("status"));
      }
      files.add(Orders.write(table, rows));
      table.newAppend().appendFile(files.get(f)).commit();
    }
    Suite suite =
        suite(
            ref,
            """
            - references: {column: buyer_id, table: %s}
            - references: {column: status, table: %s, to-column: code}
            """
                .formatted(buyerIds, statuses));
    QualityConfig small = config.withKeyMemory(1024);

    // all 300 buyers at 32 bytes need 9,600 bytes: 16 slices of 1 KB; five codes at 128 bytes, 1
    Verdict full =
        assertSlicedLikeOnePass(
            ref,
            suite,
            small,
            false,
            Map.of("references(buyer_id)", 16, "references(status)", 1),
            VALUES_LOOKED_UP);
    CheckResult buyers = full.result("references(buyer_id)").orElseThrow();
    assertThat(buyers.failingRows()).isEqualTo(20);
    assertThat(buyers.samples()).hasSize(config.samples());
    assertThat(full.result("references(status)").orElseThrow().failingRows()).isEqualTo(8);

    // an incremental check looks up the 10 added rows' buyers: 10 at 96 + 32 bytes, 2 slices
    List<Record> added = Orders.rows(401, 10, Orders.now());
    for (int i = 0; i < added.size(); i++) {
      added.get(i).setField("buyer_id", i < 7 ? 100L + i : 5_000L + i);
    }
    Orders.append(table, "main", added);
    Verdict incremental =
        assertSlicedLikeOnePass(
            ref,
            suite,
            small,
            true,
            Map.of("references(buyer_id)", 2, "references(status)", 1),
            VALUES_LOOKED_UP);
    buyers = incremental.result("references(buyer_id)").orElseThrow();
    assertThat(buyers.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(buyers.failingRows()).isEqualTo(23);

    // deletes make the next check a full one with them applied: every buyer read, 16 slices
    table.newRowDelta().addDeletes(positionDeletes(table, 2, files.get(0), 19, 39)).commit();
    Verdict deleted =
        assertSlicedLikeOnePass(
            ref,
            suite,
            small,
            true,
            Map.of("references(buyer_id)", 16, "references(status)", 1),
            VALUES_LOOKED_UP);
    assertThat(deleted.result("references(buyer_id)").orElseThrow().failingRows()).isEqualTo(21);
  }

  @Test
  void referencesCheckOnlyThePublishedSnapshotOfTheOtherTable() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    Orders.append(table, "main", Orders.rows(1, 20, Orders.now()));
    // a buyer that exists only on an unpublished branch of the dimension does not count
    Table dim = catalog.loadTable(buyers.toIdentifier());
    org.apache.iceberg.data.GenericRecord extra =
        org.apache.iceberg.data.GenericRecord.create(Orders.BUYERS);
    extra.setField("buyer_id", 777L);
    Orders.append(dim, "audit_dim", List.of(extra));
    List<Record> rows = Orders.rows(21, 5, Orders.now());
    rows.get(0).setField("buyer_id", 777L);
    Orders.append(table, "audit_y", rows);
    CheckResult result =
        check(
                ref,
                suite(ref, "- references: {column: buyer_id, table: %s}".formatted(buyers)),
                "audit_y")
            .result("references(buyer_id)")
            .orElseThrow();
    assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(result.failingRows()).isEqualTo(1);
    assertThat(result.samples()).containsExactly("777");
  }

  @Test
  void anIncrementalReferencesCheckReadsOnlyTheReferencedFilesThatCanHoldTheAddedValues() {
    // 300 buyers in three files of 100 ids each
    TableRef dimension = new TableRef(namespace, "dim_buyer_ranges");
    Table dim =
        catalog.createTable(dimension.toIdentifier(), Orders.BUYERS, PartitionSpec.unpartitioned());
    List<DataFile> ranges = new ArrayList<>();
    for (long first = 1; first <= 201; first += 100) {
      ranges.add(appendValues(dim, "buyer_id", LongStream.range(first, first + 100).boxed()));
    }
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    List<Record> published = Orders.rows(1, 1_000, Orders.now());
    published.forEach(r -> r.setField("buyer_id", 1 + (Long) r.getField("order_id") % 300));
    Orders.append(table, "main", published);
    Suite suite = suite(ref, "- references: {column: buyer_id, table: %s}".formatted(dimension));
    assertThat(failing(incremental(ref, suite))).isEmpty();

    List<Record> added = Orders.rows(1_001, 10, Orders.now());
    for (int i = 0; i < added.size(); i++) {
      added.get(i).setField("buyer_id", 150L + i);
    }
    added.get(9).setField("buyer_id", 999L);
    Orders.append(table, "main", added);
    // the added buyers can only be in the middle file: the other two leave the storage
    dim.io().deleteFile(ranges.get(0).location());
    dim.io().deleteFile(ranges.get(2).location());

    CheckResult result = incremental(ref, suite).result("references(buyer_id)").orElseThrow();
    assertThat(result.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(result.failingRows()).isEqualTo(1);
    assertThat(result.samples()).containsExactly("999");
    // a full check looks up 1,010 rows' buyers among 300: it reads them all, and cannot
    CheckResult full = check(ref, suite, "main").result("references(buyer_id)").orElseThrow();
    assertThat(full.status()).isEqualTo(CheckStatus.ERROR);
    assertThat(full.message()).contains(dim.location());
  }

  @Test
  void referencedStringsAreLookedUpOnlyInFilesWhoseBoundsCanHoldThem() {
    Schema codes = new Schema(Types.NestedField.required(1, "code", Types.StringType.get()));
    TableRef dimension = new TableRef(namespace, "dim_status");
    Table dim = catalog.createTable(dimension.toIdentifier(), codes, PartitionSpec.unpartitioned());
    DataFile early =
        appendValues(dim, "code", java.util.stream.Stream.of("cancelled", "delivered"));
    appendValues(dim, "code", java.util.stream.Stream.of("paid", "placed", "shipped"));
    appendValues(
        dim, "code", java.util.stream.IntStream.range(0, 50).mapToObj(i -> "z%03d".formatted(i)));
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    Orders.append(table, "main", Orders.rows(1, 100, Orders.now()));
    Suite suite =
        suite(
            ref, "- references: {column: status, table: %s, to-column: code}".formatted(dimension));
    assertThat(failing(incremental(ref, suite))).isEmpty();

    List<Record> added = Orders.rows(101, 8, Orders.now());
    for (int i = 0; i < added.size(); i++) {
      added.get(i).setField("status", i % 2 == 0 ? "paid" : "placed");
    }
    // between the bounds of the first file and those of the second: in neither
    added.get(7).setField("status", "lost");
    Orders.append(table, "main", added);
    dim.io().deleteFile(early.location());

    CheckResult result = incremental(ref, suite).result("references(status)").orElseThrow();
    assertThat(result.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(result.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(result.failingRows()).isEqualTo(1);
    assertThat(result.samples()).containsExactly("lost");
  }

  @Test
  void longStringKeysAreFoundThoughTheirFilesBoundsAreTruncated() {
    // keys of 30 characters: a file's bounds keep 16, the upper one rounded up
    Schema keys = new Schema(Types.NestedField.required(1, "code", Types.StringType.get()));
    TableRef dimension = new TableRef(namespace, "dim_long_codes");
    Table dim = catalog.createTable(dimension.toIdentifier(), keys, PartitionSpec.unpartitioned());
    for (String prefix : List.of("customer-account-a-", "customer-account-b-")) {
      appendValues(
          dim,
          "code",
          java.util.stream.IntStream.range(0, 50)
              .mapToObj(i -> prefix + "%011d".formatted(99_999_999_999L - i)));
    }
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    Suite suite =
        suite(ref, "- references: {column: note, table: %s, to-column: code}".formatted(dimension));
    List<Record> first = Orders.rows(1, 2, Orders.now());
    first.forEach(r -> r.setField("note", "customer-account-a-99999999999"));
    Orders.append(table, "main", first);
    assertThat(failing(incremental(ref, suite))).isEmpty();

    // the largest and smallest keys of the second file, and one just past its largest
    List<Record> added = Orders.rows(3, 3, Orders.now());
    added.get(0).setField("note", "customer-account-b-99999999999");
    added.get(1).setField("note", "customer-account-b-99999999950");
    added.get(2).setField("note", "customer-account-b-999999999990");
    Orders.append(table, "main", added);

    CheckResult result = incremental(ref, suite).result("references(note)").orElseThrow();
    assertThat(result.source()).isEqualTo(MetricSource.INCREMENTAL);
    assertThat(result.failingRows()).isEqualTo(1);
    assertThat(result.samples()).containsExactly("customer-account-b-999999999990");
  }

  /** Appends {@code values} of a one-column table's {@code column} as one file. */
  private static DataFile appendValues(
      Table table, String column, java.util.stream.Stream<?> values) {
    List<Record> rows = new ArrayList<>();
    values.forEach(
        value -> {
          GenericRecord row = GenericRecord.create(table.schema());
          row.setField(column, value);
          rows.add(row);
        });
    DataFile file = Orders.write(table, rows);
    table.newAppend().appendFile(file).commit();
    return file;
  }

  @Test
  void theSameSnapshotGetsTheSameQuantilesEveryTime() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    for (int file = 0; file < 6; file++) {
      Orders.append(table, "main", Orders.rows(1 + file * 3_000L, 3_000, Orders.now()));
    }
    Suite suite =
        suite(
            ref,
            "- median: {column: order_id, min: 1}\n"
                + "- quantile: {column: order_id, quantile: 0.9, min: 1}");

    Set<List<Double>> seen = new HashSet<>();
    for (int run = 0; run < 3; run++) {
      Verdict verdict = check(ref, suite, "main");
      seen.add(verdict.results().stream().map(r -> r.metric().orElseThrow()).toList());
    }

    // files are read in parallel and finish in any order; the sketches still agree
    assertThat(seen).hasSize(1);
    List<Double> quantiles = seen.iterator().next();
    assertThat(quantiles.get(0)).isCloseTo(9_000, within(18_000 * 0.02));
    assertThat(quantiles.get(1)).isCloseTo(16_200, within(18_000 * 0.02));
  }

  @Test
  void changeAndAnomalyChecksMeasureInTheSuitesOwnPassAndKeepItsStoredStates() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    appendThousandOrdersInFourFiles(table, now);
    Suite suite =
        suite(
            ref,
            """
            - unique: order_id
            - not-null: [buyer_id]
            - mean: {column: revenue, max: 100000}
            - change: {metric: mean, column: revenue, max-delta-pct: 50}
            - anomaly: {metric: sum, column: revenue}
            """);
    Verdict published = incremental(ref, suite);
    assertThat(published.result("change(mean(revenue))").orElseThrow().metric()).hasValue(0);
    table.refresh();
    long main = table.currentSnapshot().snapshotId();

    // an audit branch on top of main: the change compares with main's stored states, which no
    // measurement of either snapshot replaces with its own few
    Orders.append(table, "audit_a", Orders.rows(1001, 100, now));
    Verdict full =
        QualityGate.check(catalog, ref).suite(suite).config(config).branch("audit_a").execute();
    Verdict audited = incremental(ref, suite, "audit_a");
    assertThat(sources(audited))
        .containsOnly(
            Map.entry("unique(order_id)", MetricSource.INCREMENTAL),
            Map.entry("not-null(buyer_id)", MetricSource.INCREMENTAL),
            Map.entry("mean(revenue)", MetricSource.INCREMENTAL),
            Map.entry("change(mean(revenue))", MetricSource.INCREMENTAL),
            Map.entry("anomaly(sum(revenue))", MetricSource.INCREMENTAL));
    assertThat(sources(full))
        .containsValue(MetricSource.SCAN)
        .doesNotContainValue(MetricSource.INCREMENTAL);
    for (String check :
        List.of("mean(revenue)", "change(mean(revenue))", "anomaly(sum(revenue))")) {
      assertThat(audited.result(check).orElseThrow().metric().getAsDouble())
          .as(check)
          .isCloseTo(full.result(check).orElseThrow().metric().getAsDouble(), within(1e-9));
      assertThat(audited.result(check).orElseThrow().message())
          .as(check)
          .isEqualTo(full.result(check).orElseThrow().message());
    }
    assertThat(audited.result("change(mean(revenue))").orElseThrow().message())
        .endsWith("against published snapshot " + main);

    // the audited snapshot's states serve the next append on its branch in full, and main's
    // serve another branch of its own
    Orders.append(table, "audit_a", Orders.rows(1101, 100, now));
    Verdict next = incremental(ref, suite, "audit_a");
    assertThat(next.basis()).contains("from audited snapshot " + audited.snapshotId());
    assertThat(sources(next)).containsOnlyKeys(sources(audited).keySet());
    assertThat(sources(next).values()).containsOnly(MetricSource.INCREMENTAL);
    table.refresh();
    table.manageSnapshots().createBranch("audit_b", main).commit();
    Orders.append(table, "audit_b", Orders.rows(2001, 100, now));
    Verdict other = incremental(ref, suite, "audit_b");
    assertThat(other.basis()).contains("from audited snapshot " + main);
    assertThat(sources(other).values()).containsOnly(MetricSource.INCREMENTAL);
  }

  @Test
  void aChangeAgainstAnEmptyMainDoesNotApplyYet() {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    // main published, but empty: an append of no files is a snapshot of no rows
    table.newAppend().commit();
    Orders.append(table, "audit_first", Orders.rows(1, 10, Orders.now()));

    Verdict verdict =
        check(
            ref,
            suite(
                ref,
                "- change: {metric: row-count, max-delta-pct: 50}\n"
                    + "- change: {metric: mean, column: revenue, max-delta-pct: 50}"),
            "audit_first");

    assertThat(verdict.passed()).isTrue();
    CheckResult rows = verdict.result("change(row-count)").orElseThrow();
    assertThat(rows.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    assertThat(rows.message())
        .startsWith("row-count was 0 on published snapshot ")
        .endsWith(" and is 10 now: a change from 0 has no percentage");
    CheckResult mean = verdict.result("change(mean(revenue))").orElseThrow();
    assertThat(mean.status()).isEqualTo(CheckStatus.NOT_APPLICABLE);
    assertThat(mean.message())
        .startsWith("published snapshot ")
        .contains(" has no mean(revenue) to compare with (");
  }

  @Test
  void freshnessFailsWhenNoRowHasATimestampWithTheThresholdAStaleTableGets() {
    OffsetDateTime now = Orders.now();
    Suite suite = suite(newTable(Map.of()), "- freshness: {column: order_ts, max-age: 1d}");
    TableRef stale = suite.table();
    Orders.append(
        catalog.loadTable(stale.toIdentifier()), "main", Orders.rows(1, 10, now.minusDays(3)));
    TableRef empty = newTable(Map.of());
    List<Record> undated = new ArrayList<>(Orders.rows(1, 10, now));
    undated.forEach(row -> row.setField("order_ts", null));
    Orders.append(catalog.loadTable(empty.toIdentifier()), "main", undated);

    CheckResult old = check(stale, suite, "main").results().get(0);
    CheckResult none =
        check(empty, suite(empty, "- freshness: {column: order_ts, max-age: 1d}"), "main")
            .results()
            .get(0);

    assertThat(old.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(none.status()).isEqualTo(CheckStatus.FAIL);
    assertThat(none.message()).isEqualTo("no rows have a value in order_ts");
    assertThat(none.threshold()).isEqualTo(old.threshold()).isEqualTo("<= 86400 s");
  }

  @Test
  void aMissingColumnIsAnErrorThatBlocks() {
    TableRef ref = newTable(Map.of());
    Orders.append(catalog.loadTable(ref.toIdentifier()), "main", Orders.rows(1, 10, Orders.now()));
    Verdict verdict =
        check(ref, suite(ref, "- not-null: [order_idd]\n- predicate: revenu >= 0"), "main");
    assertThat(failing(verdict))
        .containsExactly("not-null(order_idd):ERROR", "predicate(revenu >= 0):ERROR");
    assertThat(verdict.passed()).isFalse();
    assertThat(verdict.results().get(0).message())
        .contains("column 'order_idd' is not in the snapshot's schema");
    assertThat(verdict.results().get(1).message())
        .startsWith("column 'revenu' is not in the snapshot's schema (columns: order_id, ");
    assertThat(verdict.results()).extracting(CheckResult::source).containsOnly(MetricSource.NONE);

    // checks a column of the wrong type, or another table that is not there, cannot answer
    Verdict mistyped =
        check(
            ref,
            suite(
                ref,
                """
                - pattern: {column: order_id, pattern: '[0-9]+'}
                - length: {column: order_ts, max: 3}
                - predicate: "order_id > 0 and status in (1, 2)"
                - references: {column: buyer_id, table: %s.nope}
                - references: {column: buyer_id, table: %s, to-column: buyerid, name: typo}
                """
                    .formatted(namespace, buyers)),
            "main");
    assertThat(mistyped.results()).extracting(CheckResult::status).containsOnly(CheckStatus.ERROR);
    assertThat(mistyped.results())
        .extracting(CheckResult::message)
        .containsExactly(
            "order_id is long; this check needs a string column",
            "order_ts is timestamptz; this check needs a string column",
            "in 'order_id > 0 and status in (1, 2)', status (string) cannot be compared with [1, 2]",
            "the referenced table %s.nope does not exist".formatted(namespace),
            "column 'buyerid' is not in %s's published schema (columns: buyer_id)"
                .formatted(buyers));
  }

  @Test
  void rulesOverDictionaryEncodedColumnsAreDecidedPerDistinctValue() throws Exception {
    // a small dictionary limit: the unique notes fall back to plain pages, the four statuses do not
    TableRef ref = newTable(Map.of("write.parquet.dict-size-bytes", "4096"));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    int rows = (int) ColumnDictionaries.MIN_ROWS + 2_000;
    List<Record> clean = new ArrayList<>(Orders.rows(1, rows, now));
    clean.get(5).setField("status", null);
    clean.get(6).setField("status", null);
    org.apache.iceberg.DataFile cleanFile = Orders.write(table, clean);
    table.newAppend().appendFile(cleanFile).commit();

    RuleFactory rules = new RuleFactory(table.schema(), 5);
    try (ColumnDictionaries dictionaries =
        new ColumnDictionaries(table.io().newInputFile(cleanFile), table.schema())) {
      ColumnDictionaries.Values status = dictionaries.strings("status").orElseThrow();
      assertThat(status.distinct()).containsExactlyInAnyOrderElementsOf(Orders.STATUSES);
      assertThat(status.mayHoldNulls()).isTrue();
      assertThat(dictionaries.strings("note")).as("plain pages after the fallback").isEmpty();
      assertThat(dictionaries.strings("order_id")).as("not a string").isEmpty();

      assertThat(
              rules
                  .acceptedValues("status", Orders.STATUSES)
                  .fromDictionaries(cleanFile, dictionaries))
          .contains(new ViolationState(rows, 0, List.of(), 5));
      assertThat(rules.pattern("status", "[a-z]+").fromDictionaries(cleanFile, dictionaries))
          .contains(new ViolationState(rows, 0, List.of(), 5));
      // a distinct value that breaks the rule, or a column without dictionaries: the rows decide
      assertThat(
              rules
                  .acceptedValues("status", List.of("placed", "paid", "shipped"))
                  .fromDictionaries(cleanFile, dictionaries))
          .isEmpty();
      assertThat(
              rules
                  .length("note", Bounds.between(1, 100))
                  .fromDictionaries(cleanFile, dictionaries))
          .isEmpty();
      // a rule for which null fails is not proven while the column may hold nulls
      ViolationAnalyzer nullFails =
          new ViolationAnalyzer(
              "present(status)",
              List.of("status"),
              projection ->
                  (row, raw) ->
                      row.get(0, Object.class) == null
                          ? java.util.Optional.of("null")
                          : java.util.Optional.empty(),
              java.util.Optional.empty(),
              5,
              List.of());
      assertThat(nullFails.fromDictionaries(cleanFile, dictionaries)).isEmpty();
      // a distinct-count sketch of the dictionaries' values is the sketch of every row's value
      SketchState distinct =
          (SketchState)
              new SketchAnalyzer("status", false)
                  .fromDictionaries(cleanFile, dictionaries)
                  .orElseThrow();
      assertThat(distinct.distinctEstimate()).isEqualTo(4.0);
      assertThat(new SketchAnalyzer("note", false).fromDictionaries(cleanFile, dictionaries))
          .isEmpty();
    }

    // a second file with a value outside the accepted ones: that file is read, its rows counted
    List<Record> broken = new ArrayList<>(Orders.rows(rows + 1, rows, now));
    for (int i : new int[] {10, 20, 30}) {
      broken.get(i).setField("status", "lost");
    }
    table.newAppend().appendFile(Orders.write(table, broken)).commit();
    Verdict verdict =
        check(
            ref,
            suite(
                ref,
                """
                - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
                - pattern: {column: status, pattern: '[a-z]+'}
                - length: {column: status, min: 4, max: 9}
                - distinct-count: {column: status, min: 5, max: 5}
                """),
            "main");
    assertThat(failing(verdict)).containsExactly("accepted-values(status):FAIL");
    CheckResult accepted = verdict.result("accepted-values(status)").orElseThrow();
    assertThat(accepted.failingRows()).isEqualTo(3);
    assertThat(accepted.samples()).containsExactly("lost");
    // placed, paid, shipped, delivered and lost: the clean file's sketch from its dictionaries,
    // the broken file's from its dictionaries too (a sketch does not judge values)
    assertThat(verdict.result("distinct-count(status)").orElseThrow().metric()).hasValue(5);
    assertThat(verdict.results()).allMatch(r -> r.source() == MetricSource.SCAN);
  }

  @Test
  void dictionariesOfFilesReadAtOnceEachUseTheirOwnDecompressor() throws Exception {
    // the scanner reads files on several threads: a gzip decompressor shared between two readers
    // is inflating one file's dictionary while another reader uses it, or ends it as it closes
    TableRef ref = newTable(Map.of("write.parquet.compression-codec", "gzip"));
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    int rows = (int) ColumnDictionaries.MIN_ROWS;
    List<org.apache.iceberg.DataFile> files = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      files.add(Orders.write(table, Orders.rows(1 + i * rows, rows, now)));
    }
    java.util.concurrent.ExecutorService threads =
        java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      List<java.util.concurrent.Future<Set<String>>> reads = new ArrayList<>();
      for (int round = 0; round < 50; round++) {
        for (org.apache.iceberg.DataFile file : files) {
          reads.add(
              threads.submit(
                  () -> {
                    try (ColumnDictionaries dictionaries =
                        new ColumnDictionaries(table.io().newInputFile(file), table.schema())) {
                      return dictionaries.strings("status").orElseThrow().distinct();
                    }
                  }));
        }
      }
      for (java.util.concurrent.Future<Set<String>> read : reads) {
        assertThat(read.get()).containsExactlyInAnyOrderElementsOf(Orders.STATUSES);
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void avroDataFilesAreReadLikeParquetOnes() throws Exception {
    TableRef ref = newTable(Map.of());
    Table table = catalog.loadTable(ref.toIdentifier());
    OffsetDateTime now = Orders.now();
    // big enough that a Parquet file would be asked for its dictionaries first
    int rows = (int) ColumnDictionaries.MIN_ROWS;
    List<Record> avroRows = new ArrayList<>(Orders.rows(1, rows, now));
    avroRows.get(7).setField("status", "lost");
    var append = table.newAppend();
    io.floe.catalog.RecordFiles.write(table, avroRows, org.apache.iceberg.FileFormat.AVRO)
        .forEach(append::appendFile);
    append.appendFile(Orders.write(table, Orders.rows(rows + 1, 100, now)));
    append.commit();

    Verdict verdict =
        check(
            ref,
            suite(
                ref,
                """
                - row-count: {min: 10100, max: 10100}
                - accepted-values: {column: status, values: [placed, paid, shipped, delivered]}
                - unique: {columns: [order_id]}
                """),
            "main");

    assertThat(failing(verdict)).containsExactly("accepted-values(status):FAIL");
    CheckResult accepted = verdict.result("accepted-values(status)").orElseThrow();
    assertThat(accepted.failingRows()).isEqualTo(1);
    assertThat(accepted.samples()).containsExactly("lost");
    assertThat(verdict.result("unique(order_id)").orElseThrow().status())
        .isEqualTo(CheckStatus.PASS);
  }

  static String mainRef() {
    return Refs.MAIN;
  }

  /**
   * A file written before a column was renamed, promoted (int to long, float to double, a wider
   * decimal) or added is read by field id with the current types, its missing column as nulls; its
   * bounds still answer min and max; and states stored before the change merge with those of files
   * written after, so an incremental check agrees with a full one.
   */
  @Test
  void filesWrittenBeforeASchemaChangeAreCheckedWithTheCurrentSchema() {
    TableRef ref = new TableRef(namespace, "evolved_" + (++tables));
    org.apache.iceberg.Schema before =
        new org.apache.iceberg.Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "qty", Types.IntegerType.get()),
            Types.NestedField.optional(3, "price", Types.FloatType.get()),
            Types.NestedField.optional(4, "amount", Types.DecimalType.of(9, 2)),
            Types.NestedField.optional(5, "label", Types.StringType.get()));
    Table table =
        catalog.createTable(
            ref.toIdentifier(), before, org.apache.iceberg.PartitionSpec.unpartitioned());
    List<Record> old = new ArrayList<>();
    for (long id = 1; id <= 100; id++) {
      Record row = org.apache.iceberg.data.GenericRecord.create(before);
      row.setField("id", id);
      row.setField("qty", (int) id);
      row.setField("price", id % 2 == 0 ? 1.5f : 0.5f);
      row.setField("amount", new BigDecimal("10.25"));
      row.setField("label", id % 2 == 0 ? "even" : "odd");
      old.add(row);
    }
    table.newAppend().appendFile(Orders.write(table, old)).commit();
    Suite common =
        suite(
            ref,
            """
            - unique: id
            - unique: qty
            - min: {column: qty, min: 1}
            - max: {column: qty, max: 10000000000}
            - mean: {column: price, min: 1, max: 3}
            - median: {column: price, min: 1}
            - sum: {column: amount, min: 0}
            - distinct-count: {column: qty, min: 1}
            - distinct-count: {column: price, min: 1}
            - distinct-count: {column: amount, min: 1}
            """);
    incremental(ref, common);

    table
        .updateSchema()
        .renameColumn("label", "category")
        .updateColumn("qty", Types.LongType.get())
        .updateColumn("price", Types.DoubleType.get())
        .updateColumn("amount", Types.DecimalType.of(18, 2))
        .addColumn("discount", Types.DoubleType.get())
        .commit();
    table.refresh();
    List<Record> rows = new ArrayList<>();
    for (long id = 101; id <= 300; id++) {
      // ids 201-300 repeat the older file's quantities, prices and amounts in the wider types
      boolean repeat = id > 200;
      Record row = org.apache.iceberg.data.GenericRecord.create(table.schema());
      row.setField("id", id);
      row.setField("qty", repeat ? id % 100 + 1 : 5_000_000_000L + id);
      row.setField("price", repeat ? (id % 2 == 0 ? 1.5d : 0.5d) : 2.5d);
      row.setField("amount", new BigDecimal(repeat ? "10.25" : "1000000000.25"));
      row.setField("category", "big");
      row.setField("discount", 0.1d);
      rows.add(row);
    }
    table.newAppend().appendFile(Orders.write(table, rows)).commit();

    Verdict incremental = incremental(ref, common);
    Verdict full = check(ref, common, "main");
    assertSameResults(incremental, full);
    assertThat(incremental.results())
        .extracting(CheckResult::source)
        .containsOnly(MetricSource.INCREMENTAL);
    assertThat(failing(full)).containsExactly("unique(qty):FAIL");
    assertThat(full.result("unique(qty)").orElseThrow().failingRows()).isEqualTo(100);
    assertThat(full.result("distinct-count(qty)").orElseThrow().metric().getAsDouble())
        .isEqualTo(200);
    assertThat(full.result("distinct-count(price)").orElseThrow().metric().getAsDouble())
        .isEqualTo(3);
    assertThat(full.result("distinct-count(amount)").orElseThrow().metric().getAsDouble())
        .isEqualTo(2);
    assertThat(full.result("mean(price)").orElseThrow().metric().getAsDouble())
        .isCloseTo(1.5, within(1e-9));
    assertThat(full.result("sum(amount)").orElseThrow().metric().getAsDouble())
        .isEqualTo(100_000_002_075.0);
    assertThat(full.result("max(qty)").orElseThrow().metric().getAsDouble())
        .isEqualTo(5_000_000_200.0);
    assertThat(sources(full))
        .containsEntry("min(qty)", MetricSource.METADATA)
        .containsEntry("max(qty)", MetricSource.METADATA);

    // the renamed and the added column: the older file's rows have no discount
    Verdict renamed =
        check(
            ref,
            suite(
                ref,
                """
                - accepted-values: {column: category, values: [odd, even, big]}
                - not-null: {column: discount, max-fraction: 0.4, name: mostly-discounted}
                - not-null: discount
                """),
            "main");
    assertThat(failing(renamed)).containsExactly("not-null(discount):FAIL");
    assertThat(renamed.result("not-null(discount)").orElseThrow().failingRows()).isEqualTo(100);
    assertThat(renamed.result("mostly-discounted").orElseThrow().metric().getAsDouble())
        .isCloseTo(1 / 3.0, within(1e-9));
  }

  /**
   * A column dropped and then added again under its old name is another column (another field id):
   * the rows written before hold no value of it, and the states stored for the old column are not
   * merged into the new one's.
   */
  @Test
  void aColumnAddedUnderADroppedColumnsNameIsNotMergedWithItsStoredStates() {
    TableRef ref = new TableRef(namespace, "readded_" + (++tables));
    org.apache.iceberg.Schema before =
        new org.apache.iceberg.Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "price", Types.DoubleType.get()));
    Table table =
        catalog.createTable(
            ref.toIdentifier(), before, org.apache.iceberg.PartitionSpec.unpartitioned());
    java.util.function.BiFunction<Long, Double, Record> row =
        (id, price) -> {
          Record r = org.apache.iceberg.data.GenericRecord.create(table.schema());
          r.setField("id", id);
          r.setField("price", price);
          return r;
        };
    table
        .newAppend()
        .appendFile(
            Orders.write(
                table,
                LongStream.range(0, 100).mapToObj(id -> row.apply(id, 1000.0 + id)).toList()))
        .commit();
    Suite suite =
        suite(
            ref,
            """
            - mean: {column: price, max: 100}
            - max: {column: price, max: 100}
            - distinct-count: {column: price, max: 10}
            - not-null: {column: price, max-fraction: 0.75}
            """);
    assertThat(failing(incremental(ref, suite))).hasSize(3);

    table.updateSchema().deleteColumn("price").commit();
    table.updateSchema().addColumn("price", Types.DoubleType.get()).commit();
    table.refresh();
    table
        .newAppend()
        .appendFile(
            Orders.write(
                table, LongStream.range(100, 200).mapToObj(id -> row.apply(id, 5.0)).toList()))
        .commit();

    Verdict incremental = incremental(ref, suite);
    Verdict full = check(ref, suite, "main");
    assertThat(failing(full)).isEmpty();
    assertThat(full.result("mean(price)").orElseThrow().metric().getAsDouble()).isEqualTo(5.0);
    assertThat(full.result("not-null(price)").orElseThrow().metric().getAsDouble()).isEqualTo(0.5);
    assertSameResults(incremental, full);
  }

  /**
   * Every primitive type a check can name (format 3's nanosecond timestamps too) is hashed for
   * uniqueness and distinct counts, bounded by min and max, and agrees between a full and an
   * incremental check.
   */
  @Test
  void everyPrimitiveTypeIsCheckedAlikeInFullAndIncrementally() {
    TableRef ref = new TableRef(namespace, "types_" + (++tables));
    org.apache.iceberg.Schema schema =
        new org.apache.iceberg.Schema(
            Types.NestedField.required(1, "id", Types.LongType.get()),
            Types.NestedField.optional(2, "b", Types.BooleanType.get()),
            Types.NestedField.optional(3, "d", Types.DateType.get()),
            Types.NestedField.optional(4, "t", Types.TimeType.get()),
            Types.NestedField.optional(5, "ts", Types.TimestampType.withoutZone()),
            Types.NestedField.optional(6, "tsz", Types.TimestampType.withZone()),
            Types.NestedField.optional(7, "tsn", Types.TimestampNanoType.withoutZone()),
            Types.NestedField.optional(8, "u", Types.UUIDType.get()),
            Types.NestedField.optional(9, "f", Types.FixedType.ofLength(4)),
            Types.NestedField.optional(10, "bin", Types.BinaryType.get()),
            Types.NestedField.optional(11, "dbl", Types.DoubleType.get()));
    Table table =
        catalog.createTable(
            ref.toIdentifier(),
            schema,
            org.apache.iceberg.PartitionSpec.unpartitioned(),
            Map.of(TableProperties.FORMAT_VERSION, "3"));
    // ids 50-99, appended second, repeat the values of ids 0-49
    java.util.function.LongFunction<Record> row =
        id -> {
          Record r = org.apache.iceberg.data.GenericRecord.create(schema);
          long v = id % 50;
          java.time.LocalDateTime start = java.time.LocalDateTime.of(2026, 1, 1, 0, 0);
          r.setField("id", id);
          r.setField("b", v % 2 == 0);
          r.setField("d", start.toLocalDate().plusDays(v));
          r.setField("t", java.time.LocalTime.of(1, 0).plusSeconds(v));
          r.setField("ts", start.plusSeconds(v));
          r.setField("tsz", start.plusSeconds(v).atOffset(java.time.ZoneOffset.UTC));
          r.setField("tsn", start.plusNanos(v));
          r.setField("u", new java.util.UUID(7, v));
          r.setField("f", new byte[] {1, 2, 3, (byte) v});
          r.setField("bin", java.nio.ByteBuffer.wrap(new byte[] {9, (byte) v}));
          r.setField("dbl", v / 4.0);
          return r;
        };
    List<String> columns = List.of("b", "d", "t", "ts", "tsz", "tsn", "u", "f", "bin", "dbl");
    StringBuilder checks = new StringBuilder();
    for (String column : columns) {
      checks.append(
          "- unique: %s%n- distinct-count: {column: %s, min: 1}%n".formatted(column, column));
    }
    Map<String, List<String>> bounds =
        Map.of(
            "d", List.of("2026-01-01", "2026-02-19"),
            "t", List.of("01:00:00", "01:00:49"),
            "ts", List.of("2026-01-01T00:00:00", "2026-01-01T00:00:49"),
            "tsz", List.of("2026-01-01T00:00:00Z", "2026-01-01T00:00:49Z"),
            "tsn", List.of("2026-01-01T00:00:00", "2026-01-01T00:00:00.000000049"),
            "dbl", List.of("0", "12.25"));
    bounds.forEach(
        (column, range) ->
            checks.append(
                "- min: {column: %s, min: '%s'}%n- max: {column: %s, max: '%s'}%n"
                    .formatted(column, range.get(0), column, range.get(1))));
    Suite suite = suite(ref, checks.toString());
    List<Record> rows = LongStream.range(0, 50).mapToObj(row).toList();
    table.newAppend().appendFile(Orders.write(table, rows)).commit();
    assertThat(failing(incremental(ref, suite))).containsExactly("unique(b):FAIL");
    table
        .newAppend()
        .appendFile(Orders.write(table, LongStream.range(50, 100).mapToObj(row).toList()))
        .commit();

    Verdict incremental = incremental(ref, suite);
    Verdict full = check(ref, suite, "main");

    for (String column : columns) {
      for (Verdict verdict : List.of(incremental, full)) {
        CheckResult unique = verdict.result("unique(%s)".formatted(column)).orElseThrow();
        assertThat(unique.status()).as(unique.check().name()).isEqualTo(CheckStatus.FAIL);
        assertThat(unique.failingRows())
            .as(unique.check().name())
            .isEqualTo(column.equals("b") ? 98 : 50);
        CheckResult distinct = verdict.result("distinct-count(%s)".formatted(column)).orElseThrow();
        assertThat(distinct.metric().getAsDouble())
            .as(distinct.check().name())
            .isEqualTo(column.equals("b") ? 2 : 50);
      }
    }
    assertSameResults(incremental, full);
    // the audited snapshot held duplicate booleans, so that check hashed every row again
    assertThat(incremental.results())
        .filteredOn(r -> !r.check().name().equals("unique(b)"))
        .extracting(CheckResult::source)
        .containsOnly(MetricSource.INCREMENTAL);
    assertThat(incremental.result("unique(b)").orElseThrow().source()).isEqualTo(MetricSource.SCAN);
    assertThat(failing(full)).hasSize(columns.size());
  }

  /**
   * An incremental verdict has the results of the full one: each check's status, metric (to
   * rounding), failing rows and message.
   */
  private static void assertSameResults(Verdict incremental, Verdict full) {
    assertThat(incremental.results()).hasSameSizeAs(full.results());
    for (CheckResult all : full.results()) {
      String name = all.check().name();
      CheckResult inc = incremental.result(name).orElseThrow();
      assertThat(inc.status()).as(name).isEqualTo(all.status());
      assertThat(inc.metric().isPresent()).as(name).isEqualTo(all.metric().isPresent());
      if (all.metric().isPresent()) {
        assertThat(inc.metric().getAsDouble())
            .as(name)
            .isCloseTo(all.metric().getAsDouble(), within(1e-9));
      }
      assertThat(inc.failingRows()).as(name).isEqualTo(all.failingRows());
      assertThat(inc.message()).as(name).isEqualTo(all.message());
    }
  }
}
