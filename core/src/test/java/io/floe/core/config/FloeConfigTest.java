package io.floe.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FloeConfigTest {
  private static final Path BASE = Path.of("/project");

  private static FloeConfig parse(String yaml) {
    return FloeConfig.parse("floe.yaml", yaml, Map.of("SECRET", "s3cr3t")::get, BASE);
  }

  @Test
  void defaultsRunTheEmbeddedStack() {
    FloeConfig config = parse("");
    assertThat(config.home()).isEqualTo(Path.of("/project/.floe"));
    assertThat(config.catalog().deployment()).isEqualTo(Deployment.EMBEDDED);
    assertThat(config.catalog().port()).isEqualTo(CatalogConfig.PORT_DEFAULT);
    assertThat(config.catalog().warehouse()).isEqualTo("s3://warehouse/");
    assertThat(config.catalog().token()).isEmpty();
    assertThat(config.storage().deployment()).isEqualTo(Deployment.EMBEDDED);
    assertThat(config.storage().port()).isEqualTo(9000);
    assertThat(config.storage().bucket()).isEqualTo("warehouse");
    assertThat(config.storage().region()).isEqualTo("us-east-1");
    assertThat(config.storage().pathStyleAccess()).isTrue();
    assertThat(config.trino().deployment()).isEqualTo(Deployment.EMBEDDED);
    assertThat(config.trino().port()).isEqualTo(8080);
    assertThat(config.trino().user()).isEqualTo("admin");
    assertThat(config.trino().heap()).isEqualTo("2G");
    assertThat(config.trino().catalog()).isEqualTo("iceberg");
    assertThat(config.spark().master()).isEqualTo("local[2]");
    assertThat(config.spark().submit()).isEqualTo(SparkConfig.SubmitMode.CHILD_JVM);
    assertThat(config.spark().driverMemory()).isEqualTo("1g");
    assertThat(config.spark().jobLogsKept()).isEqualTo(20);
    assertThat(config.anyEmbedded()).isTrue();
  }

  @Test
  void mapsEveryKebabCaseKey() {
    FloeConfig config =
        parse(
            """
            home: /var/floe
            catalog:
              deployment: external
              uri: https://polaris.example.com/api/catalog
              credential: client:${SECRET}
              oauth2-server-uri: https://polaris.example.com/api/catalog/v1/oauth/tokens
              warehouse: analytics
              properties:
                scope: PRINCIPAL_ROLE:ALL
            storage:
              deployment: external
              endpoint: http://minio:9000
              access-key: admin
              secret-key: ${SECRET}
              region: eu-west-1
              path-style-access: false
              bucket: lake
            trino:
              deployment: external
              url: jdbc:trino://trino:8443?SSL=true
              user: floe
              password: ${MISSING:-fallback}
            spark:
              master: spark://spark-master:7077
              submit: spark-submit
              spark-home: /opt/spark
              driver-memory: 2g
              executor-memory: 4g
              conf:
                spark.sql.shuffle.partitions: 64
              job-logs-kept: 5
            """);
    assertThat(config.home()).isEqualTo(Path.of("/var/floe"));
    assertThat(config.catalog().deployment()).isEqualTo(Deployment.EXTERNAL);
    assertThat(config.catalog().uri()).contains("https://polaris.example.com/api/catalog");
    assertThat(config.catalog().credential()).contains("client:s3cr3t");
    assertThat(config.catalog().oauth2ServerUri()).isPresent();
    assertThat(config.catalog().warehouse()).isEqualTo("analytics");
    assertThat(config.catalog().properties()).containsEntry("scope", "PRINCIPAL_ROLE:ALL");
    assertThat(config.storage().endpoint()).contains("http://minio:9000");
    assertThat(config.storage().secretKey()).contains("s3cr3t");
    assertThat(config.storage().region()).isEqualTo("eu-west-1");
    assertThat(config.storage().pathStyleAccess()).isFalse();
    assertThat(config.storage().bucket()).isEqualTo("lake");
    assertThat(config.trino().url()).contains("jdbc:trino://trino:8443?SSL=true");
    assertThat(config.trino().password()).isEqualTo(Optional.of("fallback"));
    assertThat(config.spark().submit()).isEqualTo(SparkConfig.SubmitMode.SPARK_SUBMIT);
    assertThat(config.spark().sparkHome()).contains("/opt/spark");
    assertThat(config.spark().isLocal()).isFalse();
    assertThat(config.spark().conf()).containsEntry("spark.sql.shuffle.partitions", "64");
    assertThat(config.spark().jobLogsKept()).isEqualTo(5);
    assertThat(config.anyEmbedded()).isFalse();
  }

  @Test
  void badEnumNamesFileKeyAndAllowedValues() {
    assertThatThrownBy(() -> parse("catalog:\n  deployment: cloud\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "floe.yaml: catalog.deployment: 'cloud' is not allowed; allowed values are embedded, external");
  }

  @Test
  void unknownKeyListsTheKnownOnes() {
    assertThatThrownBy(() -> parse("trino:\n  prot: 8080\n"))
        .hasMessageStartingWith("floe.yaml: trino.prot: unknown key; allowed keys here are ")
        .hasMessageContaining("port");
  }

  @Test
  void misspeltTableSectionIsAnErrorNotAMissingSuite() {
    assertThatThrownBy(() -> parse("tables:\n  silver.orders:\n    qualty: {checks: []}\n"))
        .hasMessage(
            "floe.yaml: tables.silver.orders.qualty: unknown key; allowed keys here are"
                + " maintenance, quality");
    assertThatThrownBy(() -> parse("tables:\n  silver.orders: 3\n"))
        .hasMessage("floe.yaml: tables.silver.orders: expected a section of keys, found '3'");
  }

  @Test
  void outOfRangePortIsRejected() {
    assertThatThrownBy(() -> parse("storage:\n  port: 70000\n"))
        .hasMessage(
            "floe.yaml: storage.port: 70000 is out of range; allowed values are 0 to 65535");
  }

  @Test
  void externalCatalogNeedsUri() {
    assertThatThrownBy(() -> parse("catalog:\n  deployment: external\n"))
        .hasMessage("floe.yaml: catalog.uri: required when catalog.deployment is external");
  }

  @Test
  void badSparkMasterNamesTheForms() {
    assertThatThrownBy(() -> parse("spark:\n  master: local-ish\n"))
        .hasMessageContaining("spark.master: 'local-ish' is not a Spark master");
  }

  @Test
  void unsetEnvironmentVariableIsNamed() {
    assertThatThrownBy(() -> parse("catalog:\n  token: ${NOT_SET}\n"))
        .hasMessage("floe.yaml: catalog.token: environment variable NOT_SET is not set");
  }

  @Test
  void brokenYamlNamesTheLine() {
    assertThatThrownBy(() -> parse("catalog:\n  port: [1,\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "floe.yaml: not valid YAML at line 3, column 1: expected the node content, but found"
                + " '<stream end>' (while parsing a flow node)");
  }

  @Test
  void brokenYamlIsOneLineNamingWhereTheProblemIsAndWhereItsContextStarted() {
    assertThatThrownBy(
            () -> parse("tables:\n  silver.orders:\n    quality: {checks: [unique: id\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "floe.yaml: not valid YAML at line 4, column 1: expected ',' or ']', but got <stream"
                + " end> (while parsing a flow sequence that starts at line 3, column 23)");
    assertThatThrownBy(() -> parse("quality:\n\tsamples: 3\n"))
        .hasMessageStartingWith("floe.yaml: not valid YAML at line 2, column 1: found character")
        .hasMessageNotContaining("\n");
  }

  @Test
  void aKeyGivenTwiceInASectionIsAnErrorNotASilentOverride() {
    assertThatThrownBy(
            () ->
                parse(
                    "tables:\n  silver.orders: {quality: {checks: [unique: id]}}\n"
                        + "  silver.orders: {quality: {checks: [unique: buyer_id]}}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "floe.yaml: tables.silver.orders: given twice in one section (again at line 3);"
                + " each key may appear once");
    assertThatThrownBy(() -> parse("quality:\n  samples: 3\n  samples: 9\n"))
        .hasMessageStartingWith("floe.yaml: quality.samples: given twice in one section");
    assertThatThrownBy(
            () ->
                parse(
                    "tables:\n  silver.orders:\n    quality:\n      checks:\n"
                        + "        - unique: id\n        - {max: {column: a, column: b}}\n"))
        .hasMessageStartingWith(
            "floe.yaml: tables.silver.orders.quality.checks[1].max.column: given twice");
  }

  @Test
  void sectionMustBeAMap() {
    assertThatThrownBy(() -> parse("trino: 8080\n"))
        .hasMessage("floe.yaml: trino: expected a section of keys, found '8080'");
  }

  @Test
  void configErrorsAreUserErrorsWithExitCodeTwo(@TempDir Path dir) {
    FloeException missing =
        org.assertj.core.api.Assertions.catchThrowableOfType(
            FloeException.class, () -> FloeConfig.load(dir.resolve("nope.yaml")));
    assertThat(missing.code()).isEqualTo(ErrorCode.INVALID_CONFIG);
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing).hasMessageEndingWith("nope.yaml: file not found");
  }

  @Test
  void relativeHomeResolvesAgainstTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("floe.yaml");
    Files.writeString(file, "home: state\n");
    assertThat(FloeConfig.load(file).home()).isEqualTo(dir.resolve("state"));
    assertThat(FloeConfig.loadOrDefaults(dir.resolve("absent.yaml")).source())
        .isEqualTo("(defaults)");
  }

  @Test
  void durationsParseShortAndIsoForms() {
    assertThat(Durations.parse("3d")).contains(java.time.Duration.ofDays(3));
    assertThat(Durations.parse("500ms")).contains(java.time.Duration.ofMillis(500));
    assertThat(Durations.parse("PT5M")).contains(java.time.Duration.ofMinutes(5));
    assertThat(Durations.parse("soon")).isEmpty();
    assertThat(Durations.format(java.time.Duration.ofHours(24))).isEqualTo("1d");
    assertThat(Durations.format(java.time.Duration.ofSeconds(90))).isEqualTo("90s");
  }

  @Test
  void durationsAreDescribedInTheirTwoLargestUnits() {
    assertThat(Durations.describe(java.time.Duration.ofSeconds(26_096_587))).isEqualTo("302d 1h");
    assertThat(Durations.describe(java.time.Duration.parse("PT1H13M7S"))).isEqualTo("1h 13m");
    assertThat(Durations.describe(java.time.Duration.parse("P3DT7S"))).isEqualTo("3d");
    assertThat(Durations.describe(java.time.Duration.parse("PT13M7.25S"))).isEqualTo("13m 7s");
    assertThat(Durations.describe(java.time.Duration.ofMillis(7_250))).isEqualTo("7s");
    assertThat(Durations.describe(java.time.Duration.ofMillis(250))).isEqualTo("250ms");
    assertThat(Durations.describe(java.time.Duration.ZERO)).isEqualTo("0s");
    assertThat(Durations.describe(java.time.Duration.ofMinutes(-90))).isEqualTo("-1h 30m");
  }
}
