package io.floe.stack;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.Deployment;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.Ports;
import io.floe.core.process.RuntimeLayout;
import io.floe.trino.AccessConfig;
import io.floe.trino.AccessRules;
import io.floe.trino.CatalogReadiness;
import io.floe.trino.IcebergCatalogProperties;
import io.floe.trino.TrinoServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lakehouse Floe runs on one machine without Docker: an S3 server, the REST catalog and Trino,
 * each a child process with its data under the Floe home. Parts the configuration marks external
 * are not started; their endpoints come from the configuration instead.
 *
 * <p>The children die with the process that started them, so a crashed parent leaves nothing
 * behind. State (objects, catalog, credentials) stays in the home across restarts.
 */
public final class EmbeddedStack implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedStack.class);
  private static final Duration TRINO_CATALOG_TIMEOUT = Duration.ofSeconds(60);

  /**
   * The longest a start may take before a service gives up: Trino's own start, then its catalog's
   * announcement (the other services start beside Trino and give up sooner).
   */
  public static final Duration START_TIMEOUT =
      TrinoServer.START_TIMEOUT.plus(TRINO_CATALOG_TIMEOUT);

  private final StackEndpoints endpoints;
  private final List<RunningService> services;
  private final Optional<TrinoServer> trino;
  private final Map<String, Duration> startTimes;

  private EmbeddedStack(
      StackEndpoints endpoints,
      List<RunningService> services,
      Optional<TrinoServer> trino,
      Map<String, Duration> startTimes) {
    this.endpoints = endpoints;
    this.services = List.copyOf(services);
    this.trino = trino;
    this.startTimes = Map.copyOf(startTimes);
  }

  public static Builder builder(FloeConfig config) {
    return new Builder(config);
  }

  public StackEndpoints endpoints() {
    return endpoints;
  }

  public List<RunningService> services() {
    return services;
  }

  /** How long each embedded service took from launch to ready. */
  public Map<String, Duration> startTimes() {
    return startTimes;
  }

  /** Stops every embedded service, Trino first. */
  @Override
  public void close() {
    trino.ifPresent(TrinoServer::close);
    for (int i = services.size() - 1; i >= 0; i--) {
      services.get(i).process().ifPresent(p -> p.stop(Duration.ofSeconds(15)));
    }
  }

  /** Starts the stack described by a {@link FloeConfig}. */
  public static final class Builder {
    private final FloeConfig config;
    private final Map<String, String> trinoCatalogProperties = new HashMap<>();
    private RuntimeLayout layout;

    private Builder(FloeConfig config) {
      this.config = requireNonNull(config, "config is null");
    }

    /** Extra Iceberg catalog properties for the embedded Trino (tests lower retention floors). */
    public Builder trinoCatalogProperties(Map<String, String> properties) {
      trinoCatalogProperties.putAll(properties);
      return this;
    }

    public Builder runtimeLayout(RuntimeLayout runtimeLayout) {
      this.layout = runtimeLayout;
      return this;
    }

    public EmbeddedStack start() {
      RuntimeLayout runtime = layout == null ? RuntimeLayout.discover() : layout;
      Path home = config.home().toAbsolutePath();
      createHome(home);
      StackCredentials credentials = StackCredentials.loadOrCreate(home);

      boolean embeddedS3 = config.storage().deployment() == Deployment.EMBEDDED;
      boolean embeddedCatalog = config.catalog().deployment() == Deployment.EMBEDDED;
      boolean embeddedTrino = config.trino().deployment() == Deployment.EMBEDDED;
      // parsed before anything starts, so a bad access section fails fast
      AccessConfig access = AccessConfig.read(config);

      int s3Port = embeddedS3 ? Ports.resolve(config.storage().port()) : -1;
      int catalogPort = embeddedCatalog ? Ports.resolve(config.catalog().port()) : -1;
      if (embeddedS3) {
        Ports.requireFree(s3Port, EmbeddedS3.NAME, "storage.port");
      }
      if (embeddedCatalog) {
        Ports.requireFree(catalogPort, EmbeddedCatalog.NAME, "catalog.port");
      }

      String s3Endpoint =
          embeddedS3 ? "http://127.0.0.1:" + s3Port : config.storage().endpoint().orElse("");
      String s3AccessKey =
          embeddedS3 ? credentials.s3AccessKey() : config.storage().accessKey().orElseThrow();
      String s3SecretKey =
          embeddedS3 ? credentials.s3SecretKey() : config.storage().secretKey().orElseThrow();
      String catalogUri =
          embeddedCatalog
              ? "http://127.0.0.1:" + catalogPort
              : config.catalog().uri().orElseThrow();
      Optional<String> catalogToken =
          embeddedCatalog
              ? Optional.of(config.catalog().token().orElse(credentials.catalogToken()))
              : config.catalog().token();
      // an embedded Trino's port is known once it runs: on port 0 it may move to another free one
      String trinoUrl = embeddedTrino ? "" : config.trino().url().orElseThrow();

      StackEndpoints configured =
          new StackEndpoints(
              s3Endpoint,
              s3AccessKey,
              s3SecretKey,
              config.storage().region(),
              config.storage().pathStyleAccess(),
              config.catalog().warehouse(),
              catalogUri,
              catalogToken,
              config.catalog().credential(),
              config.catalog().oauth2ServerUri(),
              config.catalog().properties(),
              trinoUrl,
              config.trino().user(),
              config.trino().password(),
              config.trino().catalog());

      StackEndpoints endpoints = configured;
      List<RunningService> services = new ArrayList<>();
      Map<String, Duration> startTimes = new HashMap<>();
      CompletableFuture<TrinoServer> trinoStart = null;
      try {
        if (embeddedTrino) {
          // Trino takes longest to boot and needs the catalog only when queried: start it first
          // and let it boot while the object store and the catalog come up.
          trinoStart =
              CompletableFuture.supplyAsync(
                  () -> {
                    long begin = System.nanoTime();
                    TrinoServer.Builder trinoBuilder =
                        TrinoServer.builder()
                            .installDir(trinoInstall(runtime))
                            .dataDir(home.resolve("trino"))
                            .httpPort(config.trino().port())
                            .heap(config.trino().heap())
                            .catalogEnvironment(trinoEnvironment(configured))
                            .extraCatalogProperties(trinoCatalogProperties);
                    if (access.enabled()) {
                      trinoBuilder
                          .accessRules(AccessRules.render(access, config.trino().catalog()))
                          .readOnlyCatalog(access.auditCatalog());
                    }
                    TrinoServer server = trinoBuilder.start();
                    synchronized (startTimes) {
                      startTimes.put("trino", Duration.ofNanos(System.nanoTime() - begin));
                    }
                    return server;
                  });
        }
        if (embeddedS3) {
          long begin = System.nanoTime();
          ChildProcess s3 = EmbeddedS3.launch(runtime, home, s3Port, credentials, config.storage());
          services.add(new RunningService("s3", s3Endpoint, s3Port, Optional.of(s3)));
          EmbeddedS3.awaitReady(s3, s3Endpoint);
          synchronized (startTimes) {
            startTimes.put("s3", Duration.ofNanos(System.nanoTime() - begin));
          }
        } else {
          services.add(RunningService.external("s3", s3Endpoint));
        }
        if (embeddedCatalog) {
          long begin = System.nanoTime();
          ChildProcess catalog =
              EmbeddedCatalog.launch(
                  runtime,
                  home,
                  catalogPort,
                  catalogToken.orElseThrow(),
                  config.catalog(),
                  endpoints.s3FileIoProperties());
          services.add(
              new RunningService("catalog", catalogUri, catalogPort, Optional.of(catalog)));
          EmbeddedCatalog.awaitReady(catalog, catalogUri, catalogToken.orElseThrow());
          synchronized (startTimes) {
            startTimes.put("catalog", Duration.ofNanos(System.nanoTime() - begin));
          }
        } else {
          services.add(RunningService.external("catalog", catalogUri));
        }
        Optional<TrinoServer> trino = Optional.empty();
        if (trinoStart != null) {
          TrinoServer server = join(trinoStart);
          trino = Optional.of(server);
          endpoints = configured.withTrinoJdbcUrl(server.jdbcUrl());
          awaitIcebergCatalog(endpoints);
          services.add(
              new RunningService(
                  "trino", server.jdbcUrl(), server.httpPort(), Optional.of(server.process())));
        } else {
          services.add(RunningService.external("trino", trinoUrl));
        }
        LOG.info("embedded stack ready in {}: {}", home, startTimes);
        return new EmbeddedStack(endpoints, services, trino, startTimes);
      } catch (RuntimeException e) {
        if (trinoStart != null) {
          trinoStart.thenAccept(TrinoServer::close);
          trinoStart.cancel(true);
        }
        for (RunningService service : services) {
          service.process().ifPresent(p -> p.stop(Duration.ofSeconds(10)));
        }
        throw e;
      }
    }

    /**
     * Right after start, Trino answers queries on a connector with NO_NODES_AVAILABLE until its
     * node announces the connector; waiting here once means no client has to retry.
     */
    private static void awaitIcebergCatalog(StackEndpoints endpoints) {
      try (Connection connection = endpoints.openTrino()) {
        CatalogReadiness.await(connection, endpoints.trinoCatalog(), TRINO_CATALOG_TIMEOUT);
      } catch (SQLException e) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED, "cannot connect to Trino: " + e.getMessage(), e);
      }
    }

    private static TrinoServer join(CompletableFuture<TrinoServer> future) {
      try {
        return future.join();
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException cause) {
          throw cause;
        }
        throw new FloeException(
            ErrorCode.SERVICE_FAILED, "Trino failed to start: " + e.getCause(), e);
      }
    }

    private static Path trinoInstall(RuntimeLayout runtime) {
      return Path.of(
          runtime
              .property("floe-trino", "install")
              .orElseThrow(
                  () ->
                      new FloeException(
                          ErrorCode.NOT_INSTALLED,
                          "the Trino install is missing; build Floe first with ./mvnw package -DskipTests")));
    }

    private static void createHome(Path home) {
      try {
        Files.createDirectories(home.resolve("logs"));
      } catch (java.io.IOException e) {
        throw new FloeException(
            ErrorCode.INVALID_CONFIG,
            "cannot create the Floe home %s: %s".formatted(home, e.getMessage()),
            e);
      }
    }
  }

  /** The environment the shared Trino catalog file reads its settings from. */
  static Map<String, String> trinoEnvironment(StackEndpoints endpoints) {
    Map<String, String> env = new HashMap<>();
    env.put(IcebergCatalogProperties.CATALOG_URI, endpoints.catalogUri());
    env.put(IcebergCatalogProperties.CATALOG_TOKEN, endpoints.catalogToken().orElse(""));
    env.put(IcebergCatalogProperties.WAREHOUSE, endpoints.warehouse());
    env.put(IcebergCatalogProperties.S3_ENDPOINT, endpoints.s3Endpoint());
    env.put(IcebergCatalogProperties.S3_ACCESS_KEY, endpoints.s3AccessKey());
    env.put(IcebergCatalogProperties.S3_SECRET_KEY, endpoints.s3SecretKey());
    env.put(IcebergCatalogProperties.S3_REGION, endpoints.s3Region());
    return env;
  }
}
