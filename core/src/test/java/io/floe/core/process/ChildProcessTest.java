package io.floe.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.FloeException;
import io.floe.core.io.LogRotation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child's log is appended to, and moved aside at the child's start once it is full; a failed
 * start quotes the child's own output.
 */
class ChildProcessTest {
  @TempDir Path dir;

  /** The child: prints its argument. */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("child says " + args[0]);
    }
  }

  /** The child: fails its start with an exception whose stack is longer than an error quotes. */
  public static final class FailingStart {
    public static void main(String[] args) {
      System.out.println("starting");
      System.out.println("java.net.BindException: Address already in use");
      for (int i = 0; i < 12; i++) {
        System.out.println("\tat example.Server.frame" + i + "(Server.java:" + i + ")");
      }
      System.out.println("\t... 3 more");
      System.exit(100);
    }
  }

  @Test
  void aStartFailureQuotesTheExceptionAboveItsStackAndOnlyThisRunsOutput() {
    Path log = dir.resolve("service.log");
    assertThat(run("earlier run", log)).isZero();

    try (ChildProcess child =
        ChildProcess.start(
            "service", JavaCommand.of(classpath(), FailingStart.class.getName()), dir, log)) {
      assertThatThrownBy(() -> child.awaitReady(() -> false, Duration.ofSeconds(60)))
          .isInstanceOf(FloeException.class)
          .hasMessageStartingWith("service exited with code 100 while starting; see " + log)
          .hasMessageContaining(
              "\n  java.net.BindException: Address already in use\n  ...\n  \tat example.Server.frame5")
          .hasMessageEndingWith("\t... 3 more");
      assertThat(child.output()).startsWith("starting").doesNotContain("child says earlier run");
    }
  }

  @Test
  void quotesTheLastLinesThatAreNotBlankWithTheExceptionAboveAStack() {
    List<String> output = List.of("a", "java.lang.Error: boom", "\tat x.y(Z.java:1)", "exiting");
    List<String> withBlanks = List.of("java.lang.Error: boom", "", "\tat x.y(Z.java:1)", " ", "");

    assertThat(ChildProcess.quotedLines(output, 3))
        .containsExactly(output.subList(1, 4).toArray(String[]::new));
    assertThat(ChildProcess.quotedLines(output, 1)).containsExactly("exiting");
    assertThat(ChildProcess.quotedLines(output.subList(0, 3), 1))
        .containsExactly("java.lang.Error: boom", "...", "\tat x.y(Z.java:1)");
    assertThat(ChildProcess.quotedLines(withBlanks, 1))
        .containsExactly("java.lang.Error: boom", "...", "\tat x.y(Z.java:1)");
    assertThat(ChildProcess.quotedLines(List.of(), 8)).isEmpty();
  }

  @Test
  void aFullLogIsMovedAsideWhenTheChildStartsAndASmallOneIsAppendedTo() throws IOException {
    Path log = dir.resolve("logs").resolve("service.log");
    assertThat(run("first", log)).isZero();
    assertThat(run("second", log)).isZero();
    assertThat(Files.readAllLines(log)).containsExactly("child says first", "child says second");

    // a log that reached the limit (sparse: only its length matters)
    try (RandomAccessFile full = new RandomAccessFile(log.toFile(), "rw")) {
      full.setLength(ChildProcess.LOG_MAX_BYTES);
    }
    assertThat(run("third", log)).isZero();

    assertThat(Files.readAllLines(log)).containsExactly("child says third");
    assertThat(Files.size(LogRotation.numbered(log, 1))).isEqualTo(ChildProcess.LOG_MAX_BYTES);
  }

  private int run(String word, Path log) {
    try (ChildProcess child =
        ChildProcess.start(
            "echo", JavaCommand.of(classpath(), Echo.class.getName(), word), dir, log)) {
      return child.waitFor();
    }
  }

  private static List<Path> classpath() {
    return Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .map(Path::of)
        .toList();
  }
}
