package io.floe.core.config;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Everything {@code floe.yaml} configures, parsed once into typed values. Every key is optional;
 * the defaults run the embedded stack under {@code ./.floe}.
 *
 * @param source the file this came from, or {@value #DEFAULTS_SOURCE}
 * @param home where the embedded stack keeps its state, logs and credentials
 * @param base the directory relative paths (e.g. referenced suite files) resolve against
 * @param root the whole file, for the sections other modules own and parse themselves ({@link
 *     #MODULE_SECTIONS})
 */
public record FloeConfig(
    String source,
    Path home,
    CatalogConfig catalog,
    StorageConfig storage,
    TrinoConfig trino,
    SparkConfig spark,
    Path base,
    ConfigNode root) {
  public static final String DEFAULT_FILE = "floe.yaml";
  public static final String HOME = "home";

  /**
   * Top-level sections parsed by the modules that own them: {@code tables} (per-table quality
   * suites and maintenance policies), {@code pipeline} (sources and examples), {@code maintenance},
   * {@code quality}, {@code views} and {@code access} (Trino serving).
   */
  public static final List<String> MODULE_SECTIONS =
      List.of("tables", "pipeline", "quality", "maintenance", "views", "access");

  /**
   * The sections a table of {@code tables} may have, each parsed by its module: so a misspelt one
   * ({@code qualty:}) is an error here, not a suite silently missing.
   */
  public static final List<String> TABLE_SECTIONS = List.of("quality", "maintenance");

  /** Environment variable that overrides the default home {@code ./.floe}. */
  public static final String FLOE_HOME_ENV = "FLOE_HOME";

  public FloeConfig {
    requireNonNull(source, "source is null");
    requireNonNull(home, "home is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(storage, "storage is null");
    requireNonNull(trino, "trino is null");
    requireNonNull(spark, "spark is null");
    requireNonNull(base, "base is null");
    requireNonNull(root, "root is null");
  }

  /** One of {@link #MODULE_SECTIONS}, empty when the file does not have it. */
  public ConfigNode section(String name) {
    if (!MODULE_SECTIONS.contains(name)) {
      throw new IllegalArgumentException("not a module section: " + name);
    }
    return root.section(name);
  }

  /** The {@link #source} of a configuration read from no file: every value its default. */
  public static final String DEFAULTS_SOURCE = "(defaults)";

  /** Whether this came from no file ({@link #defaults}). */
  public boolean fromDefaults() {
    return DEFAULTS_SOURCE.equals(source);
  }

  /** The configuration with every default, reading only the process environment. */
  public static FloeConfig defaults() {
    return parse(DEFAULTS_SOURCE, "{}", System::getenv, Path.of(""));
  }

  /** Reads {@code file}, which must exist. */
  public static FloeConfig load(Path file) {
    if (!Files.exists(file)) {
      throw new ConfigException("%s: file not found".formatted(file));
    }
    try {
      Path base = file.toAbsolutePath().getParent();
      return parse(file.toString(), Files.readString(file), System::getenv, base);
    } catch (IOException e) {
      throw new ConfigException("%s: cannot read: %s".formatted(file, e.getMessage()), e);
    }
  }

  /** Reads {@code file} when it exists, else returns the defaults. */
  public static FloeConfig loadOrDefaults(Path file) {
    return Files.exists(file) ? load(file) : defaults();
  }

  /** Parses YAML text; relative paths resolve against {@code base}. */
  public static FloeConfig parse(
      String source, String yaml, Function<String, String> environment, Path base) {
    ConfigNode node = ConfigNode.parse(source, yaml, environment);
    List<String> allowed = new ArrayList<>(List.of(HOME, "catalog", "storage", "trino", "spark"));
    allowed.addAll(MODULE_SECTIONS);
    node.allowOnly(allowed.toArray(String[]::new));
    ConfigNode tables = node.section("tables");
    for (String table : tables.names()) {
      tables.section(table).allowOnly(TABLE_SECTIONS.toArray(String[]::new));
    }
    String defaultHome = environment.apply(FLOE_HOME_ENV);
    Path home = Path.of(node.string(HOME, defaultHome == null ? ".floe" : defaultHome));
    return new FloeConfig(
        source,
        base.resolve(home).normalize(),
        CatalogConfig.read(node.section("catalog")),
        StorageConfig.read(node.section("storage")),
        TrinoConfig.read(node.section("trino")),
        SparkConfig.read(node.section("spark")),
        base,
        node);
  }

  /** A copy with another home, e.g. a test's own directory. */
  public FloeConfig withHome(Path newHome) {
    return new FloeConfig(source, newHome, catalog, storage, trino, spark, base, root);
  }

  /** Whether any part runs embedded, so {@code floe up} has something to start. */
  public boolean anyEmbedded() {
    return catalog.deployment() == Deployment.EMBEDDED
        || storage.deployment() == Deployment.EMBEDDED
        || trino.deployment() == Deployment.EMBEDDED;
  }
}
