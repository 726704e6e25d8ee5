package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reports go to one directory per table, which keeps only its newest reports. */
class HtmlReportTest {
  private static final Instant START = Instant.parse("2026-11-21T08:00:00Z");

  @TempDir Path reports;

  @Test
  void eachTableKeepsItsNewestReportsAndNothingElseIsDeleted() throws IOException {
    TableRef orders = TableRef.parse("silver.fact_orders");
    TableRef items = TableRef.parse("silver.fact_order_items");
    Path written = HtmlReport.write(verdict(items, 7, START), reports, 3);
    Path foreign = reports.resolve(orders.toString()).resolve("notes.html");
    Files.createDirectories(foreign.getParent());
    Files.writeString(foreign, "kept");

    List<Path> ordersReports = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      // snapshot ids are random: the name orders reports by time, not by id
      long snapshot = i % 2 == 0 ? 9_000_000_000L - i : -(i + 1);
      ordersReports.add(
          HtmlReport.write(
              verdict(orders, snapshot, START.plus(Duration.ofMinutes(5 * i))), reports, 3));
    }

    assertThat(names(reports.resolve(orders.toString())))
        .containsExactlyInAnyOrder(
            "notes.html",
            ordersReports.get(3).getFileName().toString(),
            ordersReports.get(4).getFileName().toString(),
            ordersReports.get(5).getFileName().toString());
    assertThat(ordersReports.get(5).getFileName().toString())
        .isEqualTo("20261121T082500.000Z--6.html");
    assertThat(Files.readString(ordersReports.get(5))).contains("silver.fact_orders");
    // another table's reports are its own business
    assertThat(names(reports.resolve(items.toString())))
        .containsExactly(written.getFileName().toString());
  }

  @Test
  void eachRowSaysTheSeverityAsWrittenAndNoSourceForAnError() {
    TableRef orders = TableRef.parse("silver.fact_orders");
    List<Check> checks =
        checks(
            orders, "  - max: {column: revenue, max: 10, severity: warn}\n  - not-null: revenu\n");
    Verdict verdict =
        new Verdict(
            orders,
            1,
            Optional.of("main"),
            "suite-hash",
            START,
            List.of(
                new CheckResult(
                    checks.get(0),
                    CheckStatus.FAIL,
                    "max(revenue)",
                    OptionalDouble.of(12),
                    "<= 10",
                    MetricSource.METADATA,
                    0,
                    List.of(),
                    "max(revenue) = 12, expected <= 10"),
                CheckResult.error(checks.get(1), "null_fraction(revenu)", "no column revenu")),
            "incremental from audited snapshot 7, 1 file added since",
            Optional.empty(),
            List.of());

    assertThat(HtmlReport.render(verdict))
        .contains("<td>max(revenue)</td><td>warn</td><td>FAIL</td>")
        .contains("<td>not-null(revenu)</td><td>error</td><td>ERROR</td>")
        .contains("<td>-</td><td>0</td><td>no column revenu</td>")
        .contains("incremental from audited snapshot 7, 1 file added since");
  }

  /**
   * An anomaly check's row charts the published values it was held to and the measured value: a
   * value the check failed lies outside the band the chart draws, one it passed inside.
   */
  @Test
  void anAnomalyRowChartsTheHistoryTheBandAndTheMeasuredValue() {
    TableRef orders = TableRef.parse("silver.fact_orders");
    List<Check> checks =
        checks(
            orders,
            "  - anomaly: {metric: row-count, sigma: 3, history: 5}\n  - row-count: {min: 1}\n");
    Check anomaly = checks.get(0);
    List<Double> history = List.of(110.0, 121.0, 133.0, 146.0);

    String failed =
        HtmlReport.historyChart(anomalyResult(anomaly, CheckStatus.FAIL, 1146, history));
    assertThat(failed)
        .contains("<title>row_count: last 4 publishes 110, 121, 133, 146; now 1146</title>")
        .contains("fill=\"#c5221f\"");
    List<double[]> line = points(failed);
    assertThat(line).hasSize(4);
    for (int i = 1; i < line.size(); i++) {
      assertThat(line.get(i)[0]).isGreaterThan(line.get(i - 1)[0]);
      // growing row counts climb: up is a smaller y
      assertThat(line.get(i)[1]).isLessThan(line.get(i - 1)[1]);
    }
    double[] band = band(failed);
    double now = attribute(failed, "circle", "cy");
    assertThat(now).isLessThan(band[0]); // far above the band
    assertThat(attribute(failed, "circle", "cx")).isGreaterThan(line.get(3)[0]);

    String passed = HtmlReport.historyChart(anomalyResult(anomaly, CheckStatus.PASS, 160, history));
    assertThat(attribute(passed, "circle", "cy")).isBetween(band(passed)[0], band(passed)[1]);
    assertThat(passed).contains("fill=\"#188038\"");

    // too short a history to judge by: the values so far, and no band
    String early =
        HtmlReport.historyChart(
            anomalyResult(anomaly, CheckStatus.NOT_APPLICABLE, 121, List.of(110.0)));
    assertThat(points(early)).hasSize(1);
    assertThat(early).doesNotContain("<rect").contains("last 1 publish 110; now 121");

    Verdict verdict =
        verdict(
            orders,
            List.of(
                anomalyResult(anomaly, CheckStatus.FAIL, 1146, history),
                new CheckResult(
                    checks.get(1),
                    CheckStatus.PASS,
                    "row_count",
                    OptionalDouble.of(1146),
                    ">= 1",
                    MetricSource.METADATA,
                    0,
                    List.of(),
                    "row_count = 1146, expected >= 1")),
            "full");
    String page = HtmlReport.render(verdict);
    assertThat(page.split("<svg", -1)).hasSize(2);
    assertThat(page).contains("<td>1146<svg class=\"history\"");
  }

  private static List<Check> checks(TableRef table, String yaml) {
    return Suites.parse(table, ConfigNode.parse("(test)", "checks:\n" + yaml, name -> null))
        .checks();
  }

  private static CheckResult anomalyResult(
      Check check, CheckStatus status, double value, List<Double> history) {
    return new CheckResult(
        check,
        status,
        "row_count",
        OptionalDouble.of(value),
        "within 3 sigma",
        MetricSource.METADATA,
        0,
        List.of(),
        "row_count = " + value,
        history);
  }

  /** The chart's published points, as x and y. */
  private static List<double[]> points(String svg) {
    Matcher points = Pattern.compile("<polyline[^>]* points=\"([^\"]*)\"").matcher(svg);
    assertThat(points.find()).isTrue();
    return Stream.of(points.group(1).split(" "))
        .map(p -> p.split(","))
        .map(xy -> new double[] {Double.parseDouble(xy[0]), Double.parseDouble(xy[1])})
        .toList();
  }

  /** The band's top and bottom y. */
  private static double[] band(String svg) {
    double top = attribute(svg, "rect", "y");
    return new double[] {top, top + attribute(svg, "rect", "height")};
  }

  private static double attribute(String svg, String element, String name) {
    Matcher value = Pattern.compile("<" + element + "[^>]* " + name + "=\"([^\"]*)\"").matcher(svg);
    assertThat(value.find()).as("%s %s in %s", element, name, svg).isTrue();
    return Double.parseDouble(value.group(1));
  }

  private static Verdict verdict(TableRef table, List<CheckResult> results, String basis) {
    return new Verdict(
        table,
        1,
        Optional.of("main"),
        "suite-hash",
        START,
        results,
        basis,
        Optional.empty(),
        List.of());
  }

  private static Verdict verdict(TableRef table, long snapshotId, Instant at) {
    return new Verdict(
        table,
        snapshotId,
        Optional.of("main"),
        "suite-hash",
        at,
        List.of(),
        "full",
        Optional.empty(),
        List.of());
  }

  private static List<String> names(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> f.getFileName().toString()).toList();
    }
  }
}
