package io.floe.quality;

import io.floe.core.io.NewestKept;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes one self-contained HTML page per evaluation, {@code <directory>/<table>/<time>-<snapshot
 * id>.html}, and keeps only each table's newest reports: a scheduler checking a table every few
 * minutes would otherwise fill the directory without end.
 */
final class HtmlReport {
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  /** The names this class gives reports; nothing else in a table's directory is ever deleted. */
  private static final Pattern REPORT_NAME =
      Pattern.compile("\\d{8}T\\d{6}\\.\\d{3}Z--?\\d+\\.html");

  private HtmlReport() {}

  /** Writes the report, then deletes the table's reports beyond the newest {@code kept}. */
  static Path write(Verdict verdict, Path directory, int kept) {
    Path tableDirectory = directory.resolve(verdict.table().toString());
    Path file =
        tableDirectory.resolve(
            "%s-%d.html".formatted(FILE_TIME.format(verdict.evaluatedAt()), verdict.snapshotId()));
    try {
      Files.createDirectories(tableDirectory);
      Files.writeString(file, render(verdict));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    NewestKept.prune(tableDirectory, REPORT_NAME, kept);
    return file;
  }

  static String render(Verdict verdict) {
    StringBuilder html = new StringBuilder();
    html.append("<!doctype html><html><head><meta charset=\"utf-8\"><title>")
        .append(escape(verdict.table() + " @ " + verdict.snapshotId()))
        .append(
            "</title><style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
                + ".PASS{background:#e6f4ea}.FAIL{background:#fce8e6}.ERROR{background:#fbe3c0}"
                + ".NOT_APPLICABLE{background:#eee}svg.history{display:block;margin-top:4px}"
                + "</style></head><body>");
    html.append("<h1>")
        .append(verdict.passed() ? "PASS" : "FAIL")
        .append(": ")
        .append(escape(verdict.table().toString()))
        .append("</h1><p>snapshot ")
        .append(verdict.snapshotId())
        .append(verdict.ref().map(r -> " on " + escape(r)).orElse(""))
        .append(", suite ")
        .append(escape(verdict.suiteHash()))
        .append(", evaluated ")
        .append(verdict.evaluatedAt())
        .append(" (")
        .append(escape(verdict.basis()))
        .append(")")
        .append(
            "</p><table><tr><th>check</th><th>severity</th><th>status</th><th>metric</th>"
                + "<th>value</th><th>threshold</th><th>source</th><th>failing rows</th><th>message</th>"
                + "<th>samples</th></tr>");
    for (CheckResult result : verdict.results()) {
      html.append("<tr class=\"")
          .append(result.status())
          .append("\"><td>")
          .append(escape(result.check().name()))
          .append("</td><td>")
          .append(result.check().severity().key())
          .append("</td><td>")
          .append(result.status())
          .append("</td><td>")
          .append(escape(result.metricName()))
          .append("</td><td>")
          .append(result.metric().isPresent() ? Bounds.format(result.metric().getAsDouble()) : "")
          .append(historyChart(result))
          .append("</td><td>")
          .append(escape(result.threshold()))
          .append("</td><td>")
          .append(result.source().label())
          .append("</td><td>")
          .append(result.failingRows())
          .append("</td><td>")
          .append(escape(result.message()))
          .append("</td><td>")
          .append(escape(String.join("\n", result.samples())).replace("\n", "<br>"))
          .append("</td></tr>");
    }
    return html.append("</table></body></html>\n").toString();
  }

  /**
   * An anomaly check's published values as a small inline chart, oldest on the left, with the
   * measured value after them (green when it passed, red when not) and, when the check was judged,
   * the band of {@code sigma} standard deviations around the values' mean it had to lie in. Empty
   * for a result without history.
   */
  static String historyChart(CheckResult result) {
    List<Double> published = result.history().stream().filter(Double::isFinite).toList();
    if (published.isEmpty()) {
      return "";
    }
    OptionalDouble now =
        result.metric().isPresent() && Double.isFinite(result.metric().getAsDouble())
            ? result.metric()
            : OptionalDouble.empty();
    boolean judged =
        published.size() >= 2
            && (result.status() == CheckStatus.PASS || result.status() == CheckStatus.FAIL);
    Spread history = Spread.of(published);
    double mean = history.mean();
    double spread = judged ? result.check().options().sigma() * history.deviation() : 0;
    double low = mean - spread;
    double high = mean + spread;
    for (double value : published) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    if (now.isPresent()) {
      low = Math.min(low, now.getAsDouble());
      high = Math.max(high, now.getAsDouble());
    }
    if (high == low) {
      double pad = low == 0 ? 1 : Math.abs(low) / 10;
      low -= pad;
      high += pad;
    }
    Scale scale = new Scale(low, high, published.size());
    StringBuilder svg = new StringBuilder();
    svg.append(
            "<svg class=\"history\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\"><title>"
                .formatted(CHART_WIDTH, CHART_HEIGHT, CHART_WIDTH, CHART_HEIGHT))
        .append(escape(result.metricName()))
        .append(": last ")
        .append(published.size())
        .append(published.size() == 1 ? " publish " : " publishes ")
        .append(published.stream().map(Bounds::format).collect(Collectors.joining(", ")))
        .append(now.isPresent() ? "; now " + Bounds.format(now.getAsDouble()) : "")
        .append("</title>");
    if (judged) {
      svg.append(
          "<rect class=\"band\" x=\"0\" y=\"%s\" width=\"%d\" height=\"%s\" fill=\"#dbe9f6\"/>"
              .formatted(
                  coordinate(scale.y(mean + spread)),
                  CHART_WIDTH,
                  coordinate(scale.y(mean - spread) - scale.y(mean + spread))));
    }
    svg.append("<polyline class=\"published\" fill=\"none\" stroke=\"#555\" points=\"");
    for (int i = 0; i < published.size(); i++) {
      svg.append(i == 0 ? "" : " ")
          .append(coordinate(scale.x(i)))
          .append(',')
          .append(coordinate(scale.y(published.get(i))));
    }
    svg.append("\"/>");
    if (now.isPresent()) {
      String color = result.status() == CheckStatus.FAIL ? "#c5221f" : "#188038";
      svg.append(
              "<line stroke=\"#999\" stroke-dasharray=\"2,2\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%s\"/>"
                  .formatted(
                      coordinate(scale.x(published.size() - 1)),
                      coordinate(scale.y(published.get(published.size() - 1))),
                      coordinate(scale.x(published.size())),
                      coordinate(scale.y(now.getAsDouble()))))
          .append(
              "<circle class=\"now\" r=\"3\" fill=\"%s\" cx=\"%s\" cy=\"%s\"/>"
                  .formatted(
                      color,
                      coordinate(scale.x(published.size())),
                      coordinate(scale.y(now.getAsDouble()))));
    }
    return svg.append("</svg>").toString();
  }

  private static final int CHART_WIDTH = 180;
  private static final int CHART_HEIGHT = 44;
  private static final int CHART_MARGIN = 4;

  /** Chart coordinates: the published values and then the measured one, left to right. */
  private record Scale(double low, double high, int published) {
    double x(int index) {
      return CHART_MARGIN + index * (CHART_WIDTH - 2.0 * CHART_MARGIN) / published;
    }

    double y(double value) {
      return CHART_MARGIN + (high - value) / (high - low) * (CHART_HEIGHT - 2.0 * CHART_MARGIN);
    }
  }

  private static String coordinate(double value) {
    return String.format(Locale.ROOT, "%.1f", value);
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
