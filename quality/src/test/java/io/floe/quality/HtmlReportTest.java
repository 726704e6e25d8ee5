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
        Suites.parse(
                orders,
                ConfigNode.parse(
                    "(test)",
                    "checks:\n  - max: {column: revenue, max: 10, severity: warn}\n"
                        + "  - not-null: revenu\n",
                    name -> null))
            .checks();
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
