package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The {@code pipeline:} section of {@code floe.yaml}: the sources to ingest, the bronze tables they
 * land in, and files to download first. Adding a table is configuration, not code. Without a {@code
 * pipeline:} section Floe runs the built-in e-commerce and tweets example ({@value
 * #DEFAULT_RESOURCE}).
 */
public record PipelineConfig(
    String source,
    String bronzeNamespace,
    List<PostgresSource> postgres,
    List<FileSource> files,
    List<KafkaSource> kafka,
    List<DownloadSpec> downloads) {
  public static final String SECTION = "pipeline";
  public static final String DEFAULT_RESOURCE = "io/floe/pipeline/default-pipeline.yaml";

  public static final String BRONZE_NAMESPACE = "bronze-namespace";
  public static final String BRONZE_NAMESPACE_DEFAULT = "bronze";
  public static final String SOURCES = "sources";
  public static final String DOWNLOADS = "downloads";

  public static final String KIND = "kind";
  public static final String TARGET = "target";
  public static final String COLUMNS = "columns";

  public static final String JDBC_URL = "jdbc-url";
  public static final String DATABASE = "database";
  public static final String DATABASE_DEFAULT = "shop";
  public static final String SCHEMA = "schema";
  public static final String SCHEMA_DEFAULT = "public";
  public static final String USER = "user";
  public static final String PASSWORD = "password";
  public static final String TABLES = "tables";
  public static final String MODE = "mode";
  public static final JdbcTable.Mode MODE_DEFAULT = JdbcTable.Mode.INCREMENTAL;
  public static final String WATERMARK = "watermark";
  public static final String WATERMARK_DEFAULT = "updated_at";
  public static final String LOOKBACK = "lookback";

  /**
   * Covers transactions that commit a row up to this long after its watermark value was taken
   * (PostgreSQL's {@code now()} is the transaction's start); rereading it costs little.
   */
  public static final Duration LOOKBACK_DEFAULT = Duration.ofMinutes(5);

  public static final String PATH = "path";
  public static final String FORMAT = "format";
  public static final String COMPRESSION = "compression";
  public static final FileSource.Compression COMPRESSION_DEFAULT = FileSource.Compression.AUTO;
  public static final String HEADER = "header";
  public static final boolean HEADER_DEFAULT = true;

  public static final String BOOTSTRAP_SERVERS = "bootstrap-servers";
  public static final String TOPIC = "topic";
  public static final String TRIGGER = "trigger";
  public static final KafkaSource.Trigger TRIGGER_DEFAULT = KafkaSource.Trigger.AVAILABLE_NOW;
  public static final String INTERVAL = "interval";
  public static final Duration INTERVAL_DEFAULT = Duration.ofSeconds(10);
  public static final String CHECKPOINT = "checkpoint";
  public static final String STARTING_OFFSETS = "starting-offsets";
  public static final String STARTING_OFFSETS_DEFAULT = "earliest";

  public static final String URL = "url";
  public static final String SHA256 = "sha256";
  public static final String PART_SIZE = "part-size";
  public static final long PART_SIZE_DEFAULT = 8L << 20;

  /** The source kinds. */
  enum Kind {
    POSTGRES,
    FILES,
    KAFKA
  }

  public PipelineConfig {
    requireNonNull(source, "source is null");
    requireNonNull(bronzeNamespace, "bronzeNamespace is null");
    postgres = List.copyOf(postgres);
    files = List.copyOf(files);
    kafka = List.copyOf(kafka);
    downloads = List.copyOf(downloads);
  }

  /** The pipeline of {@code config}, or the built-in example when it has no pipeline section. */
  public static PipelineConfig of(FloeConfig config) {
    ConfigNode section = config.section(SECTION);
    return section.isPresent() ? read(section) : builtIn();
  }

  /** The built-in e-commerce and tweets example. */
  public static PipelineConfig builtIn() {
    try (InputStream in =
        PipelineConfig.class.getClassLoader().getResourceAsStream(DEFAULT_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + DEFAULT_RESOURCE);
      }
      String yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return parse("(built-in " + DEFAULT_RESOURCE + ")", yaml, System::getenv);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Parses a YAML document whose top level has a {@code pipeline:} section. */
  public static PipelineConfig parse(
      String source, String yaml, Function<String, String> environment) {
    return read(ConfigNode.parse(source, yaml, environment).section(SECTION));
  }

  /** Reads a {@code pipeline:} section. */
  public static PipelineConfig read(ConfigNode node) {
    node.allowOnly(BRONZE_NAMESPACE, SOURCES, DOWNLOADS);
    String namespace = node.string(BRONZE_NAMESPACE, BRONZE_NAMESPACE_DEFAULT);
    requireIdentifier(node, BRONZE_NAMESPACE, namespace);
    List<PostgresSource> postgres = new ArrayList<>();
    List<FileSource> files = new ArrayList<>();
    List<KafkaSource> kafka = new ArrayList<>();
    Set<String> targets = new HashSet<>();
    ConfigNode sources = node.section(SOURCES);
    for (String name : sources.names()) {
      ConfigNode source = sources.section(name);
      if (!source.has(KIND)) {
        throw source.error(source.key(KIND), "missing; allowed values are postgres, files, kafka");
      }
      switch (source.enumValue(KIND, Kind.class, Kind.FILES)) {
        case POSTGRES -> {
          PostgresSource read = readPostgres(name, source);
          for (JdbcTable table : read.tables()) {
            claim(targets, source.section(TABLES).section(table.name()), table.target());
          }
          postgres.add(read);
        }
        case FILES -> {
          FileSource read = readFiles(name, source);
          claim(targets, source, read.target());
          files.add(read);
        }
        case KAFKA -> {
          KafkaSource read = readKafka(name, source);
          claim(targets, source, read.target());
          kafka.add(read);
        }
      }
    }
    List<DownloadSpec> downloads = new ArrayList<>();
    ConfigNode downloadSection = node.section(DOWNLOADS);
    for (String name : downloadSection.names()) {
      downloads.add(readDownload(name, downloadSection.section(name)));
    }
    return new PipelineConfig(node.file(), namespace, postgres, files, kafka, downloads);
  }

  /** Every bronze table this pipeline writes (without quarantine tables). */
  public List<String> targets() {
    List<String> all = new ArrayList<>();
    postgres.forEach(p -> p.tables().forEach(t -> all.add(t.target())));
    files.forEach(f -> all.add(f.target()));
    kafka.forEach(k -> all.add(k.target()));
    return all;
  }

  /** A copy writing to another bronze namespace (tests use one per class). */
  public PipelineConfig withBronzeNamespace(String namespace) {
    return new PipelineConfig(source, namespace, postgres, files, kafka, downloads);
  }

  private static PostgresSource readPostgres(String name, ConfigNode node) {
    node.allowOnly(KIND, JDBC_URL, DATABASE, SCHEMA, USER, PASSWORD, LOOKBACK, TABLES);
    Optional<String> url = node.optionalString(JDBC_URL);
    url.ifPresent(
        value -> {
          if (!value.startsWith("jdbc:postgresql:")) {
            throw node.error(
                node.key(JDBC_URL), "'%s' is not a jdbc:postgresql: URL".formatted(value));
          }
        });
    String schema = node.string(SCHEMA, SCHEMA_DEFAULT);
    requireIdentifier(node, SCHEMA, schema);
    ConfigNode tablesNode = node.section(TABLES);
    List<JdbcTable> tables = new ArrayList<>();
    for (String table : tablesNode.names()) {
      ConfigNode t = tablesNode.section(table);
      t.allowOnly(MODE, WATERMARK, TARGET);
      requireIdentifier(tablesNode, table, table);
      String target = t.string(TARGET, table);
      requireIdentifier(t, TARGET, target);
      String watermark = t.string(WATERMARK, WATERMARK_DEFAULT);
      requireIdentifier(t, WATERMARK, watermark);
      tables.add(
          new JdbcTable(
              table, target, t.enumValue(MODE, JdbcTable.Mode.class, MODE_DEFAULT), watermark));
    }
    if (tables.isEmpty()) {
      throw node.error(node.key(TABLES), "a postgres source needs at least one table");
    }
    return new PostgresSource(
        name,
        url,
        node.string(DATABASE, DATABASE_DEFAULT),
        schema,
        node.optionalString(USER),
        node.optionalString(PASSWORD),
        tables,
        node.duration(LOOKBACK, LOOKBACK_DEFAULT));
  }

  private static FileSource readFiles(String name, ConfigNode node) {
    node.allowOnly(KIND, PATH, FORMAT, COMPRESSION, HEADER, TARGET, COLUMNS);
    String path = required(node, PATH);
    if (path.contains("://") && !path.matches("s3[an]?://[^/]+/?.*")) {
      throw node.error(node.key(PATH), "'%s' is not an s3:// location".formatted(path));
    }
    if (!node.has(FORMAT)) {
      throw node.error(node.key(FORMAT), "missing; allowed values are csv, tsv, jsonl");
    }
    String target = node.string(TARGET, name);
    requireIdentifier(node, TARGET, target);
    return new FileSource(
        name,
        path.endsWith("/") ? path : path + "/",
        node.enumValue(FORMAT, FileSource.Format.class, FileSource.Format.JSONL),
        node.enumValue(COMPRESSION, FileSource.Compression.class, COMPRESSION_DEFAULT),
        node.bool(HEADER, HEADER_DEFAULT),
        target,
        columns(node));
  }

  private static KafkaSource readKafka(String name, ConfigNode node) {
    node.allowOnly(
        KIND,
        BOOTSTRAP_SERVERS,
        TOPIC,
        TARGET,
        TRIGGER,
        INTERVAL,
        CHECKPOINT,
        STARTING_OFFSETS,
        COLUMNS);
    String target = node.string(TARGET, name);
    requireIdentifier(node, TARGET, target);
    String offsets = node.string(STARTING_OFFSETS, STARTING_OFFSETS_DEFAULT);
    if (!offsets.equals("earliest") && !offsets.equals("latest")) {
      throw node.error(
          node.key(STARTING_OFFSETS),
          "'%s' is not allowed; allowed values are earliest, latest".formatted(offsets));
    }
    return new KafkaSource(
        name,
        node.optionalString(BOOTSTRAP_SERVERS),
        required(node, TOPIC),
        target,
        node.enumValue(TRIGGER, KafkaSource.Trigger.class, TRIGGER_DEFAULT),
        node.duration(INTERVAL, INTERVAL_DEFAULT),
        node.optionalString(CHECKPOINT),
        offsets,
        columns(node));
  }

  private static DownloadSpec readDownload(String name, ConfigNode node) {
    node.allowOnly(URL, SHA256, TARGET, PART_SIZE);
    String url = required(node, URL);
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw node.error(node.key(URL), "'%s' is not a URL: %s".formatted(url, e.getReason()));
    }
    if (uri.getScheme() == null
        || !List.of("http", "https").contains(uri.getScheme().toLowerCase(Locale.ROOT))) {
      throw node.error(node.key(URL), "'%s' is not an http or https URL".formatted(url));
    }
    Optional<String> sha = node.optionalString(SHA256).map(s -> s.toLowerCase(Locale.ROOT));
    if (sha.isPresent() && !sha.get().matches("[0-9a-f]{64}")) {
      throw node.error(
          node.key(SHA256), "'%s' is not a SHA-256 (64 hex digits)".formatted(sha.get()));
    }
    long partSize = node.dataSize(PART_SIZE, PART_SIZE_DEFAULT);
    if (partSize < (5L << 20)) {
      throw node.error(
          node.key(PART_SIZE),
          "%d bytes is below S3's minimum part size of 5MB".formatted(partSize));
    }
    return new DownloadSpec(name, uri, sha, required(node, TARGET), partSize);
  }

  private static List<Column> columns(ConfigNode node) {
    ConfigNode section = node.section(COLUMNS);
    List<Column> columns = new ArrayList<>();
    for (String name : section.names()) {
      requireIdentifier(section, name, name);
      String declaration = required(section, name);
      columns.add(
          Column.parse(name, declaration)
              .orElseThrow(
                  () ->
                      section.error(
                          section.key(name),
                          "'%s' is not a column type; allowed types are string, int, long, double, boolean, date, timestamptz, decimal(p,s), each optionally followed by 'not null'"
                              .formatted(declaration))));
    }
    if (columns.isEmpty()) {
      throw node.error(node.key(COLUMNS), "declare at least one column (name: type)");
    }
    return columns;
  }

  private static String required(ConfigNode node, String key) {
    return node.optionalString(key)
        .filter(value -> !value.isBlank())
        .orElseThrow(() -> node.error(node.key(key), "missing"));
  }

  private static void requireIdentifier(ConfigNode node, String key, String value) {
    if (!value.matches("[a-z_][a-z0-9_]*")) {
      throw node.error(
          node.key(key),
          "'%s' is not a valid name; use lower-case letters, digits and underscores"
              .formatted(value));
    }
  }

  private static void claim(Set<String> targets, ConfigNode node, String target) {
    if (!targets.add(target)) {
      throw node.error(
          node.path(),
          "bronze table '%s' is already the target of another source".formatted(target));
    }
  }
}
