package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.jdbc.JdbcCatalog;

/**
 * An Iceberg REST catalog served over HTTP on the loopback interface, backed by a {@link
 * JdbcCatalog} (an SQLite file by default, PostgreSQL in production) and the FileIO its catalog
 * properties name ({@code S3FileIO} unless {@code io-impl} says otherwise).
 *
 * <p>State lives in the database and the object store, so a server restarted on the same JDBC URI
 * and warehouse sees every namespace, table and view created before. When a bearer token is set,
 * every request must carry it or is answered 401.
 *
 * <pre>{@code
 * try (RestCatalogServer server = RestCatalogServer.builder()
 *     .warehouse("s3://lake/warehouse")
 *     .jdbcUri("jdbc:sqlite:/var/floe/catalog.db")
 *     .token(secret)
 *     .start()) {
 *   connect to server.uri()
 * }
 * }</pre>
 */
public final class RestCatalogServer implements AutoCloseable {
  /** The name of the catalog in the JDBC tables; changing it hides existing state. */
  static final String CATALOG_NAME = "floe";

  /** The FileIO used when the catalog properties name none. */
  public static final String DEFAULT_IO_IMPL = "org.apache.iceberg.aws.s3.S3FileIO";

  private static final int REQUEST_THREADS = 4;
  private static final int BACKLOG = 64;
  private static final String SQLITE_PREFIX = "jdbc:sqlite:";

  private final HttpServer http;
  private final ExecutorService executor;
  private final JdbcCatalog catalog;
  private final CatalogHttpHandler handler;

  private RestCatalogServer(
      HttpServer http, ExecutorService executor, JdbcCatalog catalog, CatalogHttpHandler handler) {
    this.http = http;
    this.executor = executor;
    this.catalog = catalog;
    this.handler = handler;
  }

  /** A builder for one server; {@link Builder#start()} may be called once. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on. */
  public int port() {
    return http.getAddress().getPort();
  }

  /** The base URI clients connect to, {@code http://127.0.0.1:<port>}. */
  public String uri() {
    return "http://127.0.0.1:" + port();
  }

  /** How many HTTP requests the server has received since it started. */
  long requestCount() {
    return handler.requestCount();
  }

  /** Stops accepting requests, lets running ones finish briefly, and closes the catalog. */
  @Override
  public void close() {
    http.stop(0);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
    catalog.close();
  }

  /** Configures and starts one {@link RestCatalogServer}. */
  public static final class Builder {
    private int port = 0;
    private String warehouse;
    private String jdbcUri;
    private Optional<String> jdbcUser = Optional.empty();
    private Optional<String> jdbcPassword = Optional.empty();
    private Optional<String> token = Optional.empty();
    private Map<String, String> catalogProperties = Map.of();
    private Map<String, String> clientDefaults = Map.of();
    private boolean started = false;

    private Builder() {}

    /** The port to listen on; 0 (the default) picks any free port. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** Where new tables are placed, e.g. {@code s3://lake/warehouse}. Required. */
    public Builder warehouse(String warehouse) {
      this.warehouse = requireNonBlank(warehouse, "warehouse");
      return this;
    }

    /**
     * The catalog database, {@code jdbc:sqlite:/path/catalog.db} or {@code jdbc:postgresql:...}.
     * Required.
     */
    public Builder jdbcUri(String jdbcUri) {
      this.jdbcUri = requireNonBlank(jdbcUri, "jdbcUri");
      return this;
    }

    public Builder jdbcUser(String jdbcUser) {
      this.jdbcUser = Optional.of(requireNonNull(jdbcUser, "jdbcUser is null"));
      return this;
    }

    public Builder jdbcPassword(String jdbcPassword) {
      this.jdbcPassword = Optional.of(requireNonNull(jdbcPassword, "jdbcPassword is null"));
      return this;
    }

    /** The bearer token every request must carry; without one the server is open. */
    public Builder token(String token) {
      this.token = Optional.of(requireNonBlank(token, "token"));
      return this;
    }

    /**
     * Properties of the server's own {@link JdbcCatalog}: {@code io-impl}, {@code s3.*}, {@code
     * jdbc.*} and the like. They override the server's defaults but not the warehouse, JDBC URI,
     * user and password set on this builder.
     */
    public Builder catalogProperties(Map<String, String> catalogProperties) {
      this.catalogProperties =
          Map.copyOf(requireNonNull(catalogProperties, "catalogProperties is null"));
      return this;
    }

    /** Properties pushed to clients as {@code defaults} in {@code GET /v1/config}. */
    public Builder clientDefaults(Map<String, String> clientDefaults) {
      this.clientDefaults = Map.copyOf(requireNonNull(clientDefaults, "clientDefaults is null"));
      return this;
    }

    /**
     * Opens the catalog and starts serving.
     *
     * @throws FloeException {@link ErrorCode#PORT_IN_USE} when the port is taken, {@link
     *     ErrorCode#SERVICE_UNREACHABLE} when the catalog database cannot be opened
     */
    public RestCatalogServer start() {
      if (started) {
        throw new IllegalStateException("this builder has already started a server");
      }
      if (warehouse == null) {
        throw new IllegalArgumentException("warehouse is required");
      }
      if (jdbcUri == null) {
        throw new IllegalArgumentException("jdbcUri is required");
      }
      started = true;

      JdbcCatalog catalog = openCatalog();
      ExecutorService executor =
          Executors.newFixedThreadPool(REQUEST_THREADS, new RequestThreads());
      try {
        RestJson json = new RestJson();
        CatalogHttpHandler handler =
            new CatalogHttpHandler(
                new BearerTokenCheck(token),
                new CatalogOperations(catalog, clientDefaults, json),
                json);
        HttpServer http = bind();
        http.createContext("/", handler);
        http.setExecutor(executor);
        http.start();
        return new RestCatalogServer(http, executor, catalog, handler);
      } catch (RuntimeException e) {
        executor.shutdownNow();
        closeAfterFailure(catalog, e);
        throw e;
      }
    }

    private JdbcCatalog openCatalog() {
      createSqliteDirectory();
      JdbcCatalog catalog = new JdbcCatalog();
      try {
        catalog.initialize(CATALOG_NAME, serverCatalogProperties());
        return catalog;
      } catch (RuntimeException e) {
        FloeException failure =
            new FloeException(
                ErrorCode.SERVICE_UNREACHABLE,
                "cannot open the REST catalog database at %s: %s"
                    .formatted(jdbcUri, e.getMessage()),
                e);
        closeAfterFailure(catalog, failure);
        throw failure;
      }
    }

    Map<String, String> serverCatalogProperties() {
      Map<String, String> properties = new HashMap<>();
      properties.put(CatalogProperties.FILE_IO_IMPL, DEFAULT_IO_IMPL);
      // V1 tables also hold views; without it the catalog answers view calls with errors
      properties.put(JdbcCatalog.PROPERTY_PREFIX + "schema-version", "V1");
      // tables in missing namespaces must fail as the REST specification says, not appear anyway
      properties.put(JdbcCatalog.PROPERTY_PREFIX + "strict-mode", "true");
      if (jdbcUri.startsWith(SQLITE_PREFIX)) {
        // request threads share one file; wait for its lock instead of failing at once
        properties.put(JdbcCatalog.PROPERTY_PREFIX + "busy_timeout", "10000");
      }
      properties.putAll(catalogProperties);
      properties.put(CatalogProperties.URI, jdbcUri);
      properties.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
      jdbcUser.ifPresent(user -> properties.put(JdbcCatalog.PROPERTY_PREFIX + "user", user));
      jdbcPassword.ifPresent(
          password -> properties.put(JdbcCatalog.PROPERTY_PREFIX + "password", password));
      return properties;
    }

    private void createSqliteDirectory() {
      if (!jdbcUri.startsWith(SQLITE_PREFIX)) {
        return;
      }
      String location = jdbcUri.substring(SQLITE_PREFIX.length());
      if (location.isEmpty() || location.startsWith(":") || location.startsWith("file:")) {
        return;
      }
      Path parent = Path.of(location).toAbsolutePath().getParent();
      try {
        Files.createDirectories(parent);
      } catch (IOException e) {
        throw new FloeException(
            ErrorCode.INVALID_CONFIG,
            "cannot create the directory %s for the catalog database %s: %s"
                .formatted(parent, jdbcUri, e.getMessage()),
            e);
      }
    }

    private HttpServer bind() {
      try {
        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        return HttpServer.create(new InetSocketAddress(loopback, port), BACKLOG);
      } catch (BindException e) {
        throw new FloeException(
            ErrorCode.PORT_IN_USE,
            ("port %d for the REST catalog is already in use;"
                    + " choose another port (0 picks a free one)")
                .formatted(port),
            e);
      } catch (UnknownHostException e) {
        throw new IllegalStateException("127.0.0.1 is not an address", e);
      } catch (IOException e) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "cannot start the REST catalog on port %d: %s".formatted(port, e.getMessage()),
            e);
      }
    }

    private static void closeAfterFailure(JdbcCatalog catalog, RuntimeException failure) {
      try {
        catalog.close();
      } catch (RuntimeException e) {
        failure.addSuppressed(e);
      }
    }

    private static String requireNonBlank(String value, String name) {
      requireNonNull(value, name + " is null");
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " is empty");
      }
      return value;
    }
  }

  /** Daemon threads, so a server left open does not keep the JVM alive. */
  private static final class RequestThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, "floe-rest-catalog-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
