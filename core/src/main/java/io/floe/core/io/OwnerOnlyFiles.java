package io.floe.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Properties;

/**
 * Writes files that hold secrets (keys, tokens): readable by the owner only from the first byte,
 * and replaced atomically so a reader never sees half a file.
 */
public final class OwnerOnlyFiles {
  private OwnerOnlyFiles() {}

  /** Produces a file's content. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Replaces {@code file} with {@code content}, creating its directory when needed. */
  public static void write(Path file, Content content) throws IOException {
    Path directory = file.toAbsolutePath().getParent();
    Files.createDirectories(directory);
    Path temp = Files.createTempFile(directory, file.getFileName().toString(), ".tmp");
    try {
      try {
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system; the directory's own permissions apply
      }
      try (OutputStream out = Files.newOutputStream(temp)) {
        content.writeTo(out);
      }
      Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** Replaces {@code file} with {@code values} in {@code .properties} format. */
  public static void writeProperties(Path file, Map<String, String> values, String comment)
      throws IOException {
    Properties properties = new Properties();
    values.forEach(properties::setProperty);
    write(
        file,
        out ->
            properties.store(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), comment));
  }
}
