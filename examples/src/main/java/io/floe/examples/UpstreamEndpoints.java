package io.floe.examples;

import static java.util.Objects.requireNonNull;

/**
 * How to reach the example upstreams: a PostgreSQL server (one database per application, {@code
 * shop} by default) and a Kafka broker.
 */
public record UpstreamEndpoints(
    String postgresHost,
    int postgresPort,
    String postgresUser,
    String postgresPassword,
    String kafkaBootstrapServers) {
  public UpstreamEndpoints {
    requireNonNull(postgresHost, "postgresHost is null");
    requireNonNull(postgresUser, "postgresUser is null");
    requireNonNull(postgresPassword, "postgresPassword is null");
    requireNonNull(kafkaBootstrapServers, "kafkaBootstrapServers is null");
  }

  /** The JDBC URL of {@code database} on the upstream server. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://%s:%d/%s".formatted(postgresHost, postgresPort, database);
  }
}
