package io.floe.quality;

import java.io.PrintWriter;
import java.util.stream.Collectors;

/** Terminal summaries of verdicts. */
public final class Reports {
  private Reports() {}

  /** One line per check, failures first, then a verdict line. */
  public static void print(Verdict verdict, PrintWriter out) {
    out.printf(
        "%s @ snapshot %d%s  suite %s%n",
        verdict.table(),
        verdict.snapshotId(),
        verdict.ref().map(r -> " (" + r + ")").orElse(""),
        verdict.suiteHash());
    for (CheckResult result : verdict.results()) {
      out.printf(
          "  %-14s %-5s %-40s %-9s %s%n",
          result.status(),
          result.check().severity() == Severity.WARN ? "warn" : "",
          result.check().name(),
          result.source().name().toLowerCase(java.util.Locale.ROOT),
          result.message()
              + (result.samples().isEmpty()
                  ? ""
                  : "; e.g. " + String.join(" | ", result.samples())));
    }
    out.printf(
        "verdict: %s (%d checks, %d blocking)%s%n",
        verdict.passed() ? "PASS" : "FAIL",
        verdict.results().size(),
        verdict.blocking().size(),
        verdict.report().map(r -> "  report: " + r).orElse(""));
    out.flush();
  }

  /** The blocking checks and their messages, in one line. */
  public static String failures(Verdict verdict) {
    return verdict.blocking().stream()
        .map(r -> r.check().name() + " " + r.status() + " (" + r.message() + ")")
        .collect(Collectors.joining("; "));
  }
}
