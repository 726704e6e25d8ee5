package io.floe.core.config;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Everything {@code floe.yaml} configures, parsed once into typed values. Every key is optional;
 * the defaults run the embedded stack under {@code ./.floe}.
 *
 * @param source the file this came from, or {@code (defaults)}
 * @param home where the embedded stack keeps its state, logs and credentials
 */
public record FloeConfig(
    String source,
    Path home,
    CatalogConfig catalog,
    StorageConfig storage,
    TrinoConfig trino,
    SparkConfig spark) {
  public static final String DEFAULT_FILE = "floe.yaml";
  public static final String HOME = "home";

  /** Environment variable that overrides the default home {@code ./.floe}. */
  public static final String FLOE_HOME_ENV = "FLOE_HOME";

  public FloeConfig {
    requireNonNull(source, "source is null");
    requireNonNull(home, "home is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(storage, "storage is null");
    requireNonNull(trino, "trino is null");
    requireNonNull(spark, "spark is null");
  }

  /** The configuration with every default, reading only the process environment. */
  public static FloeConfig defaults() {
    return parse("(defaults)", "{}", System::getenv, Path.of(""));
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
    JsonNode root;
    try {
      root = new ObjectMapper(new YAMLFactory()).readTree(yaml);
    } catch (JsonProcessingException e) {
      String where =
          e.getLocation() == null
              ? ""
              : " at line %d, column %d"
                  .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr());
      throw new ConfigException(
          "%s: not valid YAML%s: %s".formatted(source, where, e.getOriginalMessage()), e);
    }
    ConfigNode node = new ConfigNode(source, "", root, environment);
    node.allowOnly(HOME, "catalog", "storage", "trino", "spark");
    String defaultHome = environment.apply(FLOE_HOME_ENV);
    Path home = Path.of(node.string(HOME, defaultHome == null ? ".floe" : defaultHome));
    return new FloeConfig(
        source,
        base.resolve(home).normalize(),
        CatalogConfig.read(node.section("catalog")),
        StorageConfig.read(node.section("storage")),
        TrinoConfig.read(node.section("trino")),
        SparkConfig.read(node.section("spark")));
  }

  /** A copy with another home, e.g. a test's own directory. */
  public FloeConfig withHome(Path newHome) {
    return new FloeConfig(source, newHome, catalog, storage, trino, spark);
  }

  /** Whether any part runs embedded, so {@code floe up} has something to start. */
  public boolean anyEmbedded() {
    return catalog.deployment() == Deployment.EMBEDDED
        || storage.deployment() == Deployment.EMBEDDED
        || trino.deployment() == Deployment.EMBEDDED;
  }
}
