package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The configuration of one single-node Trino (coordinator and worker in one JVM): the files under
 * {@code <dataDir>/etc} and the JVM options that Trino's own launcher would derive from them.
 *
 * <p>Everything the node writes stays inside {@code dataDir}: {@code etc/}, {@code data/} (the node
 * data directory and working directory), {@code logs/} and {@code tmp/}.
 */
record TrinoNodeLayout(
    Path installDir,
    Path dataDir,
    int httpPort,
    HeapSize heap,
    Map<String, String> catalogOverrides,
    List<String> readOnlyCatalogs,
    Optional<String> accessRules) {
  /** Share of the heap one query may use; Trino keeps 30% as headroom by default. */
  static final int QUERY_MEMORY_PERCENT = 60;

  TrinoNodeLayout {
    installDir = requireNonNull(installDir, "installDir is null").toAbsolutePath().normalize();
    dataDir = requireNonNull(dataDir, "dataDir is null").toAbsolutePath().normalize();
    requireNonNull(heap, "heap is null");
    catalogOverrides = Map.copyOf(catalogOverrides);
    readOnlyCatalogs = List.copyOf(readOnlyCatalogs);
    requireNonNull(accessRules, "accessRules is null");
    if (httpPort <= 0 || httpPort > 65_535) {
      throw new IllegalArgumentException("httpPort must be a resolved port: " + httpPort);
    }
  }

  Path etcDir() {
    return dataDir.resolve("etc");
  }

  Path nodeDataDir() {
    return dataDir.resolve("data");
  }

  Path tmpDir() {
    return dataDir.resolve("tmp");
  }

  Path logFile() {
    return dataDir.resolve("logs").resolve("trino.log");
  }

  Path catalogFile() {
    return catalogFile(IcebergCatalogProperties.CATALOG_NAME);
  }

  Path catalogFile(String name) {
    return etcDir().resolve("catalog").resolve(name + ".properties");
  }

  /** Trino's file-based access control settings, present only with {@link #accessRules}. */
  Path accessControlFile() {
    return etcDir().resolve("access-control.properties");
  }

  /** The rules JSON that {@link #accessControlFile} points to. */
  Path accessRulesFile() {
    return etcDir().resolve("rules.json");
  }

  /** The pid file Trino's launcher leaves behind in daemon mode; stale when Floe starts. */
  Path launcherPidFile() {
    return nodeDataDir().resolve("var").resolve("run").resolve("launcher.pid");
  }

  /** Derived from the data directory, so a restarted node keeps its identity. */
  String nodeId() {
    return "floe-" + UUID.nameUUIDFromBytes(dataDir.toString().getBytes(StandardCharsets.UTF_8));
  }

  Map<String, String> nodeProperties() {
    Map<String, String> node = new LinkedHashMap<>();
    node.put("node.environment", "floe");
    node.put("node.id", nodeId());
    node.put("node.data-dir", nodeDataDir().toString());
    // without it the node announces the machine's external address and talks to itself over it
    node.put("node.internal-address", "127.0.0.1");
    // like the object store and the catalog, reachable from this machine only (Airlift binds every
    // interface by default); the embedded Trino trusts user names without passwords
    node.put("node.bind-ip", "127.0.0.1");
    return node;
  }

  Map<String, String> configProperties() {
    Map<String, String> config = new LinkedHashMap<>();
    config.put("coordinator", "true");
    config.put("node-scheduler.include-coordinator", "true");
    config.put("http-server.http.port", Integer.toString(httpPort));
    config.put("discovery.uri", "http://127.0.0.1:" + httpPort);
    config.put("query.max-memory", heap.percentAsDataSize(QUERY_MEMORY_PERCENT));
    config.put("query.max-memory-per-node", heap.percentAsDataSize(QUERY_MEMORY_PERCENT));
    // absolute, because the node runs in its data directory, not in the install
    config.put("plugin.dir", installDir.resolve("plugin").toString());
    config.put("catalog.config-dir", catalogFile().getParent().toString());
    config.put("http-server.log.enabled", "false");
    if (accessRules.isPresent()) {
      // absolute, because the default etc/access-control.properties is relative to the data dir
      config.put("access-control.config-files", accessControlFile().toString());
    }
    return config;
  }

  /**
   * Logger levels: Airlift's logger named just {@code Bootstrap} dumps every configuration property
   * at start-up (some 880 lines), and the plugin manager one line per plugin jar.
   */
  Map<String, String> logLevels() {
    Map<String, String> levels = new LinkedHashMap<>();
    levels.put("io.trino", "INFO");
    levels.put("Bootstrap", "WARN");
    levels.put("io.trino.server.PluginManager", "WARN");
    levels.put("org.eclipse.jetty", "WARN");
    return levels;
  }

  /**
   * What {@code bin/launcher run} passes to the JVM for this etc directory, plus the JVM flags of
   * Trino's recommended {@code jvm.config}.
   */
  List<String> jvmOptions() {
    List<String> options = new ArrayList<>();
    options.add(heap.jvmOption());
    options.add("-XX:+UseG1GC");
    options.add("-XX:+ExplicitGCInvokesConcurrent");
    options.add("-XX:+ExitOnOutOfMemoryError");
    options.add("-XX:-OmitStackTraceInFastThrow");
    options.add("-XX:PerMethodRecompilationCutoff=10000");
    options.add("-XX:PerBytecodeRecompilationCutoff=10000");
    // Trino measures object sizes with an agent it attaches to itself
    options.add("-XX:+EnableDynamicAgentLoading");
    options.add("-Djdk.attach.allowAttachSelf=true");
    // Trino's dependencies still use sun.misc.Unsafe and JNA, which JDK 24+ warn about
    options.add("--sun-misc-unsafe-memory-access=allow");
    options.add("--enable-native-access=ALL-UNNAMED");
    options.add("-Djdk.nio.maxCachedBufferSize=2000000");
    options.add("-Dfile.encoding=UTF-8");
    options.add("-Djava.io.tmpdir=" + tmpDir());
    options.add("-Djna.tmpdir=" + tmpDir());
    nodeProperties().forEach((key, value) -> options.add("-D" + key + "=" + value));
    options.add("-Dconfig=" + etcDir().resolve("config.properties"));
    options.add("-Dlog.levels-file=" + etcDir().resolve("log.properties"));
    return options;
  }

  /** Writes etc/ (replacing what a previous start wrote) and creates the node's directories. */
  void write() {
    try {
      Files.createDirectories(catalogFile().getParent());
      Files.createDirectories(nodeDataDir());
      Files.createDirectories(tmpDir());
      Files.createDirectories(logFile().getParent());
      writeProperties(etcDir().resolve("node.properties"), nodeProperties());
      writeProperties(etcDir().resolve("config.properties"), configProperties());
      writeProperties(etcDir().resolve("log.properties"), logLevels());
      deleteCatalogFiles();
      Files.writeString(catalogFile(), IcebergCatalogProperties.withOverrides(catalogOverrides));
      for (String name : readOnlyCatalogs) {
        // the same lakehouse, but the connector itself refuses writes and table procedures
        Files.writeString(catalogFile(name), IcebergCatalogProperties.readOnly(catalogOverrides));
      }
      if (accessRules.isPresent()) {
        Files.writeString(accessRulesFile(), accessRules.get());
        writeProperties(accessControlFile(), accessControlProperties());
      } else {
        // a previous start with rules must not leave them behind for a start without
        Files.deleteIfExists(accessControlFile());
        Files.deleteIfExists(accessRulesFile());
      }
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot write Trino's configuration under %s: %s".formatted(dataDir, e.getMessage()),
          e);
    }
  }

  /** Trino's file-based system access control, reading {@link #accessRulesFile}. */
  Map<String, String> accessControlProperties() {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("access-control.name", "file");
    properties.put("security.config-file", accessRulesFile().toString());
    return properties;
  }

  /** Catalogs of a previous start must not outlive a configuration that dropped them. */
  private void deleteCatalogFiles() throws IOException {
    try (var files = Files.list(catalogFile().getParent())) {
      for (Path file : files.filter(f -> f.toString().endsWith(".properties")).toList()) {
        Files.delete(file);
      }
    }
  }

  private static void writeProperties(Path file, Map<String, String> properties)
      throws IOException {
    StringBuilder text = new StringBuilder("# written by Floe at each start; edits are lost\n");
    properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    Files.writeString(file, text);
  }
}
