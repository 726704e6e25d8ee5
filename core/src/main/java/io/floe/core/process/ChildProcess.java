package io.floe.core.process;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.LogRotation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A child JVM started by Floe: output goes to a log file, and the child exits when this process
 * dies (see {@link ParentWatchdog}).
 */
public final class ChildProcess implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChildProcess.class);

  /** A child's log past this size is moved aside when the child next starts. */
  static final long LOG_MAX_BYTES = 64L << 20;

  static final int LOG_KEPT = 3;
  // readiness probes are cheap local requests; a long poll only adds to every start
  private static final Duration POLL = Duration.ofMillis(20);

  private final String name;
  private final Process process;
  private final Path logFile;
  // where this child's output begins in its log, which earlier runs may have written to
  private final long logStart;

  private ChildProcess(String name, Process process, Path logFile, long logStart) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
    this.logStart = logStart;
  }

  /**
   * Starts {@code command} in {@code workDir}, appending its output to {@code logFile}.
   *
   * @param name what the child is, for messages ("S3 server", "Trino")
   */
  public static ChildProcess start(String name, JavaCommand command, Path workDir, Path logFile) {
    requireNonNull(name, "name is null");
    try {
      Files.createDirectories(workDir);
      Files.createDirectories(logFile.toAbsolutePath().getParent());
      // a service appends to its log for as long as it runs; a full one is moved aside at its start
      LogRotation.rotate(logFile, LOG_MAX_BYTES, LOG_KEPT);
      ProcessBuilder builder =
          new ProcessBuilder(command.commandLine())
              .directory(workDir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
              .redirectInput(ProcessBuilder.Redirect.PIPE);
      builder.environment().putAll(command.environment());
      long logStart = Files.exists(logFile) ? Files.size(logFile) : 0;
      LOG.info("starting {}: {}", name, String.join(" ", command.commandLine()));
      Process process = builder.start();
      return new ChildProcess(name, process, logFile, logStart);
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED, "cannot start %s: %s".formatted(name, e.getMessage()), e);
    }
  }

  public String name() {
    return name;
  }

  public long pid() {
    return process.pid();
  }

  public Path logFile() {
    return logFile;
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits until {@code ready} answers true, failing when the child exits first or the timeout
   * passes. The error names the log file and quotes its last lines.
   */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      if (!process.isAlive()) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "%s exited with code %d while starting; see %s%s"
                .formatted(name, process.exitValue(), logFile, lastLines()));
      }
      if (ready.getAsBoolean()) {
        return;
      }
      if (Instant.now().isAfter(deadline)) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "%s was not ready after %d s; see %s%s"
                .formatted(name, timeout.toSeconds(), logFile, lastLines()));
      }
      sleep(POLL);
    }
  }

  /** Waits for the child to exit and returns its exit code. */
  public int waitFor() {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(Duration.ofSeconds(10));
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "interrupted while waiting for " + name);
    }
  }

  /**
   * Asks the child to stop (SIGTERM), then kills it when it has not exited within {@code grace}.
   */
  public void stop(Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    LOG.info("stopping {} (pid {})", name, process.pid());
    process.destroy();
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.warn("{} did not stop within {}; killing it", name, grace);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(15));
  }

  /**
   * The last lines this child wrote to its log (at most 64 KiB of them), leaving out what earlier
   * runs wrote there.
   */
  public List<String> output() {
    try {
      // a log shorter than at the start was moved aside and begun again
      long length = Files.size(logFile);
      return lastLines(logFile, length < logStart ? 0 : logStart, 65_536);
    } catch (IOException e) {
      return List.of();
    }
  }

  private String lastLines() {
    List<String> lines = quotedLines(output(), 8);
    return lines.isEmpty() ? "" : "\n  " + String.join("\n  ", lines);
  }

  /**
   * The last {@code count} lines of a child's output that are not blank. When they are all stack
   * frames, the line that names the exception above them comes first, as the error is usually
   * there.
   */
  static List<String> quotedLines(List<String> childOutput, int count) {
    List<String> output = childOutput.stream().filter(line -> !line.isBlank()).toList();
    int from = Math.max(0, output.size() - count);
    List<String> last = output.subList(from, output.size());
    if (last.isEmpty() || !isStackFrame(last.get(0))) {
      return last;
    }
    for (int i = from - 1; i >= 0; i--) {
      if (!isStackFrame(output.get(i))) {
        List<String> quoted = new ArrayList<>();
        quoted.add(output.get(i));
        quoted.add("...");
        quoted.addAll(last);
        return quoted;
      }
    }
    return last;
  }

  /** The last {@code count} lines of a (possibly large) text file. */
  public static List<String> tail(Path file, int count) {
    try {
      List<String> lines = lastLines(file, 0, 16_384);
      return lines.subList(Math.max(0, lines.size() - count), lines.size());
    } catch (IOException e) {
      return List.of();
    }
  }

  /**
   * The whole lines in at most the last {@code maxBytes} of {@code file} from byte {@code from} on:
   * a read that starts after {@code from} drops its partial first line.
   */
  private static List<String> lastLines(Path file, long from, int maxBytes) throws IOException {
    try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
      long length = in.length();
      long start = Math.max(from, length - maxBytes);
      in.seek(start);
      byte[] bytes = new byte[(int) (length - start)];
      in.readFully(bytes);
      List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
      return start > from && !lines.isEmpty() ? lines.subList(1, lines.size()) : lines;
    }
  }

  private static boolean isStackFrame(String line) {
    String trimmed = line.strip();
    return trimmed.startsWith("at ") || (trimmed.startsWith("...") && trimmed.endsWith(" more"));
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "interrupted");
    }
  }
}
