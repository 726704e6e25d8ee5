package io.floe.app;

import static java.util.Objects.requireNonNull;

import java.io.PrintWriter;

/**
 * A warning a long-running command repeats only when it changes: the first problem and each new one
 * are said on standard error, the same one again is not (a daemon polling each minute would say it
 * every minute), and one line says when it is over.
 */
final class StandingWarning {
  private final PrintWriter err;
  private final String over;
  private String current;

  /** {@code over} is the line said when a problem clears. */
  StandingWarning(PrintWriter err, String over) {
    this.err = requireNonNull(err, "err is null");
    this.over = requireNonNull(over, "over is null");
  }

  /** Says {@code line} unless it is the problem already said. */
  synchronized void problem(String line) {
    if (!line.equals(current)) {
      say(line);
      current = line;
    }
  }

  /** Says the problem is over, when there was one. */
  synchronized void cleared() {
    if (current != null) {
      say(over);
      current = null;
    }
  }

  private void say(String line) {
    err.println(line);
    err.flush();
  }
}
