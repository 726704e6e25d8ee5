package io.floe.core.process;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.io.LogRotation;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A child's log is appended to, and moved aside at the child's start once it is full. */
class ChildProcessTest {
  @TempDir Path dir;

  /** The child: prints its argument. */
  public static final class Echo {
    public static void main(String[] args) {
      System.out.println("child says " + args[0]);
    }
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
    List<Path> classpath =
        Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
            .map(Path::of)
            .toList();
    try (ChildProcess child =
        ChildProcess.start(
            "echo", JavaCommand.of(classpath, Echo.class.getName(), word), dir, log)) {
      return child.waitFor();
    }
  }
}
