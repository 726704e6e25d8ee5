package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.io.LogRotation;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shared command log: appended to by every command, never truncated, rotated by size. */
class LogFileTest {
  @TempDir Path logs;

  @Test
  void commandsRunningAtOnceAppendWholeLinesEachMarkedWithItsProcess() throws IOException {
    Path file = logs.resolve("floe.log");
    Files.writeString(file, "an earlier command's stack trace\n");
    try (PrintStream daemon = LogFile.open(file, 100);
        PrintStream oneShot = LogFile.open(file, 200)) {
      daemon.println("daemon: maintaining db.a");
      oneShot.print("check: ");
      oneShot.println("verdict PASS");
      daemon.print("daemon: two lines\nin one write\n");
      new IllegalStateException("boom").printStackTrace(oneShot);
    }

    assertThat(Files.readAllLines(file, StandardCharsets.UTF_8))
        .startsWith(
            "an earlier command's stack trace",
            "100 daemon: maintaining db.a",
            "200 check: verdict PASS",
            "100 daemon: two lines",
            "100 in one write",
            "200 java.lang.IllegalStateException: boom")
        .allSatisfy(line -> assertThat(line).matches("an earlier.*|(100|200) .*"));
  }

  @Test
  void aLongRunningWriterFollowsTheRotationAndRotatesWhatItFillsItself() throws IOException {
    Path file = logs.resolve("floe.log");
    try (PrintStream daemon = LogFile.open(file, 7, 200, 3, java.time.Duration.ZERO)) {
      daemon.println("before");
      // another command starting now finds the file full and moves it aside
      LogRotation.rotate(file, 1, 3);
      assertThat(file).doesNotExist();
      daemon.println("after");
      assertThat(Files.readString(file)).isEqualTo("7 after\n");
      assertThat(Files.readString(LogRotation.numbered(file, 1))).isEqualTo("7 before\n");

      // alone, it rotates the file once past the limit
      for (int i = 0; i < 5; i++) {
        daemon.println("line %d %s".formatted(i, "y".repeat(60)));
      }
    }
    assertThat(Files.size(file)).isLessThan(200 + 80);
    assertThat(LogRotation.numbered(file, 2)).exists();
    assertThat(Files.readString(LogRotation.numbered(file, 2))).isEqualTo("7 before\n");
  }

  @Test
  void aFullLogMovesAsideAndTheOldestBeyondTheKeptOnesIsDropped() throws IOException {
    Path file = logs.resolve("floe.log");
    for (int round = 1; round <= 4; round++) {
      try (PrintStream log = LogFile.open(file, round, 64, 2)) {
        log.println("round %d: %s".formatted(round, "x".repeat(70)));
      }
    }

    // rounds 1-3 each filled the file, so rounds 2-4 each started a new one
    assertThat(Files.readString(file)).startsWith("4 round 4");
    assertThat(Files.readString(LogRotation.numbered(file, 1))).startsWith("3 round 3");
    assertThat(Files.readString(LogRotation.numbered(file, 2))).startsWith("2 round 2");
    assertThat(LogRotation.numbered(file, 3)).doesNotExist();

    // below the limit nothing moves
    LogRotation.rotate(file, 1 << 20, 2);
    assertThat(Files.readString(file)).startsWith("4 round 4");
  }
}
