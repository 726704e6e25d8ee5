package io.floe.examples;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.OwnerOnlyFiles;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.JavaRuntimes;
import io.floe.core.process.Ports;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * The e-commerce example's upstream systems on this machine: a real PostgreSQL server and a real
 * single-node Kafka broker (KRaft), each in a child JVM under the parent watchdog, with their data
 * under {@code <home>/upstream} so it survives restarts. Closing stops both.
 */
public final class EcommerceUpstream implements AutoCloseable {
  static final String POSTGRES_USER = "postgres";
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  private final UpstreamEndpoints endpoints;
  private final List<ChildProcess> processes;
  private final Map<String, Duration> startTimes;

  private EcommerceUpstream(
      UpstreamEndpoints endpoints, List<ChildProcess> processes, Map<String, Duration> times) {
    this.endpoints = endpoints;
    this.processes = List.copyOf(processes);
    this.startTimes = Map.copyOf(times);
  }

  /** Starts PostgreSQL and Kafka (in parallel) with their state under {@code home/upstream}. */
  public static EcommerceUpstream start(Path home) {
    return start(home, RuntimeLayout.discover());
  }

  public static EcommerceUpstream start(Path home, RuntimeLayout layout) {
    Path dir = home.toAbsolutePath().resolve("upstream");
    int postgresPort = Ports.anyFree();
    int kafkaPort = Ports.anyFree();
    int controllerPort = Ports.anyFree();
    Map<String, Duration> times = new LinkedHashMap<>();
    CompletableFuture<ChildProcess> postgres =
        CompletableFuture.supplyAsync(
            () -> timed(times, "postgres", () -> startPostgres(layout, dir, postgresPort)));
    CompletableFuture<ChildProcess> kafka =
        CompletableFuture.supplyAsync(
            () -> timed(times, "kafka", () -> startKafka(layout, dir, kafkaPort, controllerPort)));
    try {
      ChildProcess pg = join(postgres);
      ChildProcess broker = join(kafka);
      UpstreamEndpoints endpoints =
          new UpstreamEndpoints(
              "127.0.0.1", postgresPort, POSTGRES_USER, "", "127.0.0.1:" + kafkaPort);
      return new EcommerceUpstream(endpoints, List.of(pg, broker), times);
    } catch (RuntimeException e) {
      postgres.thenAccept(ChildProcess::close);
      kafka.thenAccept(ChildProcess::close);
      throw e;
    }
  }

  public UpstreamEndpoints endpoints() {
    return endpoints;
  }

  /** How long each service took from launch to ready. */
  public Map<String, Duration> startTimes() {
    return startTimes;
  }

  /** Creates {@code database} on the PostgreSQL server unless it exists. */
  public void createDatabase(String database) {
    createDatabase(endpoints, database);
  }

  /** Creates {@code database} on the PostgreSQL server of {@code endpoints} unless it exists. */
  public static void createDatabase(UpstreamEndpoints endpoints, String database) {
    if (!database.matches("[a-z_][a-z0-9_]*")) {
      throw new IllegalArgumentException("not a plain database name: " + database);
    }
    try (Connection connection =
            DriverManager.getConnection(
                endpoints.jdbcUrl("postgres"),
                endpoints.postgresUser(),
                endpoints.postgresPassword());
        Statement statement = connection.createStatement()) {
      try (var rs =
          statement.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
        if (rs.next()) {
          return;
        }
      }
      statement.execute("CREATE DATABASE " + database);
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot create database %s: %s".formatted(database, e.getMessage()),
          e);
    }
  }

  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).stop(Duration.ofSeconds(20));
    }
  }

  private static ChildProcess startPostgres(RuntimeLayout layout, Path dir, int port) {
    Path data = dir.resolve("postgres");
    JavaCommand command =
        new JavaCommand(
            JavaRuntimes.current(),
            List.of("-Xmx128m", "-XX:+UseSerialGC"),
            layout.classpath("floe-examples"),
            PostgresServerMain.class.getName(),
            List.of(data.toString(), Integer.toString(port)),
            Map.of());
    ChildProcess process =
        ChildProcess.start("PostgreSQL", command, dir, dir.resolve("logs").resolve("postgres.log"));
    String url = "jdbc:postgresql://127.0.0.1:%d/postgres".formatted(port);
    process.awaitReady(() -> canConnect(url), READY_TIMEOUT);
    return process;
  }

  private static boolean canConnect(String url) {
    try (Connection ignored = DriverManager.getConnection(url, POSTGRES_USER, "")) {
      return true;
    } catch (SQLException e) {
      return false;
    }
  }

  private static ChildProcess startKafka(
      RuntimeLayout layout, Path dir, int port, int controllerPort) {
    Path kafkaDir = dir.resolve("kafka");
    Path config = kafkaDir.resolve("server.properties");
    String clusterId;
    try {
      clusterId = clusterId(kafkaDir.resolve("cluster.id"));
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("process.roles", "broker,controller");
      properties.put("node.id", "1");
      properties.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      properties.put(
          "listeners",
          "PLAINTEXT://127.0.0.1:%d,CONTROLLER://127.0.0.1:%d".formatted(port, controllerPort));
      properties.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
      properties.put("controller.listener.names", "CONTROLLER");
      properties.put("inter.broker.listener.name", "PLAINTEXT");
      properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      properties.put("log.dirs", kafkaDir.resolve("data").toString());
      properties.put("num.partitions", "1");
      properties.put("offsets.topic.replication.factor", "1");
      properties.put("transaction.state.log.replication.factor", "1");
      properties.put("transaction.state.log.min.isr", "1");
      properties.put("share.coordinator.state.topic.replication.factor", "1");
      properties.put("share.coordinator.state.topic.min.isr", "1");
      properties.put("group.initial.rebalance.delay.ms", "0");
      properties.put("auto.create.topics.enable", "true");
      properties.put("log.retention.hours", "-1");
      OwnerOnlyFiles.writeProperties(config, properties, "written by Floe at every start");
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR, "cannot prepare " + kafkaDir + ": " + e.getMessage(), e);
    }
    JavaCommand command =
        new JavaCommand(
            JavaRuntimes.current(),
            List.of("-Xmx512m", "-XX:+UseG1GC", "-Dlog4j2.level=WARN"),
            layout.classpath("floe-kafka-broker"),
            "io.floe.kafkabroker.KafkaBrokerMain",
            List.of(config.toString(), clusterId),
            Map.of());
    ChildProcess process =
        ChildProcess.start(
            "Kafka broker", command, kafkaDir, dir.resolve("logs").resolve("kafka.log"));
    String bootstrap = "127.0.0.1:" + port;
    process.awaitReady(() -> brokerAnswers(bootstrap), READY_TIMEOUT);
    return process;
  }

  /** A cluster id kept with the broker's data, since a formatted log directory is bound to it. */
  private static String clusterId(Path file) throws IOException {
    if (Files.isRegularFile(file)) {
      return Files.readString(file).trim();
    }
    String id = newClusterId();
    Files.createDirectories(file.getParent());
    Files.writeString(file, id);
    return id;
  }

  /** A new cluster id: Kafka's random id, which never starts with a dash, as its tools require. */
  static String newClusterId() {
    return Uuid.randomUuid().toString();
  }

  static boolean brokerAnswers(String bootstrap) {
    Properties properties = new Properties();
    properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    properties.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
    properties.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
    try (Admin admin = Admin.create(properties)) {
      return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
    } catch (ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static <T> T timed(
      Map<String, Duration> times, String name, java.util.function.Supplier<T> start) {
    long begin = System.nanoTime();
    T value = start.get();
    synchronized (times) {
      times.put(name, Duration.ofNanos(System.nanoTime() - begin));
    }
    return value;
  }

  private static ChildProcess join(CompletableFuture<ChildProcess> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new FloeException(ErrorCode.SERVICE_FAILED, "upstream failed to start: " + e, e);
    }
  }
}
