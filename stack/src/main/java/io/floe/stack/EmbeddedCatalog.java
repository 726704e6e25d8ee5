package io.floe.stack;

import io.floe.core.config.CatalogConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

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
      Files.createDirectories(dir);
      Properties properties = new Properties();
      properties.setProperty("port", Integer.toString(port));
      properties.setProperty("warehouse", config.warehouse());
      properties.setProperty(
          "jdbc.uri",
          config.jdbcUri().orElse("jdbc:sqlite:" + dir.resolve("catalog.db").toAbsolutePath()));
      config.jdbcUser().ifPresent(user -> properties.setProperty("jdbc.user", user));
      config
          .jdbcPassword()
          .ifPresent(password -> properties.setProperty("jdbc.password", password));
      properties.setProperty("token", token);
      s3FileIoProperties.forEach(properties::setProperty);
      config.properties().forEach(properties::setProperty);
      Path temp = Files.createTempFile(dir, "catalog", ".tmp");
      StackCredentials.restrictToOwner(temp);
      try (Writer out = Files.newBufferedWriter(temp)) {
        properties.store(out, "written by Floe at every start");
      }
      Files.move(temp, configFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot prepare " + dir + ": " + e, e);
    }
    String mainClass =
        layout
            .property(ARTIFACT, "main-class")
            .orElse("io.floe.catalog.rest.RestCatalogServerMain");
    JavaCommand command =
        JavaCommand.of(
                layout.classpath(ARTIFACT), mainClass, configFile.toAbsolutePath().toString())
            .withJvmOptions(List.of("-Xmx384m", "-XX:+UseSerialGC"));
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
