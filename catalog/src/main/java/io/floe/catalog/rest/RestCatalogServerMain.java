package io.floe.catalog.rest;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RestCatalogServer} as its own process until the JVM is stopped.
 *
 * <p>Usage: {@code RestCatalogServerMain <config.properties>}; see {@link ServerConfigFile} for the
 * keys. The exit code follows the category of the error when startup fails.
 */
public final class RestCatalogServerMain {
  private static final Logger LOG = LoggerFactory.getLogger(RestCatalogServerMain.class);

  private RestCatalogServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    RestCatalogServer server;
    try {
      server = start(args);
    } catch (FloeException e) {
      // the message explains the failure; only an underlying cause deserves a stack trace
      LOG.error("{}", e.getMessage(), e.getCause());
      System.exit(e.exitCode());
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                },
                "floe-rest-catalog-shutdown"));
    LOG.info("Floe REST catalog listening on {}", server.uri());
    stopped.await();
  }

  private static RestCatalogServer start(String[] args) {
    if (args.length != 1) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "usage: RestCatalogServerMain <config.properties>, got %d arguments"
              .formatted(args.length));
    }
    return ServerConfigFile.load(Path.of(args[0])).toBuilder().start();
  }
}
