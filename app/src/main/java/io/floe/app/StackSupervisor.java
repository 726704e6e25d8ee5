package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.JavaRuntimes;
import io.floe.core.process.RuntimeLayout;
import io.floe.stack.EmbeddedStack;
import io.floe.stack.StackState;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts and stops the supervisor: a detached {@code floe supervise} process that owns the embedded
 * stack, so the stack outlives {@code floe up} but not the supervisor itself.
 */
final class StackSupervisor {
  static final String FAILURE_FILE = "supervisor.failed";
  static final String LOCK_FILE = "supervisor.lock";

  /** A minute longer than the stack's own start may take, so the stack reports its own failure. */
  private static final Duration START_TIMEOUT = EmbeddedStack.START_TIMEOUT.plusMinutes(1);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);

  private StackSupervisor() {}

  /** The state of the stack running for {@code home}, removing a stale state file. */
  static Optional<StackState> running(Path home) {
    Optional<StackState> state = StackState.read(home);
    if (state.isPresent() && !state.get().supervisorAlive()) {
      StackState.delete(home);
      return Optional.empty();
    }
    return state;
  }

  /** Launches a detached supervisor and waits until its stack is ready or it failed. */
  static StackState startDetached(FloeConfig config, GlobalOptions options) {
    Path home = config.home().toAbsolutePath();
    Path failure = home.resolve(FAILURE_FILE);
    try {
      Files.createDirectories(home.resolve("logs"));
      Files.deleteIfExists(failure);
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INVALID_CONFIG, "cannot use the Floe home " + home + ": " + e.getMessage(), e);
    }
    RuntimeLayout layout = RuntimeLayout.discover();
    List<String> command = new ArrayList<>();
    Path setsid = Path.of("/usr/bin/setsid");
    if (Files.isExecutable(setsid)) {
      // a session of its own: the terminal's Ctrl-C and hang-up do not reach the stack
      command.add(setsid.toString());
    }
    command.add(JavaRuntimes.current().resolve("bin").resolve("java").toString());
    command.add("-Xmx256m");
    command.add("-D" + RuntimeLayout.RUNTIME_DIR_PROPERTY + "=" + layout.directory());
    command.add(
        "-Dorg.slf4j.simpleLogger.logFile=" + home.resolve("logs").resolve("supervisor.log"));
    command.add("-cp");
    command.add(
        String.join(
            File.pathSeparator,
            layout.classpath("floe-app").stream().map(Path::toString).toList()));
    command.add(Floe.class.getName());
    if (options.config != null) {
      command.add("--config");
      command.add(options.config.toAbsolutePath().toString());
    }
    command.add("--home");
    command.add(home.toString());
    command.add("supervise");
    Instant launched = Instant.now();
    try {
      new ProcessBuilder(command)
          .directory(home.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectOutput(
              ProcessBuilder.Redirect.appendTo(
                  home.resolve("logs").resolve("supervisor.out").toFile()))
          .redirectErrorStream(true)
          .start();
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED, "cannot start the stack supervisor: " + e.getMessage(), e);
    }
    Instant deadline = launched.plus(START_TIMEOUT);
    while (Instant.now().isBefore(deadline)) {
      if (Files.exists(failure)) {
        throw readFailure(failure);
      }
      Optional<StackState> state = StackState.read(home);
      if (state.isPresent()
          && state.get().startedAt().isAfter(launched.minusSeconds(1))
          && state.get().supervisorAlive()) {
        return state.get();
      }
      pause(Duration.ofMillis(200));
    }
    throw new FloeException(
        ErrorCode.SERVICE_FAILED,
        "the stack did not become ready within %d s; see %s"
            .formatted(START_TIMEOUT.toSeconds(), home.resolve("logs")));
  }

  /** Asks the supervisor to stop its stack and waits until every service has exited. */
  static boolean stop(Path home) {
    Optional<StackState> state = running(home);
    if (state.isEmpty()) {
      return false;
    }
    List<ProcessHandle> processes = new ArrayList<>();
    ProcessHandle.of(state.get().supervisorPid()).ifPresent(processes::add);
    state.get().services().stream()
        .filter(s -> s.pid() > 0)
        .forEach(s -> ProcessHandle.of(s.pid()).ifPresent(processes::add));
    processes.get(0).destroy();
    Instant deadline = Instant.now().plus(STOP_TIMEOUT);
    while (Instant.now().isBefore(deadline)
        && processes.stream().anyMatch(ProcessHandle::isAlive)) {
      pause(Duration.ofMillis(100));
    }
    processes.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
    StackState.delete(home);
    return true;
  }

  /** Records why the supervisor could not start its stack, for {@code floe up} to report. */
  static void recordFailure(Path home, FloeException failure) {
    try {
      Files.writeString(
          home.resolve(FAILURE_FILE), failure.code().name() + "\n" + failure.getMessage());
    } catch (IOException e) {
      // floe up then reports a timeout that points at the logs
    }
  }

  private static FloeException readFailure(Path failure) {
    try {
      String content = Files.readString(failure);
      int newline = content.indexOf('\n');
      ErrorCode code = ErrorCode.valueOf(content.substring(0, newline));
      return new FloeException(code, content.substring(newline + 1).trim());
    } catch (IOException | RuntimeException e) {
      return new FloeException(
          ErrorCode.SERVICE_FAILED,
          "the stack failed to start; see " + failure.getParent().resolve("logs"));
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "interrupted");
    }
  }
}
