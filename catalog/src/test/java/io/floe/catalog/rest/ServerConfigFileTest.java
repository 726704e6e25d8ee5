package io.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigFileTest {
  @TempDir Path dir;

  @Test
  void mapsServerKeysCatalogPropertiesAndClientDefaults() throws Exception {
    Path file = dir.resolve("catalog.properties");
    Files.writeString(
        file,
        """
        port=8181
        warehouse=s3://lake/warehouse
        jdbc.uri=jdbc:postgresql://db/catalog
        jdbc.user=floe
        jdbc.password=pw
        token=abc
        io-impl=org.apache.iceberg.aws.s3.S3FileIO
        s3.endpoint=http://127.0.0.1:9000
        s3.path-style-access=true
        client.region=us-east-1
        jdbc.schema-version=V1
        """);

    ServerConfigFile config = ServerConfigFile.load(file);

    assertThat(config.port()).isEqualTo(8181);
    assertThat(config.warehouse()).isEqualTo("s3://lake/warehouse");
    assertThat(config.jdbcUri()).isEqualTo("jdbc:postgresql://db/catalog");
    assertThat(config.jdbcUser()).contains("floe");
    assertThat(config.jdbcPassword()).contains("pw");
    assertThat(config.token()).contains("abc");
    assertThat(config.catalogProperties())
        .containsOnlyKeys(
            "io-impl",
            "s3.endpoint",
            "s3.path-style-access",
            "client.region",
            "jdbc.schema-version");
    assertThat(config.clientDefaults())
        .isEqualTo(
            Map.of(
                "io-impl", "org.apache.iceberg.aws.s3.S3FileIO",
                "s3.endpoint", "http://127.0.0.1:9000",
                "s3.path-style-access", "true",
                "client.region", "us-east-1"));
  }

  @Test
  void defaultsToAnyFreePortAndNoToken() {
    ServerConfigFile config =
        ServerConfigFile.parse(
            Path.of("c.properties"), Map.of("warehouse", "s3://w", "jdbc.uri", "jdbc:sqlite:x.db"));

    assertThat(config.port()).isZero();
    assertThat(config.token()).isEmpty();
    assertThat(config.jdbcUser()).isEmpty();
  }

  @Test
  void missingKeyNamesFileAndKey() {
    assertThatThrownBy(
            () -> ServerConfigFile.parse(Path.of("c.properties"), Map.of("warehouse", "s3://w")))
        .isInstanceOfSatisfying(
            FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_CONFIG))
        .hasMessage("c.properties: jdbc.uri is required");
  }

  @Test
  void badPortNamesAllowedValues() {
    assertThatThrownBy(
            () ->
                ServerConfigFile.parse(
                    Path.of("c.properties"),
                    Map.of("warehouse", "s3://w", "jdbc.uri", "jdbc:sqlite:x.db", "port", "http")))
        .isInstanceOf(FloeException.class)
        .hasMessageContaining("port must be a port number 0..65535")
        .hasMessageContaining("'http'");
  }
}
