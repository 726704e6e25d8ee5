package io.floe.core.process;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/** Finds JDKs on this machine: the running one, or one of at least a given feature version. */
public final class JavaRuntimes {
  /** Environment variable naming a JDK to use for services that need a newer Java (Trino). */
  public static final String FLOE_SERVICE_JAVA_HOME = "FLOE_SERVICE_JAVA_HOME";

  private static final List<Path> JDK_PARENTS =
      List.of(
          Path.of("/usr/lib/jvm"),
          Path.of("/usr/java"),
          Path.of("/opt/java"),
          Path.of("/opt"),
          Path.of("/Library/Java/JavaVirtualMachines"),
          Path.of(System.getProperty("user.home"), ".sdkman", "candidates", "java"),
          Path.of(System.getProperty("user.home"), ".jdks"));

  private JavaRuntimes() {}

  /** The home of the JDK running this process. */
  public static Path current() {
    return Path.of(System.getProperty("java.home"));
  }

  /**
   * A JDK whose feature version is at least {@code minimum}: {@value #FLOE_SERVICE_JAVA_HOME} if
   * set, else the running JDK, else the newest one found in the usual install locations.
   *
   * @throws FloeException naming what to install when there is none
   */
  public static Path atLeast(int minimum, String neededBy) {
    String override = System.getenv(FLOE_SERVICE_JAVA_HOME);
    if (override != null && !override.isBlank()) {
      Path home = Path.of(override);
      int version = featureVersion(home).orElse(0);
      if (version < minimum) {
        throw new FloeException(
            ErrorCode.MISSING_PREREQUISITE,
            "%s=%s is not a JDK %d or newer (found %s), which %s needs"
                .formatted(
                    FLOE_SERVICE_JAVA_HOME,
                    override,
                    minimum,
                    version == 0 ? "no JDK" : "Java " + version,
                    neededBy));
      }
      return home;
    }
    if (Runtime.version().feature() >= minimum) {
      return current();
    }
    return candidates().stream()
        .filter(home -> featureVersion(home).orElse(0) >= minimum)
        .max(Comparator.comparingInt(home -> featureVersion(home).orElse(0)))
        .orElseThrow(
            () ->
                new FloeException(
                    ErrorCode.MISSING_PREREQUISITE,
                    "%s needs a JDK %d or newer and none was found in %s; install one (for example Temurin %d) or set %s"
                        .formatted(
                            neededBy,
                            minimum,
                            JDK_PARENTS.get(0),
                            minimum,
                            FLOE_SERVICE_JAVA_HOME)));
  }

  /** The feature version of the JDK at {@code home}, read from its {@code release} file. */
  public static Optional<Integer> featureVersion(Path home) {
    Path release = home.resolve("release");
    if (!Files.isRegularFile(release) || !Files.isExecutable(home.resolve("bin/java"))) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(release)) {
      properties.load(in);
    } catch (IOException e) {
      return Optional.empty();
    }
    String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
    if (version.isEmpty()) {
      return Optional.empty();
    }
    String feature = version.startsWith("1.") ? version.substring(2) : version;
    int end = 0;
    while (end < feature.length() && Character.isDigit(feature.charAt(end))) {
      end++;
    }
    return end == 0 ? Optional.empty() : Optional.of(Integer.parseInt(feature.substring(0, end)));
  }

  static List<Path> candidates() {
    List<Path> homes = new ArrayList<>();
    String javaHome = System.getenv("JAVA_HOME");
    if (javaHome != null && !javaHome.isBlank()) {
      homes.add(Path.of(javaHome));
    }
    for (Path parent : JDK_PARENTS) {
      if (!Files.isDirectory(parent)) {
        continue;
      }
      try (Stream<Path> children = Files.list(parent)) {
        children.forEach(
            child -> {
              homes.add(child);
              homes.add(child.resolve("Contents/Home"));
            });
      } catch (IOException e) {
        // an unreadable directory holds no usable JDK
      }
    }
    return homes;
  }

  /** The jar or class directory a class was loaded from. */
  static Path codeSourceOf(Class<?> type) {
    try {
      return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException("cannot locate the code of " + type.getName(), e);
    }
  }
}
