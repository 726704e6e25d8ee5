package io.floe.app.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.inmemory.InMemoryCatalog;
import org.junit.jupiter.api.Test;

class PublishStageTest {
  @Test
  void aRunThatLeftNothingToPublishSaysSo() {
    InMemoryCatalog catalog = new InMemoryCatalog();
    catalog.initialize("empty", Map.of());
    PublishStage stage =
        new PublishStage(
            (table, branch) -> {
              throw new AssertionError("nothing was audited, yet " + table + " was published");
            },
            catalog);
    StringWriter printed = new StringWriter();
    StageContext context =
        new StageContext(
            "tweets",
            "r1",
            List.of(new StageResult("transform", StageOutcome.empty(), Duration.ofSeconds(1))),
            Progress.to(new PrintWriter(printed)));

    StageOutcome outcome = stage.run(context);

    assertThat(outcome.count(PublishStage.PUBLISHED)).isZero();
    assertThat(printed.toString()).contains("no table has new data on " + context.auditBranch());
  }
}
