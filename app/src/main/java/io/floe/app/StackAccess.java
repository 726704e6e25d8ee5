package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.stack.EmbeddedStack;
import io.floe.stack.StackEndpoints;
import io.floe.stack.StackState;
import java.io.PrintWriter;
import java.util.Optional;

/**
 * How a command reaches the lakehouse it works on: the configured external parts, or the embedded
 * stack running in the home. The one place that decides this, so every command agrees.
 */
final class StackAccess {
  private StackAccess() {}

  /** The endpoints of a lakehouse that is already there; fails with a hint when it is not. */
  static StackEndpoints running(FloeConfig config) {
    if (!config.anyEmbedded()) {
      return external(config);
    }
    return StackSupervisor.running(config.home().toAbsolutePath())
        .map(StackState::endpoints)
        .orElseThrow(
            () ->
                new FloeException(
                    ErrorCode.STACK_NOT_RUNNING,
                    "the embedded stack is not running in %s; start it with 'floe up'"
                        .formatted(config.home())));
  }

  /** The endpoints of the lakehouse, starting the embedded stack first when it is not running. */
  static StackEndpoints startIfNeeded(FloeConfig config, GlobalOptions options, PrintWriter out) {
    if (!config.anyEmbedded()) {
      out.println("Using the configured external catalog, storage and Trino.");
      return external(config);
    }
    Optional<StackState> running = StackSupervisor.running(config.home().toAbsolutePath());
    if (running.isPresent()) {
      out.printf("Stack already running in %s.%n", config.home());
      return running.get().endpoints();
    }
    out.printf("Starting the stack in %s (S3, REST catalog, Trino) ...%n", config.home());
    out.flush();
    StackState state = StackSupervisor.startDetached(config, options);
    UpCommand.print(out, state.endpoints());
    return state.endpoints();
  }

  private static StackEndpoints external(FloeConfig config) {
    try (EmbeddedStack external = EmbeddedStack.builder(config).start()) {
      return external.endpoints();
    }
  }
}
