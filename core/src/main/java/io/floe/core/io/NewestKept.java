package io.floe.core.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps only the newest of the files or directories Floe writes one per event (an HTML report per
 * evaluation, a directory per Spark job run), whose names start with a sortable time stamp, so that
 * a scheduler running for months does not fill the disk.
 */
public final class NewestKept {
  private static final Logger LOG = LoggerFactory.getLogger(NewestKept.class);

  private NewestKept() {}

  /**
   * Deletes the entries of {@code directory} whose whole name matches {@code name}, beyond the
   * {@code kept} that sort last by name (directories with everything in them); nothing else in the
   * directory is touched. Another process pruning the same directory at once is harmless. A failure
   * only leaves more behind than asked, so it is logged, not thrown.
   */
  public static void prune(Path directory, Pattern name, int kept) {
    List<Path> entries;
    try (Stream<Path> listed = Files.list(directory)) {
      entries =
          listed
              .filter(p -> name.matcher(p.getFileName().toString()).matches())
              .sorted(Comparator.comparing((Path p) -> p.getFileName().toString()).reversed())
              .toList();
    } catch (IOException e) {
      LOG.warn("listing {} failed: {}", directory, e.getMessage(), e);
      return;
    }
    for (Path old : entries.subList(Math.min(kept, entries.size()), entries.size())) {
      try (Stream<Path> tree = Files.walk(old)) {
        for (Path path : tree.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException | UncheckedIOException e) {
        LOG.warn("deleting {} failed: {}", old, e.getMessage(), e);
      }
    }
  }
}
