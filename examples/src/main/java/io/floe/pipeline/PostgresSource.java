package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL database read over JDBC. Without {@code jdbcUrl} it is the database {@code database}
 * on the embedded example upstream.
 *
 * @param lookback how far below the stored watermark an incremental read starts again, so that a
 *     row committed late with an older watermark value is still read; rows bronze already holds
 *     (same key and watermark) are dropped
 */
public record PostgresSource(
    String name,
    Optional<String> jdbcUrl,
    String database,
    String schema,
    Optional<String> user,
    Optional<String> password,
    List<JdbcTable> tables,
    Duration lookback) {
  public PostgresSource {
    requireNonNull(name, "name is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(database, "database is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    tables = List.copyOf(tables);
    requireNonNull(lookback, "lookback is null");
    if (lookback.isNegative()) {
      throw new IllegalArgumentException("lookback is negative: " + lookback);
    }
  }

  public boolean embedded() {
    return jdbcUrl.isEmpty();
  }
}
