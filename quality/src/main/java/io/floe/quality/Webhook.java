package io.floe.quality;

/** Posts a failed verdict to a Slack-compatible incoming webhook. */
final class Webhook {
  private Webhook() {}

  static void post(String url, Verdict verdict) {
    io.floe.core.alert.Webhook.post(
        url,
        ":x: Floe quality gate FAILED for %s at snapshot %d%s: %s%s"
            .formatted(
                verdict.table(),
                verdict.snapshotId(),
                verdict.ref().map(r -> " (" + r + ")").orElse(""),
                Reports.failures(verdict),
                verdict.report().map(r -> " (report: " + r + ")").orElse("")));
  }
}
