package io.floe.app;

import io.floe.stack.StackState;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/**
 * {@code --json}: a command's result as one JSON object on stdout, for schedulers and monitoring.
 */
final class JsonOption {
  @Option(
      names = "--json",
      description = "Print the result as one JSON object, for a scheduler or monitoring.")
  boolean json;

  /** Prints {@code result} as JSON when {@code --json} was given; whether it did. */
  boolean print(PrintWriter out, Object result) {
    if (json) {
      out.println(StackState.toJson(result));
    }
    return json;
  }
}
