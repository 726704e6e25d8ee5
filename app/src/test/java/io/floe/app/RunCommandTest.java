package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.app.pipeline.PipelineSummary;
import io.floe.app.pipeline.PublishOutcome;
import io.floe.app.pipeline.PublishStage;
import io.floe.app.pipeline.StageOutcome;
import io.floe.app.pipeline.StageResult;
import io.floe.catalog.TableRef;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class RunCommandTest {
  private static final TableRef WIDE = TableRef.parse("gold.order_items_wide");
  private static final TableRef REPORT = TableRef.parse("gold.order_report");

  @Test
  void aFailedSuiteEndsTheRunWithExitOneAndOneLineNamingTheTable() {
    StringWriter err = new StringWriter();

    int exit =
        RunCommand.conclude(
            summary(
                kept(WIDE, PublishOutcome.Status.REJECTED, "failed 1 check(s): unique(order_id)"),
                kept(REPORT, PublishOutcome.Status.CONFLICT, "main changed while publishing")),
            new PrintWriter(err));

    assertThat(exit).isEqualTo(Floe.EXIT_CHECK_FAILED);
    assertThat(err.toString().strip())
        .isEqualTo(
            "floe: 2 of 5 tables not published (main untouched, audit branch audit_r1 kept):"
                + " gold.order_items_wide: failed 1 check(s): unique(order_id);"
                + " gold.order_report: main changed while publishing");
  }

  @Test
  void onlyAMovedMainIsAnExternalFailure() {
    StringWriter err = new StringWriter();

    int exit =
        RunCommand.conclude(
            summary(kept(REPORT, PublishOutcome.Status.CONFLICT, "main changed while publishing")),
            new PrintWriter(err));

    assertThat(exit).isEqualTo(Floe.EXIT_EXTERNAL);
    assertThat(err.toString()).startsWith("floe: 1 of 5 tables not published").hasLineCount(1);
  }

  @Test
  void aRunThatPublishedEveryTableSucceedsQuietly() {
    StringWriter err = new StringWriter();

    assertThat(RunCommand.conclude(summary(), new PrintWriter(err))).isEqualTo(Floe.EXIT_OK);
    assertThat(err.toString()).isEmpty();
  }

  private static PublishOutcome kept(TableRef table, PublishOutcome.Status status, String why) {
    return new PublishOutcome(table, status, OptionalLong.empty(), why);
  }

  private static PipelineSummary summary(PublishOutcome... unpublished) {
    StageOutcome.Builder publish = StageOutcome.builder().count(PublishStage.AUDITED, 5);
    for (PublishOutcome outcome : unpublished) {
      publish.unpublished(outcome);
    }
    return new PipelineSummary(
        "ecommerce",
        "r1",
        List.of(new StageResult(PublishStage.NAME, publish.build(), Duration.ofSeconds(2))),
        Duration.ofSeconds(2));
  }
}
