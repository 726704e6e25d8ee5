package io.floe.stack;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.OwnerOnlyFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
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
      OwnerOnlyFiles.writeProperties(
          file,
          Map.of(
              "s3.access-key", created.s3AccessKey(),
              "s3.secret-key", created.s3SecretKey(),
              "catalog.token", created.catalogToken()),
          "Floe embedded stack credentials; keep private");
      return created;
    } catch (IOException | RuntimeException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR,
          "cannot read or create %s: %s".formatted(file, e.getMessage()),
          e);
    }
  }

  private static String hex(SecureRandom random, int bytes) {
    byte[] value = new byte[bytes];
    random.nextBytes(value);
    return HexFormat.of().formatHex(value);
  }
}
