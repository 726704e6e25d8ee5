package io.floe.app;

import io.floe.core.io.LogRotation;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;

/**
 * The log every {@code floe} command of one home shares, {@code <home>/logs/floe.log}. A daemon and
 * the one-shot commands cron or a user start beside it all append to it (none truncates what
 * another wrote), each line starting with the writing process's id. Once it passes {@link
 * #MAX_BYTES}, the next command to start moves it to {@code floe.log.1} (and {@code .1} to {@code
 * .2}, up to {@link #KEPT}); a process still writing then reopens the path within a second, and
 * rotates the file itself when it is the one filling it.
 */
final class LogFile {
  static final long MAX_BYTES = 16L << 20;
  static final int KEPT = 5;

  private LogFile() {}

  /** Opens {@code file} for appending, after rotating it when it is too large. */
  static PrintStream open(Path file, long pid) throws IOException {
    return open(file, pid, MAX_BYTES, KEPT);
  }

  static PrintStream open(Path file, long pid, long maxBytes, int kept) throws IOException {
    return open(file, pid, maxBytes, kept, Duration.ofSeconds(1));
  }

  /**
   * @param recheck how often a long-running writer looks whether its file was rotated (then it
   *     reopens the path) or is full (then it rotates it)
   */
  static PrintStream open(Path file, long pid, long maxBytes, int kept, Duration recheck)
      throws IOException {
    LogRotation.rotate(file, maxBytes, kept);
    // a line reaches the file in one write (PrintStream flushes per line), so lines of processes
    // appending at once interleave whole
    return new PrintStream(
        new LinePrefix(
            new BufferedOutputStream(new Following(file, maxBytes, kept, recheck), 1 << 14),
            pid + " "),
        true,
        StandardCharsets.UTF_8);
  }

  /**
   * Appends to the file at a path, following it: a daemon logging for weeks would otherwise go on
   * writing into a file another command rotated away (and, rotated further, deleted), or grow one
   * file without end when no other command starts.
   */
  private static final class Following extends OutputStream {
    private final Path file;
    private final long maxBytes;
    private final int kept;
    private final long recheckNanos;
    private FileOutputStream current;
    private Object fileKey;
    private long checkedAt;

    Following(Path file, long maxBytes, int kept, Duration recheck) throws IOException {
      this.file = file;
      this.maxBytes = maxBytes;
      this.kept = kept;
      this.recheckNanos = recheck.toNanos();
      reopen();
    }

    private void reopen() throws IOException {
      FileOutputStream opened = new FileOutputStream(file.toFile(), true);
      if (current != null) {
        current.close();
      }
      current = opened;
      fileKey = key();
      checkedAt = System.nanoTime();
    }

    private Object key() {
      try {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
      } catch (IOException e) {
        return null;
      }
    }

    private void follow() throws IOException {
      if (System.nanoTime() - checkedAt < recheckNanos) {
        return;
      }
      checkedAt = System.nanoTime();
      LogRotation.rotate(file, maxBytes, kept);
      Object now = key();
      if (now == null || !now.equals(fileKey)) {
        reopen();
      }
    }

    @Override
    public void write(int b) throws IOException {
      follow();
      current.write(b);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      follow();
      current.write(bytes, offset, length);
    }

    @Override
    public void close() throws IOException {
      current.close();
    }
  }

  /** Starts every line written through it with a prefix. */
  private static final class LinePrefix extends FilterOutputStream {
    private final byte[] prefix;
    private boolean lineStart = true;

    LinePrefix(OutputStream out, String prefix) {
      super(out);
      this.prefix = prefix.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void write(int b) throws IOException {
      if (lineStart) {
        out.write(prefix);
      }
      out.write(b);
      lineStart = b == '\n';
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      int start = offset;
      int end = offset + length;
      for (int i = offset; i < end; i++) {
        if (bytes[i] == '\n') {
          writeSegment(bytes, start, i + 1);
          start = i + 1;
        }
      }
      if (start < end) {
        writeSegment(bytes, start, end);
      }
    }

    private void writeSegment(byte[] bytes, int from, int to) throws IOException {
      if (lineStart) {
        out.write(prefix);
      }
      out.write(bytes, from, to - from);
      lineStart = bytes[to - 1] == '\n';
    }
  }
}
