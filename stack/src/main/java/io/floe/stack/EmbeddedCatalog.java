package io.floe.stack;

import io.floe.core.config.CatalogConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.OwnerOnlyFiles;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded Iceberg REST catalog: Floe's own server on a JDBC store (a SQLite file in the home
 * unless {@code catalog.jdbc-uri} names another database), writing metadata to the object store.
 */
final class EmbeddedCatalog {
  static final String NAME = "REST catalog";
  static final String ARTIFACT = "floe-catalog";

  private EmbeddedCatalog() {}

  static ChildProcess launch(
      RuntimeLayout layout,
      Path home,
      int port,
      String token,
      CatalogConfig config,
      Map<String, String> s3FileIoProperties) {
    Path dir = home.resolve("catalog");
    Path configFile = dir.resolve("catalog.properties");
    try {
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("port", Integer.toString(port));
      properties.put("warehouse", config.warehouse());
      properties.put(
          "jdbc.uri",
          config.jdbcUri().orElse("jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath()));
      config.jdbcUser().ifPresent(user -> properties.put("jdbc.user", user));
      config.jdbcPassword().ifPresent(password -> properties.put("jdbc.password", password));
      properties.put("token", token);
      properties.putAll(s3FileIoProperties);
      properties.putAll(config.properties());
      OwnerOnlyFiles.writeProperties(configFile, properties, "written by Floe at every start");
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot prepare " + dir + ": " + e, e);
    }
    String mainClass =
        layout
            .property(ARTIFACT, "main-class")
            .orElse("io.floe.catalog.rest.RestCatalogServerMain");
    // C1 only: the server shares the machine's cores with the work it serves, and C2 compiling its
    // request paths cost more CPU than it saved (over half of the S3 server's CPU in a compaction
    // benchmark went to C2)
    JavaCommand command =
        JavaCommand.of(
                layout.classpath(ARTIFACT), mainClass, configFile.toAbsolutePath().toString())
            // Iceberg's per-request INFO lines (each table load and refresh) would fill the log
            .withJvmOptions(
                List.of("-Xmx384m", "-Dorg.slf4j.simpleLogger.log.org.apache.iceberg=warn"))
            .withJvmOptions(JavaCommand.QUICK_JIT_OPTIONS);
    return ChildProcess.start(NAME, command, dir, home.resolve("logs").resolve("catalog.log"));
  }

  static void awaitReady(ChildProcess process, String uri, String token) {
    process.awaitReady(
        () ->
            HttpProbe.status(uri + "/v1/config", Optional.of(token))
                .filter(s -> s == 200)
                .isPresent(),
        Duration.ofSeconds(60));
  }
}
