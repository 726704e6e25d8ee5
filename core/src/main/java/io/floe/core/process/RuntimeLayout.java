package io.floe.core.process;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.File;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Where the build put what Floe launches as child processes. Each launchable module writes {@code
 * <runtime dir>/<artifactId>/runtime.properties} (its main class and class directory) and {@code
 * classpath.txt} (its dependencies).
 */
public final class RuntimeLayout {
  /** System property naming the runtime directory; the {@code floe} launcher script sets it. */
  public static final String RUNTIME_DIR_PROPERTY = "floe.runtime.dir";

  private final Path directory;

  private RuntimeLayout(Path directory) {
    this.directory = directory;
  }

  public static RuntimeLayout at(Path directory) {
    return new RuntimeLayout(directory);
  }

  /**
   * The layout of this installation: {@value #RUNTIME_DIR_PROPERTY} when set, else the nearest
   * {@code target/runtime} above where Floe's own classes were loaded from.
   */
  public static RuntimeLayout discover() {
    String configured = System.getProperty(RUNTIME_DIR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      return new RuntimeLayout(Path.of(configured));
    }
    Path code = JavaRuntimes.codeSourceOf(RuntimeLayout.class).toAbsolutePath();
    for (Path dir = code; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve("target").resolve("runtime");
      if (Files.isDirectory(candidate)) {
        return new RuntimeLayout(candidate);
      }
    }
    throw new FloeException(
        ErrorCode.NOT_INSTALLED,
        "cannot find Floe's runtime directory (target/runtime); build Floe first with ./mvnw package -DskipTests");
  }

  public Path directory() {
    return directory;
  }

  /** The properties the module {@code artifactId} wrote at build time. */
  public Properties properties(String artifactId) {
    Path file = directory.resolve(artifactId).resolve("runtime.properties");
    if (!Files.isRegularFile(file)) {
      throw notBuilt(artifactId, file);
    }
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.NOT_INSTALLED, "cannot read " + file + ": " + e, e);
    }
    return properties;
  }

  /**
   * The full runtime classpath of module {@code artifactId}: its classes, then its dependencies.
   */
  public List<Path> classpath(String artifactId) {
    Properties properties = properties(artifactId);
    Path file = directory.resolve(artifactId).resolve("classpath.txt");
    if (!Files.isRegularFile(file)) {
      throw notBuilt(artifactId, file);
    }
    List<Path> classpath = new ArrayList<>();
    classpath.add(Path.of(properties.getProperty("classes")));
    try {
      String content = Files.readString(file).trim();
      if (!content.isEmpty()) {
        Arrays.stream(content.split(File.pathSeparator)).map(Path::of).forEach(classpath::add);
      }
    } catch (IOException e) {
      throw new FloeException(ErrorCode.NOT_INSTALLED, "cannot read " + file + ": " + e, e);
    }
    return classpath;
  }

  /** A property of module {@code artifactId}, if it wrote one. */
  public Optional<String> property(String artifactId, String key) {
    return Optional.ofNullable(properties(artifactId).getProperty(key));
  }

  private static FloeException notBuilt(String artifactId, Path file) {
    return new FloeException(
        ErrorCode.NOT_INSTALLED,
        "%s is missing; build Floe first with ./mvnw package -DskipTests (module %s)"
            .formatted(file, artifactId));
  }
}
