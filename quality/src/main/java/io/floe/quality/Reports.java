package io.floe.quality;

import static io.floe.core.text.Counts.counted;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Terminal summaries of verdicts. */
public final class Reports {
  private Reports() {}

  /**
   * One line per check in the suite's order, then a verdict line naming the checks that block (up
   * to {@value #BLOCKING_NAMED}).
   */
  public static void print(Verdict verdict, PrintWriter out) {
    out.printf(
        "%s @ snapshot %d%s  suite %s%s%n",
        verdict.table(),
        verdict.snapshotId(),
        verdict.ref().map(r -> " (" + r + ")").orElse(""),
        verdict.suiteHash(),
        verdict.basis().equals(Verdict.FULL) ? "" : "\n  " + verdict.basis());
    // names line up in a column as wide as the longest, within reason
    int width =
        Math.min(
            NAME_WIDTH_MAX,
            Math.max(
                NAME_WIDTH,
                verdict.results().stream()
                    .mapToInt(r -> r.check().name().length())
                    .max()
                    .orElse(0)));
    String line = "  %-14s %-5s %-" + width + "s %-11s %s%n";
    for (CheckResult result : verdict.results()) {
      out.printf(
          line,
          result.status(),
          result.check().severity() == Severity.WARN ? "warn" : "",
          result.check().name(),
          result.source().label(),
          result.message() + examples(result));
    }
    out.printf(
        "verdict: %s (%s, %d blocking%s)%s%n",
        verdict.passed() ? "PASS" : "FAIL",
        counted(verdict.results().size(), "check"),
        verdict.blocking().size(),
        blockingNames(verdict),
        verdict.report().map(r -> "  report: " + r).orElse(""));
    out.flush();
  }

  static final int BLOCKING_NAMED = 5;

  private static final int NAME_WIDTH = 40;
  private static final int NAME_WIDTH_MAX = 72;

  private static String blockingNames(Verdict verdict) {
    List<CheckResult> blocking = verdict.blocking();
    if (blocking.isEmpty()) {
      return "";
    }
    String names =
        blocking.stream()
            .limit(BLOCKING_NAMED)
            .map(r -> r.check().name())
            .collect(Collectors.joining(", "));
    return ": " + names + (blocking.size() > BLOCKING_NAMED ? ", ..." : "");
  }

  /** The samples the message does not already say, e.g. a schema check's listed problems. */
  private static String examples(CheckResult result) {
    List<String> unsaid =
        result.samples().stream().filter(s -> !result.message().contains(s)).toList();
    return unsaid.isEmpty() ? "" : "; e.g. " + String.join(" | ", unsaid);
  }

  /**
   * The verdict as nested maps and lists, ready for a JSON writer: what {@link #print} says, with
   * every figure as a number (a metric that could not be computed is null).
   */
  public static Map<String, Object> asMap(Verdict verdict) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("table", verdict.table().toString());
    json.put("snapshotId", verdict.snapshotId());
    json.put("ref", verdict.ref().orElse(null));
    json.put("passed", verdict.passed());
    json.put("blocking", verdict.blocking().size());
    json.put("suiteHash", verdict.suiteHash());
    json.put("evaluatedAt", verdict.evaluatedAt().toString());
    json.put("report", verdict.report().orElse(null));
    json.put("basis", verdict.basis());
    json.put("warnings", verdict.warnings());
    List<Map<String, Object>> results = new ArrayList<>();
    for (CheckResult result : verdict.results()) {
      Map<String, Object> check = new LinkedHashMap<>();
      check.put("check", result.check().name());
      check.put("type", result.check().type().key());
      check.put("severity", result.check().severity().key());
      check.put("status", result.status().name());
      check.put("blocks", result.blocks());
      check.put("metricName", result.metricName());
      check.put("metric", result.finiteMetric());
      check.put("threshold", result.threshold());
      check.put("source", result.source().name());
      check.put("failingRows", result.failingRows());
      check.put("samples", result.samples());
      check.put("message", result.message());
      // the rows measured, when not every row: the check's condition, or its metric's
      result
          .check()
          .where()
          .or(() -> result.check().options().metric().flatMap(Check::where))
          .ifPresent(where -> check.put("where", where));
      if (result.check().type() == CheckType.ANOMALY) {
        // the published values it was held to, oldest first
        check.put("history", result.history());
      }
      results.add(check);
    }
    json.put("results", results);
    return json;
  }

  /** The blocking checks and their messages, in one line. */
  public static String failures(Verdict verdict) {
    return verdict.blocking().stream()
        .map(r -> r.check().name() + " " + r.status() + " (" + r.message() + ")")
        .collect(Collectors.joining("; "));
  }
}
