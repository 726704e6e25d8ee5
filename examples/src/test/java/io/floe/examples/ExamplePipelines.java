package io.floe.examples;

import io.floe.pipeline.IngestStage;
import io.floe.pipeline.PipelineConfig;
import io.floe.pipeline.S3Access;
import io.floe.stack.StackEndpoints;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Test fixtures: the built-in pipeline isolated per test, and queries on both ends. */
final class ExamplePipelines {
  private ExamplePipelines() {}

  /**
   * The built-in example pipeline with its own database, topic, landing prefix and bronze
   * namespace, all named {@code name}.
   */
  static PipelineConfig isolated(String name) throws Exception {
    String yaml;
    try (var in =
        ExamplePipelines.class
            .getClassLoader()
            .getResourceAsStream(PipelineConfig.DEFAULT_RESOURCE)) {
      yaml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    yaml =
        yaml.replace("database: shop", "database: " + name)
            .replace("topic: inventory-events", "topic: " + name)
            .replace("path: landing/", "path: landing/" + name + "/")
            .replace("bronze-namespace: bronze", "bronze-namespace: " + name);
    return PipelineConfig.parse("(test " + name + ")", yaml, System::getenv);
  }

  static Generator.Ecommerce generator(
      EcommerceUpstream upstream, StackEndpoints stack, String name) {
    return Generator.ecommerce(upstream.endpoints(), stack)
        .database(name)
        .topic(name)
        .clickstreamPrefix("landing/" + name + "/clickstream/");
  }

  /**
   * The keys under the default streaming checkpoint of {@code namespace.target}, relative to it
   * (such as {@code offsets/0} and {@code commits/0}).
   */
  static List<String> checkpointObjects(StackEndpoints stack, String namespace, String target) {
    String prefix = IngestStage.CHECKPOINT_PREFIX + namespace + "." + target + "/";
    try (S3Client s3 = S3Access.client(stack)) {
      return s3
          .listObjectsV2Paginator(b -> b.bucket(S3Access.warehouseBucket(stack)).prefix(prefix))
          .contents()
          .stream()
          .map(S3Object::key)
          .map(key -> key.substring(prefix.length()))
          .toList();
    }
  }

  static List<List<Object>> trino(StackEndpoints stack, String sql) throws SQLException {
    try (Connection connection = stack.openTrino();
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return rows(rs);
    }
  }

  static long trinoLong(StackEndpoints stack, String sql) throws SQLException {
    return ((Number) trino(stack, sql).get(0).get(0)).longValue();
  }

  static List<List<Object>> postgres(EcommerceUpstream upstream, String database, String sql)
      throws SQLException {
    var endpoints = upstream.endpoints();
    try (Connection connection =
            DriverManager.getConnection(
                endpoints.jdbcUrl(database),
                endpoints.postgresUser(),
                endpoints.postgresPassword());
        Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      return rows(rs);
    }
  }

  static long postgresLong(EcommerceUpstream upstream, String database, String sql)
      throws SQLException {
    return ((Number) postgres(upstream, database, sql).get(0).get(0)).longValue();
  }

  private static List<List<Object>> rows(ResultSet rs) throws SQLException {
    ResultSetMetaData meta = rs.getMetaData();
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>();
      for (int i = 1; i <= meta.getColumnCount(); i++) {
        row.add(rs.getObject(i));
      }
      rows.add(row);
    }
    return rows;
  }
}
