package io.floe.stack;

import static java.util.Objects.requireNonNull;

import io.floe.core.process.ChildProcess;
import java.util.Optional;

/**
 * One part of the stack as it runs: embedded ones have a child process, external ones only an
 * endpoint.
 */
public record RunningService(
    String name, String endpoint, int port, Optional<ChildProcess> process) {
  public RunningService {
    requireNonNull(name, "name is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(process, "process is null");
  }

  static RunningService external(String name, String endpoint) {
    return new RunningService(name, endpoint, -1, Optional.empty());
  }
}
