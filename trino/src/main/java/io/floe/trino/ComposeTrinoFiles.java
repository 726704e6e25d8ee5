package io.floe.trino;

import io.floe.core.config.TrinoConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Trino files {@code docker-compose.yml} mounts under {@code /etc/trino}, rendered by the same
 * code that configures the embedded Trino, so the two cannot drift apart: the read-only audit
 * catalog, the file-based access rules and the coordinator's {@code config.properties} pointing at
 * them. The Iceberg catalog itself is mounted straight from {@link
 * IcebergCatalogProperties#RESOURCE}.
 *
 * <p>The files in {@code docker/trino/} are checked in; a test compares them with {@link #render}
 * and {@code main} rewrites them after a change.
 */
public final class ComposeTrinoFiles {
  /** Where the rendered files live in the repository, relative to its root. */
  public static final Path DIRECTORY = Path.of("docker", "trino");

  /** Where the Trino image reads its configuration. */
  static final String ETC = "/etc/trino";

  static final int HTTP_PORT = 8080;

  private ComposeTrinoFiles() {}

  /**
   * File name to content, for the default access roles ({@link AccessConfig#defaults}) of {@code
   * adminUser} on {@link IcebergCatalogProperties#CATALOG_NAME}.
   */
  public static Map<String, String> render(String adminUser) {
    String catalog = IcebergCatalogProperties.CATALOG_NAME;
    AccessConfig access = AccessConfig.defaults(adminUser, catalog);
    Map<String, String> files = new LinkedHashMap<>();
    files.put(
        "catalog/" + access.auditCatalog() + ".properties",
        IcebergCatalogProperties.readOnly(Map.of()));
    files.put("rules.json", AccessRules.render(access, catalog));
    Map<String, String> accessControl = new LinkedHashMap<>();
    accessControl.put("access-control.name", "file");
    accessControl.put("security.config-file", ETC + "/rules.json");
    files.put("access-control.properties", properties(accessControl));
    Map<String, String> config = new LinkedHashMap<>();
    config.put("coordinator", "true");
    config.put("node-scheduler.include-coordinator", "true");
    config.put("http-server.http.port", Integer.toString(HTTP_PORT));
    config.put("discovery.uri", "http://localhost:" + HTTP_PORT);
    config.put("access-control.config-files", ETC + "/access-control.properties");
    files.put("config.properties", properties(config));
    return files;
  }

  /**
   * Rewrites the files under {@code args[0]} (default {@link #DIRECTORY}) for the default admin
   * user.
   */
  public static void main(String[] args) {
    Path directory = args.length > 0 ? Path.of(args[0]) : DIRECTORY;
    for (Map.Entry<String, String> file : render(TrinoConfig.USER_DEFAULT).entrySet()) {
      Path target = directory.resolve(file.getKey());
      try {
        Files.createDirectories(target.getParent());
        Files.writeString(target, file.getValue());
      } catch (IOException e) {
        throw new FloeException(
            ErrorCode.INTERNAL_ERROR, "cannot write %s: %s".formatted(target, e.getMessage()), e);
      }
    }
  }

  private static String properties(Map<String, String> properties) {
    StringBuilder text =
        new StringBuilder("# rendered by io.floe.trino.ComposeTrinoFiles; do not edit by hand\n");
    properties.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
    return text.toString();
  }
}
