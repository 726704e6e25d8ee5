package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

/**
 * Waits for a catalog of a freshly started Trino to accept queries.
 *
 * <p>For a few seconds after start-up, queries that touch a connector fail with {@code
 * NO_NODES_AVAILABLE} until the node announces that connector. Only that error is retried: any
 * other failure (an unreachable or unauthorized catalog) is reported at once.
 */
public final class CatalogReadiness {
  /** Trino's {@code StandardErrorCode.NO_NODES_AVAILABLE}. */
  static final int NO_NODES_AVAILABLE = 65_541;

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]*");
  private static final Duration PAUSE = Duration.ofMillis(250);

  private CatalogReadiness() {}

  /**
   * Runs {@code SHOW SCHEMAS FROM <catalog>} until it stops failing with {@code
   * NO_NODES_AVAILABLE}.
   *
   * @throws FloeException {@code SERVICE_FAILED} when the query fails for another reason or still
   *     fails after {@code timeout}; {@code INVALID_ARGUMENT} for a catalog name that is not a
   *     plain lower-case identifier
   */
  public static void await(Connection connection, String catalog, Duration timeout) {
    requireNonNull(connection, "connection is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(timeout, "timeout is null");
    if (!IDENTIFIER.matcher(catalog).matches()) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "'%s' is not a Trino catalog name".formatted(catalog));
    }
    Instant deadline = Instant.now().plus(timeout);
    while (true) {
      try (Statement statement = connection.createStatement();
          ResultSet schemas = statement.executeQuery("SHOW SCHEMAS FROM " + catalog)) {
        while (schemas.next()) {
          // reading the result to the end is what makes the query run on a node
        }
        return;
      } catch (SQLException e) {
        if (e.getErrorCode() != NO_NODES_AVAILABLE) {
          throw new FloeException(
              ErrorCode.SERVICE_FAILED,
              "Trino catalog %s does not answer: %s".formatted(catalog, e.getMessage()),
              e);
        }
        if (Instant.now().isAfter(deadline)) {
          throw new FloeException(
              ErrorCode.SERVICE_FAILED,
              "Trino catalog %s still has no nodes after %d s: %s"
                  .formatted(catalog, timeout.toSeconds(), e.getMessage()),
              e);
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(PAUSE.toMillis()));
    }
  }
}
