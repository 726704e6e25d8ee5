package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/** The terminal summary: one line per check, and a verdict line that names what blocks. */
class ReportsTest {
  private static final TableRef TABLE = TableRef.parse("silver.fact_orders");

  @Test
  void theVerdictLineNamesTheBlockingChecksAndAnErrorShowsNoSource() {
    List<Check> checks =
        checks(
            "- unique: order_id\n"
                + "- not-null: [a, b, c, d, e, f]\n"
                + "- max: {column: revenue, max: 10, severity: warn}");
    List<CheckResult> results = new ArrayList<>();
    results.add(result(checks.get(0), CheckStatus.PASS, MetricSource.SCAN, List.of(), "ok"));
    for (Check check : checks.subList(1, 7)) {
      results.add(CheckResult.error(check, "null_fraction", "column is not in the schema"));
    }
    results.add(result(checks.get(7), CheckStatus.FAIL, MetricSource.METADATA, List.of(), "big"));

    String printed = print(results);

    assertThat(printed)
        .contains(
            "verdict: FAIL (8 checks, 6 blocking: not-null(a), not-null(b), not-null(c),"
                + " not-null(d), not-null(e), ...)")
        // a warning that fails does not block, and is not named
        .doesNotContain("max(revenue), ...")
        .containsPattern("ERROR +not-null\\(a\\) +- +column is not in the schema")
        .containsPattern("FAIL +warn +max\\(revenue\\) +metadata +big");
    assertThat(print(results.subList(0, 1))).contains("verdict: PASS (1 check, 0 blocking)\n");
  }

  /** A name longer than the usual column, as a condition makes it, widens the column. */
  @Test
  void longNamesKeepTheSourcesInOneColumn() {
    List<Check> checks =
        checks(
            "- unique: order_id\n"
                + "- not-null: {column: shipped_at, where: \"status = 'shipped' and order_id > 0\"}");
    String printed =
        print(
            List.of(
                result(checks.get(0), CheckStatus.PASS, MetricSource.SCAN, List.of(), "ok"),
                result(checks.get(1), CheckStatus.PASS, MetricSource.METADATA, List.of(), "ok")));
    List<String> lines = printed.lines().filter(l -> l.startsWith("  PASS")).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).indexOf("scan"))
        .isEqualTo(lines.get(1).indexOf("metadata"))
        .isGreaterThan(lines.get(1).indexOf("order_id > 0"));
  }

  @Test
  void theHeaderSaysHowAnIncrementalCheckWasMadeAndAFullOneSaysNothing() {
    Check unique = checks("- unique: order_id").get(0);
    List<CheckResult> results =
        List.of(result(unique, CheckStatus.PASS, MetricSource.INCREMENTAL, List.of(), "ok"));
    assertThat(print(results, "incremental from audited snapshot 7, 1 file added since"))
        .startsWith(
            "silver.fact_orders @ snapshot 1 (main)  suite hash\n"
                + "  incremental from audited snapshot 7, 1 file added since\n  PASS");
    assertThat(print(results, "full"))
        .startsWith("silver.fact_orders @ snapshot 1 (main)  suite hash\n  PASS");
  }

  @Test
  void samplesTheMessageAlreadySaysAreNotRepeated() {
    List<Check> checks = checks("- schema: {expect: {revenue: double}}\n- unique: order_id");
    String printed =
        print(
            List.of(
                result(
                    checks.get(0),
                    CheckStatus.FAIL,
                    MetricSource.METADATA,
                    List.of("missing column revenue"),
                    "missing column revenue"),
                result(
                    checks.get(1),
                    CheckStatus.FAIL,
                    MetricSource.SCAN,
                    List.of("17", "42"),
                    "duplicate_rows(order_id) = 2, expected = 0")));

    assertThat(printed)
        .contains("missing column revenue\n")
        .doesNotContain("e.g. missing column")
        .contains("duplicate_rows(order_id) = 2, expected = 0; e.g. 17 | 42");
  }

  @Test
  void aFigureFromTwoMeasurementsComesFromTheCostlierSource() {
    assertThat(MetricSource.METADATA.and(MetricSource.METADATA)).isEqualTo(MetricSource.METADATA);
    assertThat(MetricSource.INCREMENTAL.and(MetricSource.METADATA))
        .isEqualTo(MetricSource.INCREMENTAL);
    assertThat(MetricSource.INCREMENTAL.and(MetricSource.SCAN)).isEqualTo(MetricSource.SCAN);
    assertThat(MetricSource.METADATA.and(MetricSource.SCAN)).isEqualTo(MetricSource.SCAN);
    assertThat(MetricSource.NONE.and(MetricSource.METADATA)).isEqualTo(MetricSource.METADATA);
    assertThat(MetricSource.NONE.and(MetricSource.NONE)).isEqualTo(MetricSource.NONE);
  }

  /**
   * The JSON form lists an anomaly check's history, oldest first, and no other check's; and the
   * condition of a check that measures only some rows, its own or its metric's.
   */
  @Test
  void theJsonListsTheHistoryAnAnomalyCheckWasHeldTo() {
    List<Check> checks =
        checks(
            "- anomaly: {metric: row-count, sigma: 3, where: \"status = 'paid'\"}\n- unique: order_id");
    CheckResult anomaly =
        new CheckResult(
            checks.get(0),
            CheckStatus.FAIL,
            "row_count",
            OptionalDouble.of(1146),
            "within 3 sigma",
            MetricSource.METADATA,
            0,
            List.of(),
            "far off",
            List.of(110.0, 121.0, 133.0));
    CheckResult unique =
        result(checks.get(1), CheckStatus.PASS, MetricSource.SCAN, List.of(), "ok");
    Map<String, Object> json =
        Reports.asMap(
            new Verdict(
                TABLE,
                1,
                Optional.of("main"),
                "hash",
                Instant.EPOCH,
                List.of(anomaly, unique),
                "full",
                Optional.empty(),
                List.of()));
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> results = (List<Map<String, Object>>) json.get("results");
    assertThat(results.get(0)).containsEntry("history", List.of(110.0, 121.0, 133.0));
    assertThat(results.get(1)).doesNotContainKey("history").doesNotContainKey("where");
    assertThat(results.get(0)).containsEntry("where", "status = 'paid'");
  }

  private static List<Check> checks(String yaml) {
    return Suites.parse(
            TABLE,
            ConfigNode.parse("(test)", "checks:\n" + yaml.indent(2), Map.<String, String>of()::get))
        .checks();
  }

  private static CheckResult result(
      Check check, CheckStatus status, MetricSource source, List<String> samples, String message) {
    return new CheckResult(
        check, status, "metric", OptionalDouble.of(1), "-", source, 0, samples, message);
  }

  private static String print(List<CheckResult> results) {
    return print(results, "full");
  }

  private static String print(List<CheckResult> results, String basis) {
    StringWriter text = new StringWriter();
    Reports.print(
        new Verdict(
            TABLE,
            1,
            Optional.of("main"),
            "hash",
            Instant.EPOCH,
            results,
            basis,
            Optional.empty(),
            List.of()),
        new PrintWriter(text));
    return text.toString();
  }
}
