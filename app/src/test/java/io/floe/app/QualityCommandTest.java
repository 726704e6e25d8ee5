package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.app.pipeline.ExampleSuites;
import io.floe.app.pipeline.PublishOutcome;
import io.floe.app.pipeline.Publisher;
import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import io.floe.quality.QualityConfig;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import io.floe.stack.StackEndpoints;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import io.floe.trino.QueryRows;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.DataFile;
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

/** {@code floe check} and {@code floe publish} through the command line, against the stack. */
@ExtendWith(LakehouseExtension.class)
class QualityCommandTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "avg_revenue", Types.DoubleType.get()));

  @TempDir Path dir;

  @Test
  void checkAndPublishExitCodesReportsAndMain(Lakehouse lakehouse) throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String namespace = lakehouse.namespace();
    TableRef ref = new TableRef(namespace, "order_report");
    Table table;
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      catalog.createNamespace(Namespace.of(namespace));
      table = catalog.createTable(ref.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
      append(table, Refs.MAIN, rows(1, 10, 50.0));
      table.refresh();
      table
          .manageSnapshots()
          .createBranch("audit_good", table.currentSnapshot().snapshotId())
          .commit();
      append(table, "audit_good", rows(11, 5, 70.0));
      table
          .manageSnapshots()
          .createBranch("audit_bad", table.currentSnapshot().snapshotId())
          .commit();
      append(table, "audit_bad", rows(16, 5, 250_000.0));
    }
    Path config = dir.resolve("floe.yaml");
    Files.writeString(
        config,
        endpoints.externalConfig()
            + """
            quality: {results-table: %s.q_results, states-table: %s.q_states}
            maintenance: {ledger-namespace: %s_ops}
            tables:
              %s:
                quality:
                  checks:
                    - unique: order_id
                    - max: {column: avg_revenue, max: 100000}
            """
                .formatted(namespace, namespace, namespace, ref));
    String[] global = {"--config", config.toString(), "--home", dir.resolve("home").toString()};

    FloeCommandTest.Outcome main = FloeCommandTest.floe(global, "check", ref.toString());
    assertThat(main.exitCode()).as(main.err()).isZero();
    assertThat(main.out()).contains("PASS", "max(avg_revenue)", "verdict: PASS", "report: ");
    assertThat(Files.list(dir.resolve("home").resolve("reports"))).isNotEmpty();

    FloeCommandTest.Outcome bad =
        FloeCommandTest.floe(global, "check", ref.toString(), "--branch", "audit_bad");
    assertThat(bad.exitCode()).isEqualTo(1);
    assertThat(bad.out())
        .contains(
            "FAIL",
            "max(avg_revenue) = 250000, expected <= 100000",
            "verdict: FAIL (2 checks, 1 blocking: max(avg_revenue))");

    FloeCommandTest.Outcome asJson =
        FloeCommandTest.floe(global, "check", ref.toString(), "--branch", "audit_bad", "--json");
    assertThat(asJson.exitCode()).isEqualTo(1);
    JsonNode verdict = new ObjectMapper().readTree(asJson.out());
    assertThat(verdict.get("table").asText()).isEqualTo(ref.toString());
    assertThat(verdict.get("ref").asText()).isEqualTo("audit_bad");
    assertThat(verdict.get("passed").asBoolean()).isFalse();
    assertThat(verdict.get("blocking").asInt()).isEqualTo(1);
    assertThat(verdict.get("results")).hasSize(2);
    JsonNode max = verdict.get("results").get(1);
    assertThat(max.get("check").asText()).isEqualTo("max(avg_revenue)");
    assertThat(max.get("status").asText()).isEqualTo("FAIL");
    assertThat(max.get("metric").asDouble()).isEqualTo(250_000.0);
    assertThat(max.get("blocks").asBoolean()).isTrue();
    assertThat(verdict.get("results").get(0).get("status").asText()).isEqualTo("PASS");

    FloeCommandTest.Outcome ambiguous = FloeCommandTest.floe(global, "publish", ref.toString());
    assertThat(ambiguous.exitCode()).isEqualTo(2);
    assertThat(ambiguous.err()).contains("several audit branches (audit_bad, audit_good)");

    long mainBefore = snapshotOf(endpoints, ref, Refs.MAIN);
    FloeCommandTest.Outcome rejected =
        FloeCommandTest.floe(global, "publish", ref.toString(), "--branch", "audit_bad");
    assertThat(rejected.exitCode()).isEqualTo(1);
    assertThat(rejected.out()).contains("main untouched");
    assertThat(snapshotOf(endpoints, ref, Refs.MAIN)).isEqualTo(mainBefore);

    FloeCommandTest.Outcome published =
        FloeCommandTest.floe(
            global, "publish", ref.toString(), "--branch", "audit_good", "--incremental", "--json");
    assertThat(published.exitCode()).as(published.out() + published.err()).isZero();
    JsonNode outcome = new ObjectMapper().readTree(published.out());
    assertThat(outcome.get("outcome").asText()).isEqualTo("PUBLISHED");
    assertThat(outcome.get("tag").asText()).startsWith("published-");
    assertThat(outcome.get("verdict").get("passed").asBoolean()).isTrue();
    // main's head was checked above: only the branch's one added file is read
    assertThat(outcome.get("verdict").get("basis").asText())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since".formatted(mainBefore));
    assertThat(outcome.get("message").asText()).contains("published " + ref);
    assertThat(snapshotOf(endpoints, ref, Refs.MAIN))
        .isNotEqualTo(mainBefore)
        .isEqualTo(outcome.get("publishedSnapshot").asLong());

    // Floe's own compaction of main between two audits changes no row: the next publish stays
    // incremental from the audited snapshot, across the rewrite
    long audited = outcome.get("verdict").get("snapshotId").asLong();
    FloeCommandTest.Outcome compacted =
        FloeCommandTest.floe(global, "compact", ref.toString(), "--set", "min-input-files=2");
    assertThat(compacted.exitCode()).as(compacted.err()).isZero();
    assertThat(compacted.out()).contains("2 files -> 1");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      Table compactedTable = catalog.loadTable(ref.toIdentifier());
      compactedTable
          .manageSnapshots()
          .createBranch("audit_next", compactedTable.currentSnapshot().snapshotId())
          .commit();
      append(compactedTable, "audit_next", rows(21, 5, 80.0));
    }
    FloeCommandTest.Outcome next =
        FloeCommandTest.floe(
            global, "publish", ref.toString(), "--branch", "audit_next", "--incremental", "--json");
    assertThat(next.exitCode()).as(next.out() + next.err()).isZero();
    assertThat(new ObjectMapper().readTree(next.out()).get("verdict").get("basis").asText())
        .isEqualTo(
            "incremental from audited snapshot %d, 1 file added since, across 1 rewrite"
                .formatted(audited));

    FloeCommandTest.Outcome usage =
        FloeCommandTest.floe(global, "check", ref.toString(), "--branch", "x", "--snapshot", "1");
    assertThat(usage.exitCode()).isEqualTo(2);
    FloeCommandTest.Outcome noSuite = FloeCommandTest.floe(global, "check", namespace + ".other");
    assertThat(noSuite.exitCode()).isEqualTo(2);
    assertThat(noSuite.err())
        .contains("no quality suite for " + namespace + ".other (suites: ")
        .contains(ref.toString())
        .contains(
            "declare tables.%1$s.other.quality.checks in %2$s, or draft them with floe suggest %1$s.other"
                .formatted(namespace, config));

    // every evaluation's results, appended as Avro files, read back through Trino
    assertThat(
            trino(
                endpoints,
                "SELECT DISTINCT file_format FROM %s.%s.\"q_results$files\""
                    .formatted(endpoints.trinoCatalog(), namespace)))
        .containsExactly("AVRO");
    assertThat(
            trino(
                endpoints,
                "SELECT ref || ' ' || check_name || ' ' || status FROM %s.%s.q_results"
                        .formatted(endpoints.trinoCatalog(), namespace)
                    + " WHERE table_name = '%s' AND status <> 'PASS'".formatted(ref)))
        .containsExactly(
            "audit_bad max(avg_revenue) FAIL",
            "audit_bad max(avg_revenue) FAIL",
            "audit_bad max(avg_revenue) FAIL");

    // results-table mistyped as the checked table itself: the verdict stands, the JSON and stderr
    // say the history was not recorded, and the table is left as it was
    Path mistyped = dir.resolve("mistyped.yaml");
    Files.writeString(
        mistyped, Files.readString(config).replace(namespace + ".q_results", ref.toString()));
    String[] mistypedGlobal = {
      "--config", mistyped.toString(), "--home", dir.resolve("home").toString()
    };
    FloeCommandTest.Outcome unrecorded =
        FloeCommandTest.floe(mistypedGlobal, "check", ref.toString(), "--json");
    assertThat(unrecorded.exitCode()).as(unrecorded.err()).isZero();
    JsonNode unrecordedVerdict = new ObjectMapper().readTree(unrecorded.out());
    assertThat(unrecordedVerdict.get("passed").asBoolean()).isTrue();
    assertThat(unrecordedVerdict.get("warnings")).hasSize(1);
    assertThat(unrecordedVerdict.get("warnings").get(0).asText())
        .contains("the metric history " + ref + " did not record this evaluation");
    assertThat(unrecorded.err().lines())
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .startsWith("floe: warning: the metric history " + ref)
                    .contains("is not a table Floe logs to"));
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      assertThat(
              io.floe.catalog.LogTables.isLogTable(
                  catalog.loadTable(ref.toIdentifier()).properties()))
          .isFalse();
    }
  }

  private static List<String> trino(StackEndpoints endpoints, String sql) throws Exception {
    try (java.sql.Connection trino = endpoints.openTrino();
        java.sql.Statement statement = trino.createStatement()) {
      return QueryRows.read(statement.executeQuery(sql)).lines();
    }
  }

  /**
   * {@code check --all} evaluates main's head of every table with a suite in one process, and names
   * the declared ones it could not check: one not in the catalog (a misspelt name), one with
   * nothing on main yet.
   */
  @Test
  void checkAllEvaluatesEveryTableWithASuiteAndNamesThoseItCannot(Lakehouse lakehouse)
      throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String namespace = lakehouse.namespace() + "_all";
    TableRef good = new TableRef(namespace, "good");
    TableRef bad = new TableRef(namespace, "bad");
    TableRef empty = new TableRef(namespace, "empty");
    TableRef missing = new TableRef(namespace, "missing");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      catalog.createNamespace(Namespace.of(namespace));
      created(catalog, good, rows(1, 10, 50.0));
      created(catalog, bad, rows(1, 10, 250_000.0));
      catalog.createTable(empty.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    }
    String suite =
        "{quality: {checks: [unique: order_id, max: {column: avg_revenue, max: 100000}]}}";
    Path config = dir.resolve("floe.yaml");
    Files.writeString(
        config,
        endpoints.externalConfig()
            + """
            quality: {results-table: %1$s.q_results, states-table: %1$s.q_states}
            maintenance: {ledger-namespace: %1$s_ops}
            tables:
              %2$s: %6$s
              %3$s: %6$s
              %4$s: %6$s
              %5$s: %6$s
            """
                .formatted(namespace, good, bad, empty, missing, suite));
    String[] global = {"--config", config.toString(), "--home", dir.resolve("home").toString()};

    FloeCommandTest.Outcome checked = FloeCommandTest.floe(global, "check", "--all");
    assertThat(checked.exitCode()).as(checked.err()).isEqualTo(1);
    assertThat(checked.out())
        .contains(good + " @ snapshot", bad + " @ snapshot", "verdict: PASS", "verdict: FAIL")
        .contains("1 failed (" + bad + ")")
        .contains(
            "not checked: %s (no snapshot on main yet), %s (not in the catalog)"
                .formatted(empty, missing));

    FloeCommandTest.Outcome asJson = FloeCommandTest.floe(global, "check", "--all", "--json");
    assertThat(asJson.exitCode()).isEqualTo(1);
    JsonNode summary = new ObjectMapper().readTree(asJson.out());
    assertThat(summary.get("passed").asBoolean()).isFalse();
    assertThat(summary.get("failed").toString()).contains(bad.toString());
    List<String> verdicts = new ArrayList<>();
    summary.get("verdicts").forEach(v -> verdicts.add(v.get("table").asText()));
    assertThat(verdicts).contains(good.toString(), bad.toString());
    assertThat(summary.get("notChecked").get(missing.toString()).asText())
        .isEqualTo("not in the catalog");

    FloeCommandTest.Outcome neither = FloeCommandTest.floe(global, "check");
    assertThat(neither.exitCode()).isEqualTo(2);
    assertThat(neither.err()).contains("name the table to check, or pass --all");
    FloeCommandTest.Outcome branch =
        FloeCommandTest.floe(global, "check", "--all", "--branch", "audit");
    assertThat(branch.exitCode()).isEqualTo(2);
    assertThat(branch.err()).contains("--all checks main's head of every table");
  }

  @Test
  void exampleTablesGetTheSuiteTheRunsGateUsedUnlessTheConfigDeclaresOne() {
    TableRef orderReport = TableRef.parse("gold.order_report");
    FloeConfig defaults = FloeConfig.parse(FloeConfig.DEFAULTS_SOURCE, "{}", n -> null, dir);
    assertThat(QualityCommands.suite(defaults, orderReport))
        .isEqualTo(ExampleSuites.ecommerce().get(orderReport));
    // with no config file, the error says where a suite would go instead of naming '(defaults)'
    assertThatThrownBy(() -> QualityCommands.suite(defaults, TableRef.parse("gold.nope")))
        .hasMessageStartingWith("no quality suite for gold.nope (suites: ")
        .hasMessageEndingWith(
            "declare tables.gold.nope.quality.checks in a floe.yaml (none is in use: create"
                + " ./floe.yaml or pass --config), or draft them with floe suggest gold.nope");

    FloeConfig own =
        FloeConfig.parse(
            "floe.yaml",
            "{tables: {gold.order_report: {quality: {checks: [{row-count: {min: 1}}]}}}}",
            n -> null,
            dir);
    assertThat(QualityCommands.suite(own, orderReport).checks()).hasSize(1);
  }

  @Test
  void pipelinePublishLinesSayHowTheGateAudited(Lakehouse lakehouse) throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String namespace = lakehouse.namespace();
    TableRef ref = new TableRef(namespace, "gated_orders");
    TableRef bare = new TableRef(namespace, "gated_bare");
    QualityConfig config =
        QualityConfig.DEFAULT.withTables(
            new TableRef(namespace, "q_results"), new TableRef(namespace, "q_states"));
    try (RESTCatalog catalog = endpoints.catalogConnection().open("gate-lines")) {
      // the class's tests share the namespace
      if (!catalog.namespaceExists(Namespace.of(namespace))) {
        catalog.createNamespace(Namespace.of(namespace));
      }
      Table table = catalog.createTable(ref.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
      Table bareTable =
          catalog.createTable(bare.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
      Suite suite =
          Suites.parse(
              ref,
              ConfigNode.parse(
                  "test",
                  "checks:\n  - unique: order_id\n  - max: {column: avg_revenue, max: 100000}\n",
                  n -> null));
      Publisher gate = Publisher.qualityGate(catalog, Map.of(ref, suite), config, dir);

      append(table, "audit_1", rows(1, 10, 50.0));
      long audited = table.snapshot("audit_1").snapshotId();
      PublishOutcome first = gate.publish(ref, "audit_1");
      assertThat(first.status()).as(first.message()).isEqualTo(PublishOutcome.Status.PUBLISHED);
      // the first audit reads every file: nothing more to say than that it passed
      assertThat(first.message()).endsWith("(2 checks passed)");

      table.refresh();
      table
          .manageSnapshots()
          .createBranch("audit_2", table.snapshot(Refs.MAIN).snapshotId())
          .commit();
      append(table, "audit_2", rows(11, 5, 60.0));
      // the base is the snapshot the first publish audited, whose states it kept
      PublishOutcome second = gate.publish(ref, "audit_2");
      assertThat(second.status()).as(second.message()).isEqualTo(PublishOutcome.Status.PUBLISHED);
      assertThat(second.message())
          .endsWith(
              "(2 checks passed; incremental from audited snapshot %d, 1 file added since)"
                  .formatted(audited));

      append(bareTable, "audit_1", rows(1, 3, 1.0));
      PublishOutcome undeclared = gate.publish(bare, "audit_1");
      assertThat(undeclared.message()).endsWith("(no suite declared)");
    }
  }

  private static long snapshotOf(StackEndpoints endpoints, TableRef ref, String branch)
      throws Exception {
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-read")) {
      return catalog.loadTable(ref.toIdentifier()).snapshot(branch).snapshotId();
    }
  }

  @Test
  void suggestDraftsASuiteThatCheckThenHoldsTheTableTo(Lakehouse lakehouse) throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String namespace = lakehouse.namespace() + "_suggest";
    TableRef ref = new TableRef(namespace, "report");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      catalog.createNamespace(Namespace.of(namespace));
      created(catalog, ref, rows(1, 10, 50.0));
    }
    Path config = dir.resolve("floe.yaml");
    String settings =
        endpoints.externalConfig()
            + "quality: {results-table: %1$s.q_results, states-table: %1$s.q_states}\n"
                .formatted(namespace);
    Files.writeString(config, settings);
    String[] global = {"--config", config.toString(), "--home", dir.resolve("home").toString()};

    FloeCommandTest.Outcome drafted = FloeCommandTest.floe(global, "suggest", ref.toString());
    assertThat(drafted.exitCode()).as(drafted.err()).isZero();
    assertThat(drafted.out())
        .startsWith("tables:\n  # drawn by floe suggest from " + ref)
        .contains("  " + ref + ":", "- unique: order_id ", "- min: {column: avg_revenue, min: 0} ");

    Files.writeString(config, settings + drafted.out());
    FloeCommandTest.Outcome checked = FloeCommandTest.floe(global, "check", ref.toString());
    assertThat(checked.exitCode()).as(checked.out()).isZero();
    assertThat(checked.out()).contains("verdict: PASS (6 checks");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      append(catalog.loadTable(ref.toIdentifier()), Refs.MAIN, rows(11, 1, -1.0));
    }
    FloeCommandTest.Outcome broken = FloeCommandTest.floe(global, "check", ref.toString());
    assertThat(broken.exitCode()).isEqualTo(1);
    assertThat(broken.out()).contains("FAIL", "min(avg_revenue)");

    // every other table of the namespace without a suite, in one section; the metric history and
    // the stored states are Floe's own
    TableRef other = new TableRef(namespace, "other");
    TableRef bare = new TableRef(namespace, "bare");
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      created(catalog, other, rows(1, 5, 10.0));
      catalog.createTable(bare.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned());
    }
    FloeCommandTest.Outcome everyOther =
        FloeCommandTest.floe(global, "suggest", "--all", "--namespace", namespace);
    assertThat(everyOther.exitCode()).as(everyOther.err()).isZero();
    assertThat(everyOther.out())
        .startsWith("tables:\n  # drawn by floe suggest from " + other)
        .contains("  " + other + ":\n", "  # nothing on main yet to draw from: " + bare)
        .doesNotContain("  " + ref + ":", "q_results", "q_states");
    FloeConfig pasted = FloeConfig.parse("pasted", everyOther.out(), name -> null, dir);
    assertThat(Suites.load(pasted)).containsOnlyKeys(other);
    assertThat(FloeCommandTest.floe(global, "suggest", "--all", ref.toString()).exitCode())
        .isEqualTo(2);

    FloeCommandTest.Outcome missing = FloeCommandTest.floe(global, "suggest", namespace + ".nope");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("table " + namespace + ".nope does not exist");
  }

  @Test
  void validateNamesTheChecksThatDoNotFitTheSchema(Lakehouse lakehouse) throws Exception {
    StackEndpoints endpoints = lakehouse.endpoints();
    String namespace = lakehouse.namespace() + "_validate";
    TableRef ref = new TableRef(namespace, "report");
    long head;
    try (RESTCatalog catalog = endpoints.catalogConnection().open("cli-test")) {
      catalog.createNamespace(Namespace.of(namespace));
      created(catalog, ref, rows(1, 10, 50.0));
      head = catalog.loadTable(ref.toIdentifier()).currentSnapshot().snapshotId();
    }
    Path config = dir.resolve("floe.yaml");
    String settings =
        endpoints.externalConfig()
            + """
            quality: {results-table: %1$s.q_results, states-table: %1$s.q_states}
            tables:
              %2$s:
                quality:
                  checks:
                    - unique: order_id
                    - max: {column: avg_revenue, max: 100000}
            """
                .formatted(namespace, ref);
    Files.writeString(config, settings);
    String[] global = {"--config", config.toString(), "--home", dir.resolve("home").toString()};

    FloeCommandTest.Outcome fits = FloeCommandTest.floe(global, "validate", ref.toString());
    assertThat(fits.exitCode()).as(fits.err()).isZero();
    assertThat(fits.out())
        .isEqualTo("%s: 2 checks fit main's head (snapshot %d)%n".formatted(ref, head));

    Files.writeString(
        config,
        settings
            + """
                    - mean: {column: revenue, max: 1}
                    - accepted-values: {column: order_id, values: [a]}
              %s:
                quality:
                  checks: [unique: order_id]
            """
                .formatted(new TableRef(namespace, "later")));
    FloeCommandTest.Outcome misfits = FloeCommandTest.floe(global, "validate");
    assertThat(misfits.exitCode()).as(misfits.err()).isEqualTo(2);
    assertThat(misfits.out())
        .contains(
            "%s: 2 of 4 checks do not fit main's head (snapshot %d) (%s: tables.%s.quality)%n"
                .formatted(ref, head, config, ref),
            "  mean(revenue): column 'revenue' is not in the snapshot's schema (columns: order_id,"
                + " avg_revenue)\n",
            "  accepted-values(order_id): ",
            "not validated: %s.later (not in the catalog)".formatted(namespace))
        .containsPattern("validated \\d+ suites?: \\d+ fit, 1 do not \\(%s\\)".formatted(ref));

    FloeCommandTest.Outcome asJson = FloeCommandTest.floe(global, "validate", "--json");
    assertThat(asJson.exitCode()).isEqualTo(2);
    JsonNode summary = new ObjectMapper().readTree(asJson.out());
    assertThat(summary.get("valid").asBoolean()).isFalse();
    JsonNode report = null;
    for (JsonNode suite : summary.get("suites")) {
      if (suite.get("table").asText().equals(ref.toString())) {
        report = suite;
      }
    }
    assertThat(report).isNotNull();
    assertThat(report.get("fits").asBoolean()).isFalse();
    assertThat(report.get("misfits").fieldNames())
        .toIterable()
        .containsExactly("mean(revenue)", "accepted-values(order_id)");
    assertThat(summary.get("notValidated").get(namespace + ".later").asText())
        .isEqualTo("not in the catalog");

    FloeCommandTest.Outcome absent = FloeCommandTest.floe(global, "validate", namespace + ".later");
    assertThat(absent.exitCode()).isEqualTo(2);
    assertThat(absent.err()).contains("table " + namespace + ".later does not exist");
    FloeCommandTest.Outcome noBranch =
        FloeCommandTest.floe(global, "validate", ref.toString(), "--branch", "nope");
    assertThat(noBranch.exitCode()).isEqualTo(2);
    assertThat(noBranch.err()).contains(ref + " has no branch or tag 'nope'");
    assertThat(FloeCommandTest.floe(global, "validate", "--branch", "nope").exitCode())
        .isEqualTo(2);
  }

  private static List<Record> rows(long from, int count, double revenue) {
    return java.util.stream.LongStream.range(from, from + count)
        .mapToObj(
            id -> {
              GenericRecord row = GenericRecord.create(SCHEMA);
              row.setField("order_id", id);
              row.setField("avg_revenue", revenue);
              return (Record) row;
            })
        .toList();
  }

  /** A new table {@code ref} of {@code SCHEMA} whose main holds {@code rows}. */
  private static void created(RESTCatalog catalog, TableRef ref, List<Record> rows)
      throws Exception {
    append(
        catalog.createTable(ref.toIdentifier(), SCHEMA, PartitionSpec.unpartitioned()),
        Refs.MAIN,
        rows);
  }

  private static void append(Table table, String branch, List<Record> rows) throws Exception {
    String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
    DataWriter<Record> writer =
        Parquet.writeData(table.io().newOutputFile(location))
            .schema(table.schema())
            .createWriterFunc(GenericParquetWriter::create)
            .withSpec(table.spec())
            .overwrite()
            .build();
    try (writer) {
      rows.forEach(writer::write);
    }
    DataFile file = writer.toDataFile();
    table.newAppend().appendFile(file).toBranch(branch).commit();
    table.refresh();
  }
}
