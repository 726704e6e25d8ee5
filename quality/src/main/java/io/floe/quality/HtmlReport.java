package io.floe.quality;

import io.floe.core.io.NewestKept;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

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
                + ".NOT_APPLICABLE{background:#eee}</style></head><body>");
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

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
