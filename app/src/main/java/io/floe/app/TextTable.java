package io.floe.app;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** Prints rows as left-aligned columns under a header, the way terminals read them. */
final class TextTable {
  private final List<String> header;
  private final List<List<String>> rows = new ArrayList<>();

  TextTable(List<String> header) {
    this.header = List.copyOf(header);
  }

  TextTable add(List<String> row) {
    rows.add(List.copyOf(row));
    return this;
  }

  void print(PrintWriter out) {
    int[] widths = new int[header.size()];
    for (int i = 0; i < widths.length; i++) {
      widths[i] = header.get(i).length();
      for (List<String> row : rows) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    line(out, header, widths);
    for (List<String> row : rows) {
      line(out, row, widths);
    }
  }

  private static void line(PrintWriter out, List<String> cells, int[] widths) {
    StringBuilder text = new StringBuilder("  ");
    for (int i = 0; i < cells.size(); i++) {
      text.append(cells.get(i));
      if (i < cells.size() - 1) {
        text.append(" ".repeat(widths[i] - cells.get(i).length() + 2));
      }
    }
    out.println(text.toString().stripTrailing());
  }
}
