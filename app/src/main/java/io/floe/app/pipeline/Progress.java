package io.floe.app.pipeline;

import java.io.PrintWriter;

/** Where a pipeline reports progress lines as it runs. */
@FunctionalInterface
public interface Progress {
  void line(String message);

  /** Progress printed to {@code out}, one flushed line per message. */
  static Progress to(PrintWriter out) {
    return message -> {
      synchronized (out) {
        out.println(message);
        out.flush();
      }
    };
  }

  static Progress silent() {
    return message -> {};
  }
}
