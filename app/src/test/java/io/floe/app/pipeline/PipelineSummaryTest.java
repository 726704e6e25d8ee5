package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class PipelineSummaryTest {
  private static final TableRef BRONZE = TableRef.parse("bronze.orders");
  private static final TableRef UNREADABLE = TableRef.parse("bronze.users");
  private static final TableRef SILVER = TableRef.parse("silver.fact_orders");

  @Test
  void everyTableShowsItsRowsAndAnIngestedOneWhatTheRunWroteIntoIt() {
    PipelineSummary summary =
        new PipelineSummary(
            "ecommerce",
            "r1",
            List.of(
                stage(
                    "ingest",
                    StageOutcome.builder()
                        .written(BRONZE, 1_010)
                        .rows(BRONZE, 101_010)
                        .written(UNREADABLE, 219)
                        .build()),
                stage("transform", StageOutcome.builder().rows(SILVER, 101_000).build())),
            Duration.ofSeconds(3));

    String printed = print(summary);

    assertThat(printed)
        .contains("Rows per table:")
        .containsPattern("bronze\\.orders +101,010  \\(1,010 written this run\\)\\n")
        .containsPattern("bronze\\.users +\\(219 written this run\\)\\n")
        .containsPattern("silver\\.fact_orders +101,000\\n");
    assertThat(printed.indexOf("bronze.orders")).isLessThan(printed.indexOf("bronze.users"));
    assertThat(printed.indexOf("bronze.users")).isLessThan(printed.indexOf("silver.fact_orders"));
  }

  @Test
  void writtenRowsOfOneTableAddUpOverStages() {
    PipelineSummary summary =
        new PipelineSummary(
            "ecommerce",
            "r1",
            List.of(
                stage("ingest", StageOutcome.builder().written(BRONZE, 10).build()),
                stage("late ingest", StageOutcome.builder().written(BRONZE, 5).build())),
            Duration.ofSeconds(1));

    assertThat(summary.writtenPerTable()).containsExactlyEntriesOf(Map.of(BRONZE, 15L));
  }

  @Test
  void tablesKeptOffMainAreListedWithWhyAndMarkedInTheRowCounts() {
    TableRef gold = TableRef.parse("gold.order_report");
    PipelineSummary summary =
        new PipelineSummary(
            "ecommerce",
            "r7",
            List.of(
                stage("transform", StageOutcome.builder().rows(SILVER, 10).rows(gold, 3).build()),
                stage(
                    PublishStage.NAME,
                    StageOutcome.builder()
                        .count(PublishStage.AUDITED, 2)
                        .unpublished(
                            new PublishOutcome(
                                gold,
                                PublishOutcome.Status.REJECTED,
                                OptionalLong.empty(),
                                "failed 1 check(s): max(avg_revenue) FAIL"))
                        .build())),
            Duration.ofSeconds(1));

    String printed = print(summary);

    assertThat(printed)
        .containsPattern("gold\\.order_report +3  \\(on the audit branch; main not moved\\)\\n")
        .containsPattern("silver\\.fact_orders +10\\n")
        .contains(
            "Not published (main untouched, audit branch audit_r7 kept):\n" + "  gold.order_report")
        .containsPattern(
            "gold\\.order_report +failed 1 check\\(s\\): max\\(avg_revenue\\) FAIL\\n");
    assertThat(summary.unpublishedLine())
        .contains(
            "1 of 2 tables not published (main untouched, audit branch audit_r7 kept):"
                + " gold.order_report: failed 1 check(s): max(avg_revenue) FAIL");
  }

  @Test
  void aRunThatPublishedEverythingHasNoUnpublishedLine() {
    PipelineSummary summary =
        new PipelineSummary(
            "ecommerce",
            "r1",
            List.of(
                stage(
                    PublishStage.NAME,
                    StageOutcome.builder().count(PublishStage.AUDITED, 3).build())),
            Duration.ofSeconds(1));

    assertThat(summary.unpublishedLine()).isEmpty();
    assertThat(print(summary)).doesNotContain("Not published");
  }

  private static StageResult stage(String name, StageOutcome outcome) {
    return new StageResult(name, outcome, Duration.ofMillis(100));
  }

  private static String print(PipelineSummary summary) {
    StringWriter text = new StringWriter();
    summary.print(new PrintWriter(text), "jdbc:trino://127.0.0.1:8080", "admin", List.of());
    return text.toString().replace(System.lineSeparator(), "\n");
  }
}
