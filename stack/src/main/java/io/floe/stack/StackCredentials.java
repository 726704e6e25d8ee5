package io.floe.stack;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The secrets of an embedded stack: S3 keys and the catalog's bearer token. Generated on first
 * start and kept (owner-readable only) in the home, so state written under them stays readable
 * across {@code floe down} and {@code floe up}.
 */
public record StackCredentials(String s3AccessKey, String s3SecretKey, String catalogToken) {
  static final String FILE_NAME = "credentials.properties";

  public StackCredentials {
    requireNonNull(s3AccessKey, "s3AccessKey is null");
    requireNonNull(s3SecretKey, "s3SecretKey is null");
    requireNonNull(catalogToken, "catalogToken is null");
  }

  /** The credentials kept in {@code home}, generating and saving them the first time. */
  public static StackCredentials loadOrCreate(Path home) {
    Path file = home.resolve(FILE_NAME);
    try {
      if (Files.exists(file)) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
          properties.load(in);
        }
        return new StackCredentials(
            properties.getProperty("s3.access-key"),
            properties.getProperty("s3.secret-key"),
            properties.getProperty("catalog.token"));
      }
      SecureRandom random = new SecureRandom();
      StackCredentials created =
          new StackCredentials("floe" + hex(random, 8), hex(random, 20), hex(random, 24));
      Files.createDirectories(home);
      Properties properties = new Properties();
      properties.setProperty("s3.access-key", created.s3AccessKey());
      properties.setProperty("s3.secret-key", created.s3SecretKey());
      properties.setProperty("catalog.token", created.catalogToken());
      Path temp = Files.createTempFile(home, "credentials", ".tmp");
      restrictToOwner(temp);
      try (Writer out = Files.newBufferedWriter(temp)) {
        properties.store(out, "Floe embedded stack credentials; keep private");
      }
      Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      return created;
    } catch (IOException | RuntimeException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR,
          "cannot read or create %s: %s".formatted(file, e.getMessage()),
          e);
    }
  }

  static void restrictToOwner(Path file) throws IOException {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system; the home directory's own permissions apply
    }
  }

  private static String hex(SecureRandom random, int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
