package io.floe.core.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Size-based rotation of the log files in a Floe home ({@code floe.log}, the embedded services'
 * logs): a full file moves to {@code <name>.1}, the older ones shift up, the one beyond the kept
 * count is deleted.
 */
public final class LogRotation {
  private LogRotation() {}

  /**
   * Moves {@code file} to {@code file.1} (shifting older ones, dropping the one beyond {@code
   * kept}) when it has reached {@code maxBytes}. Two processes rotating at once rotate once: the
   * second finds the lock held or the file small. Logging is best effort: a failure here leaves the
   * file as it is.
   */
  public static void rotate(Path file, long maxBytes, int kept) {
    try {
      if (!Files.exists(file) || Files.size(file) < maxBytes) {
        return;
      }
      Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
      try (FileChannel channel =
              FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.tryLock()) {
        if (lock == null || !Files.exists(file) || Files.size(file) < maxBytes) {
          return;
        }
        Files.deleteIfExists(numbered(file, kept));
        for (int i = kept - 1; i >= 1; i--) {
          if (Files.exists(numbered(file, i))) {
            Files.move(numbered(file, i), numbered(file, i + 1), StandardCopyOption.ATOMIC_MOVE);
          }
        }
        Files.move(file, numbered(file, 1), StandardCopyOption.ATOMIC_MOVE);
      }
    } catch (IOException | OverlappingFileLockException e) {
      // keep logging to the file as it is
    }
  }

  /** {@code file} with {@code .index} appended: where its {@code index}-th rotation lies. */
  public static Path numbered(Path file, int index) {
    return file.resolveSibling(file.getFileName() + "." + index);
  }
}
