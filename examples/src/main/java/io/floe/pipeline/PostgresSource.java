package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/**
 * A PostgreSQL database read over JDBC. Without {@code jdbcUrl} it is the database {@code database}
 * on the embedded example upstream.
 */
public record PostgresSource(
    String name,
    Optional<String> jdbcUrl,
    String database,
    String schema,
    Optional<String> user,
    Optional<String> password,
    List<JdbcTable> tables) {
  public PostgresSource {
    requireNonNull(name, "name is null");
    requireNonNull(jdbcUrl, "jdbcUrl is null");
    requireNonNull(database, "database is null");
    requireNonNull(schema, "schema is null");
    requireNonNull(user, "user is null");
    requireNonNull(password, "password is null");
    tables = List.copyOf(tables);
  }

  public boolean embedded() {
    return jdbcUrl.isEmpty();
  }
}
