package io.floe.maintenance;

import io.floe.catalog.CatalogConnection;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * Runs one maintenance operation in its own JVM so a test can kill it with SIGKILL. Arguments: a
 * connection properties file (see {@link #write}), the operation, the table's namespace and name,
 * the ledger's namespace, and the event to pause before (0 never).
 */
public final class KillableRun {
  private KillableRun() {}

  public static void main(String[] args) throws Exception {
    CatalogConnection connection = read(Path.of(args[0]));
    PausingTable hooks = new PausingTable(System.out, Integer.parseInt(args[5]));
    try (RESTCatalog catalog = connection.open("kill-child")) {
      DeletionLedger.open(catalog, args[4]);
      DeletionLedger ledger =
          DeletionLedger.in(
              hooks.wrap(catalog.loadTable(TableIdentifier.of(args[4], DeletionLedger.TABLE))));
      var table = hooks.wrap(catalog.loadTable(TableIdentifier.of(args[2], args[3])));
      String outcome = KillScenarios.run(args[1], table, ledger);
      System.out.println("DONE " + outcome.replace('\n', ' '));
    }
    System.out.flush();
    System.exit(0);
  }

  static void write(CatalogConnection connection, Path file) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("uri", connection.uri());
    properties.setProperty("warehouse", connection.warehouse());
    connection.token().ifPresent(v -> properties.setProperty("token", v));
    connection.credential().ifPresent(v -> properties.setProperty("credential", v));
    connection.oauth2ServerUri().ifPresent(v -> properties.setProperty("oauth2", v));
    connection.properties().forEach((k, v) -> properties.setProperty("p." + k, v));
    try (var out = Files.newBufferedWriter(file)) {
      properties.store(out, "catalog connection for a KillableRun child");
    }
  }

  private static CatalogConnection read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    Map<String, String> extra = new HashMap<>();
    for (String key : properties.stringPropertyNames()) {
      if (key.startsWith("p.")) {
        extra.put(key.substring(2), properties.getProperty(key));
      }
    }
    return new CatalogConnection(
        properties.getProperty("uri"),
        Optional.ofNullable(properties.getProperty("token")),
        Optional.ofNullable(properties.getProperty("credential")),
        Optional.ofNullable(properties.getProperty("oauth2")),
        properties.getProperty("warehouse"),
        extra);
  }
}
