package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.JavaRuntimes;
import io.floe.core.process.Ports;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node Trino server (coordinator and worker in one JVM) running as a child process, with
 * Floe's Iceberg catalog installed as {@value IcebergCatalogProperties#CATALOG_NAME}.
 *
 * <p>The server runs {@code java} directly on the install's {@code lib/} (no {@code bin/launcher}),
 * on a JDK 24 or newer, and dies with the process that started it. {@link Builder#start()} returns
 * once the server answers {@code SELECT 1}; connectors may still need a few seconds before their
 * first query, see {@link CatalogReadiness}. {@link #close()} stops the server (SIGTERM).
 */
public final class TrinoServer implements AutoCloseable {
  /** The setting that chooses Trino's HTTP port, named in port errors. */
  public static final String PORT_SETTING = "trino.port";

  /** Trino 476 is compiled for this Java feature version. */
  public static final int MINIMUM_JAVA = 24;

  /**
   * Trino usually answers within a minute here, but on a throttled 2-core machine its start has
   * been seen to pass 120 s; a hung server still fails, only later.
   */
  public static final Duration START_TIMEOUT = Duration.ofSeconds(240);

  private static final Logger LOG = LoggerFactory.getLogger(TrinoServer.class);
  private static final String DEFAULT_MAIN_CLASS = "io.trino.server.TrinoServer";
  // Trino reports it through Guice, which shortens class names: "Caused by: BindException: ..."
  private static final String BIND_FAILURE = "BindException";

  /**
   * How many free ports a server on port 0 tries: a port found free can be taken by something else
   * before Trino binds it a few seconds later.
   */
  static final int PORT_ATTEMPTS = 3;

  private final ChildProcess process;
  private final int httpPort;

  private TrinoServer(ChildProcess process, int httpPort) {
    this.process = process;
    this.httpPort = httpPort;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The JDBC URL of this server, without catalog or schema. */
  public String jdbcUrl() {
    return "jdbc:trino://127.0.0.1:" + httpPort;
  }

  public int httpPort() {
    return httpPort;
  }

  public long pid() {
    return process.pid();
  }

  /** The Trino JVM; its log file holds Trino's console output. */
  public ChildProcess process() {
    return process;
  }

  /** Stops the server with SIGTERM (Trino exits within a second), killing it after 15 s. */
  @Override
  public void close() {
    process.close();
  }

  /**
   * Adds Trino's own error line to a start-up failure: the log's last lines, which the failure
   * quotes, are usually a stack trace whose message (such as an unset environment variable) comes
   * earlier. A port another process took before Trino could bind it becomes {@code PORT_IN_USE}.
   *
   * @param output what the failed server wrote to its log
   */
  static FloeException withTrinoError(FloeException failure, int port, List<String> output) {
    if (output.stream().anyMatch(line -> line.contains(BIND_FAILURE))) {
      return new FloeException(
          ErrorCode.PORT_IN_USE,
          "port %d for Trino was taken before Trino could bind it; set %s to another port (0 picks a free one)\n  %s"
              .formatted(port, PORT_SETTING, failure.getMessage()),
          failure);
    }
    return output.stream()
        .filter(line -> line.contains("\tERROR\t"))
        .findFirst()
        .map(line -> line.substring(line.lastIndexOf('\t') + 1))
        .map(
            error ->
                new FloeException(
                    failure.code(),
                    "%s\n  Trino: %s".formatted(failure.getMessage(), error),
                    failure))
        .orElse(failure);
  }

  /**
   * Configures and starts one server. Single use: {@link #start()} may be called once.
   *
   * <p>Required: {@link #installDir} and {@link #dataDir}. Defaults: any free port, 2G heap, the
   * newest JDK 24+ found by {@link JavaRuntimes#atLeast}, no catalog overrides.
   */
  public static final class Builder {
    private Path installDir;
    private Path dataDir;
    private int httpPort;
    private Path javaHome;
    private String heap = "2G";
    private final Map<String, String> catalogEnvironment = new LinkedHashMap<>();
    private final Map<String, String> extraCatalogProperties = new LinkedHashMap<>();
    private Optional<String> accessRules = Optional.empty();
    private final List<String> readOnlyCatalogs = new ArrayList<>();
    private IntSupplier freePorts = Ports::anyFree;
    private boolean started;

    private Builder() {}

    /** A Trino install holding {@code lib/} and {@code plugin/iceberg/}. */
    public Builder installDir(Path installDir) {
      this.installDir = requireNonNull(installDir, "installDir is null");
      return this;
    }

    /** Where the server keeps {@code etc/}, {@code data/}, {@code logs/} and {@code tmp/}. */
    public Builder dataDir(Path dataDir) {
      this.dataDir = requireNonNull(dataDir, "dataDir is null");
      return this;
    }

    /**
     * The HTTP port; 0 (the default) picks a free one, and another when that one is taken before
     * Trino binds it.
     */
    public Builder httpPort(int httpPort) {
      if (httpPort < 0 || httpPort > 65_535) {
        throw new FloeException(
            ErrorCode.INVALID_ARGUMENT,
            "%s=%d is not a port (0 picks a free one)".formatted(PORT_SETTING, httpPort));
      }
      this.httpPort = httpPort;
      return this;
    }

    /** Where port 0 finds its free ports; tests hand out a taken one first. */
    Builder freePorts(IntSupplier freePorts) {
      this.freePorts = requireNonNull(freePorts, "freePorts is null");
      return this;
    }

    /** The JDK to run Trino on; it must be Java {@value #MINIMUM_JAVA} or newer. */
    public Builder javaHome(Path javaHome) {
      this.javaHome = requireNonNull(javaHome, "javaHome is null");
      return this;
    }

    /** The maximum heap, as after {@code -Xmx}: {@code "2G"}, {@code "1536M"}. */
    public Builder heap(String heap) {
      this.heap = requireNonNull(heap, "heap is null");
      return this;
    }

    /**
     * Values for the {@code ${ENV:...}} placeholders of the catalog file, see {@link
     * IcebergCatalogProperties#ENVIRONMENT_VARIABLES}; a variable not given is set empty.
     */
    public Builder catalogEnvironment(Map<String, String> environment) {
      catalogEnvironment.putAll(Map.copyOf(environment));
      return this;
    }

    /**
     * Catalog properties that replace or add to the shared template, for example a lower {@code
     * iceberg.expire-snapshots.min-retention} in tests.
     */
    public Builder extraCatalogProperties(Map<String, String> properties) {
      properties.forEach(
          (key, value) -> {
            if (key.isBlank() || (key + value).contains("\n")) {
              throw new FloeException(
                  ErrorCode.INVALID_ARGUMENT, "invalid catalog property '%s'".formatted(key));
            }
          });
      extraCatalogProperties.putAll(Map.copyOf(properties));
      return this;
    }

    /**
     * Installs Trino's file-based system access control with these rules (JSON, see {@link
     * AccessRules}); without it every user may do everything.
     */
    public Builder accessRules(String rulesJson) {
      this.accessRules = Optional.of(requireNonNull(rulesJson, "rulesJson is null"));
      return this;
    }

    /**
     * Adds a second catalog over the same lakehouse whose connector refuses every write and table
     * procedure ({@code iceberg.security=READ_ONLY}), for users who must only read, such as
     * auditors: Trino's file-based rules do not govern {@code ALTER TABLE ... EXECUTE}.
     */
    public Builder readOnlyCatalog(String name) {
      requireNonNull(name, "name is null");
      if (!name.matches("[a-z][a-z0-9_]*") || name.equals(IcebergCatalogProperties.CATALOG_NAME)) {
        throw new FloeException(
            ErrorCode.INVALID_ARGUMENT, "'%s' cannot name a read-only catalog".formatted(name));
      }
      readOnlyCatalogs.add(name);
      return this;
    }

    /**
     * Starts the server and waits until it answers {@code SELECT 1}.
     *
     * @throws FloeException {@code PORT_IN_USE} naming {@value #PORT_SETTING} when the port is
     *     taken (on port 0, when {@value #PORT_ATTEMPTS} free ports in a row were), {@code
     *     MISSING_PREREQUISITE} without a JDK {@value #MINIMUM_JAVA}+, {@code NOT_INSTALLED} when
     *     the install is incomplete, {@code SERVICE_FAILED} when Trino exits or is not ready within
     *     {@link #START_TIMEOUT}
     */
    public TrinoServer start() {
      if (started) {
        throw new IllegalStateException("this builder already started a server");
      }
      started = true;
      requireNonNull(installDir, "installDir is not set");
      requireNonNull(dataDir, "dataDir is not set");
      requireInstalled(installDir);
      HeapSize heapSize = HeapSize.parse(heap);
      Path java = javaHome != null ? requireRecentJava(javaHome) : defaultJava();

      if (httpPort != 0) {
        return startOn(httpPort, java, heapSize);
      }
      for (int attempt = 1; ; attempt++) {
        int port = freePorts.getAsInt();
        try {
          return startOn(port, java, heapSize);
        } catch (FloeException e) {
          if (e.code() != ErrorCode.PORT_IN_USE || attempt == PORT_ATTEMPTS) {
            throw e;
          }
          LOG.warn("free port {} was taken before Trino started on it; trying another", port);
        }
      }
    }

    private TrinoServer startOn(int port, Path java, HeapSize heapSize) {
      Ports.requireFree(port, "Trino", PORT_SETTING);
      TrinoNodeLayout layout =
          new TrinoNodeLayout(
              installDir,
              dataDir,
              port,
              heapSize,
              extraCatalogProperties,
              readOnlyCatalogs,
              accessRules);
      layout.write();
      deleteStalePidFile(layout.launcherPidFile());

      JavaCommand command =
          new JavaCommand(
                  java,
                  layout.jvmOptions(),
                  // the JVM expands the wildcard, which keeps the command line short
                  List.of(layout.installDir().resolve("lib").resolve("*")),
                  mainClass(layout.installDir()),
                  List.of(),
                  Map.of())
              .withEnvironment(environment());
      Instant begin = Instant.now();
      ChildProcess process =
          ChildProcess.start("Trino", command, layout.nodeDataDir(), layout.logFile());
      TrinoServer server = new TrinoServer(process, port);
      try {
        TrinoReadiness readiness = new TrinoReadiness(port, server.jdbcUrl());
        process.awaitReady(readiness::isReady, START_TIMEOUT);
      } catch (FloeException e) {
        process.close();
        throw withTrinoError(e, port, process.output());
      } catch (RuntimeException e) {
        process.close();
        throw e;
      }
      LOG.info(
          "Trino ready at {} in {} ms (pid {})",
          server.jdbcUrl(),
          Duration.between(begin, Instant.now()).toMillis(),
          process.pid());
      return server;
    }

    private Map<String, String> environment() {
      Map<String, String> environment = new LinkedHashMap<>();
      // Trino refuses a catalog whose placeholders name unset variables
      IcebergCatalogProperties.ENVIRONMENT_VARIABLES.forEach(name -> environment.put(name, ""));
      environment.putAll(catalogEnvironment);
      return environment;
    }

    private static Path defaultJava() {
      // a FloeException naming what to install propagates unchanged
      return JavaRuntimes.atLeast(MINIMUM_JAVA, "Trino 476");
    }

    private static Path requireRecentJava(Path home) {
      int version = JavaRuntimes.featureVersion(home).orElse(0);
      if (version < MINIMUM_JAVA) {
        throw new FloeException(
            ErrorCode.MISSING_PREREQUISITE,
            "Trino 476 needs a JDK %d or newer, but %s is %s"
                .formatted(MINIMUM_JAVA, home, version == 0 ? "not a JDK" : "Java " + version));
      }
      return home;
    }

    private static void requireInstalled(Path install) {
      for (Path needed : List.of(install.resolve("lib"), install.resolve("plugin/iceberg"))) {
        if (!Files.isDirectory(needed)) {
          throw new FloeException(
              ErrorCode.NOT_INSTALLED,
              "%s is not a Trino install (no %s); build Floe first with ./mvnw package -DskipTests (module floe-trino)"
                  .formatted(install, install.relativize(needed)));
        }
      }
    }

    /** The main class Trino's launcher would run, from {@code bin/launcher.properties}. */
    private static String mainClass(Path install) {
      Path file = install.resolve("bin").resolve("launcher.properties");
      if (!Files.isRegularFile(file)) {
        return DEFAULT_MAIN_CLASS;
      }
      Properties properties = new Properties();
      try (Reader in = Files.newBufferedReader(file)) {
        properties.load(in);
      } catch (IOException e) {
        throw new FloeException(ErrorCode.NOT_INSTALLED, "cannot read " + file + ": " + e, e);
      }
      return Optional.ofNullable(properties.getProperty("main-class"))
          .map(String::trim)
          .filter(name -> !name.isEmpty())
          .orElse(DEFAULT_MAIN_CLASS);
    }

    private static void deleteStalePidFile(Path pidFile) {
      try {
        if (Files.deleteIfExists(pidFile)) {
          LOG.info("removed stale {}", pidFile);
        }
      } catch (IOException e) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED, "cannot remove stale " + pidFile + ": " + e, e);
      }
    }
  }
}
