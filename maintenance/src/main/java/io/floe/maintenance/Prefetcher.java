package io.floe.maintenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.inmemory.InMemoryInputFile;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;

/**
 * Downloads the small data files of a file group a few at a time ahead of the reader, so that
 * re-encoding many small files is not one object-store round trip after another. Files above {@link
 * #MAX_BYTES} are read in place. On S3 a small file is read with one signed GET ({@link DirectS3})
 * where the FileIO's configuration allows it.
 */
final class Prefetcher implements AutoCloseable {
  static final long MAX_BYTES = 16L << 20;
  private static final int AHEAD = 16;
  private static final ExecutorService DOWNLOADS =
      Executors.newFixedThreadPool(
          16,
          runnable -> {
            Thread thread = new Thread(runnable, "floe-prefetch");
            thread.setDaemon(true);
            return thread;
          });

  private final FileIO io;
  private final Optional<DirectS3> direct;
  private final List<FileScanTask> tasks;
  private final Deque<Future<InputFile>> pending = new ArrayDeque<>();
  private int submitted;

  Prefetcher(FileIO io, List<FileScanTask> tasks) {
    this.io = io;
    this.direct = DirectS3.forReads(io);
    this.tasks = tasks;
    fill();
  }

  /** The data file of the next task, in task order. */
  InputFile next() {
    Future<InputFile> head = pending.poll();
    if (head == null) {
      throw new IllegalStateException("no more files to prefetch");
    }
    fill();
    try {
      return head.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading a data file", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void fill() {
    while (pending.size() < AHEAD && submitted < tasks.size()) {
      FileScanTask task = tasks.get(submitted++);
      pending.add(DOWNLOADS.submit(() -> fetch(task)));
    }
  }

  private InputFile fetch(FileScanTask task) {
    long size = task.file().fileSizeInBytes();
    String location = task.file().location();
    if (size <= MAX_BYTES && direct.isPresent()) {
      Optional<byte[]> bytes = direct.get().read(location, size);
      if (bytes.isPresent()) {
        return new InMemoryInputFile(location, bytes.get());
      }
    }
    InputFile file = io.newInputFile(task.file());
    if (size > MAX_BYTES) {
      return file;
    }
    try (InputStream in = file.newStream()) {
      return new InMemoryInputFile(file.location(), in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file.location(), e);
    }
  }

  @Override
  public void close() {
    pending.forEach(future -> future.cancel(true));
    pending.clear();
  }
}
