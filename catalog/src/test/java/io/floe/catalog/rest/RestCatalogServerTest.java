package io.floe.catalog.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.catalog.CatalogConnection;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.rest.RESTCatalog;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.view.View;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestCatalogServerTest {
  static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.required(2, "ts", Types.TimestampType.withZone()),
          Types.NestedField.optional(3, "category", Types.StringType.get()));
  static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).day("ts").identity("category").build();
  static final SortOrder SORT_ORDER = SortOrder.builderFor(SCHEMA).asc("id").desc("ts").build();
  static final Map<String, String> IN_MEMORY_IO =
      Map.of(CatalogProperties.FILE_IO_IMPL, InMemoryFileIO.class.getName());

  private static final Namespace NS = Namespace.of("sales");
  private static final TableIdentifier ORDERS = TableIdentifier.of(NS, "orders");
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path dir;
  private RestCatalogServer server;
  private RESTCatalog catalog;

  static RestCatalogServer.Builder serverOn(Path dir) {
    return serverOn(dir, "jdbc:sqlite:" + dir.resolve("db/catalog.db"));
  }

  /** A server keeping its catalog in {@code jdbcUri} and its files in memory. */
  static RestCatalogServer.Builder serverOn(Path dir, String jdbcUri) {
    return RestCatalogServer.builder()
        .warehouse("memory://" + dir + "/warehouse")
        .jdbcUri(jdbcUri)
        .catalogProperties(IN_MEMORY_IO)
        .clientDefaults(
            Map.of(
                CatalogProperties.FILE_IO_IMPL,
                InMemoryFileIO.class.getName(),
                "s3.endpoint",
                "http://127.0.0.1:9000"));
  }

  static RESTCatalog connect(RestCatalogServer server) {
    return CatalogConnection.of(server.uri(), "").open("test");
  }

  @BeforeEach
  void start() {
    server = serverOn(dir).start();
    catalog = connect(server);
    // Iceberg request builders probe for null keys, which Map.of refuses
    catalog.createNamespace(NS, new HashMap<>(Map.of("owner", "floe")));
  }

  @AfterEach
  void stop() throws IOException {
    catalog.close();
    server.close();
  }

  @Test
  void partitionSpecAndSortOrderRoundTrip() {
    Table created =
        catalog
            .buildTable(ORDERS, SCHEMA)
            .withPartitionSpec(SPEC)
            .withSortOrder(SORT_ORDER)
            .create();

    Table loaded = connect(server).loadTable(ORDERS);

    assertThat(created.spec().isPartitioned()).isTrue();
    assertThat(loaded.spec()).isEqualTo(created.spec());
    assertThat(loaded.spec().fields())
        .extracting(field -> field.name() + ":" + field.transform())
        .containsExactly("ts_day:day", "category:identity");
    assertThat(loaded.sortOrder()).isEqualTo(created.sortOrder());
    assertThat(loaded.sortOrder().fields())
        .extracting(
            field -> loaded.schema().findColumnName(field.sourceId()) + " " + field.direction())
        .containsExactly("id ASC", "ts DESC");
    assertThat(loaded.schema().sameSchema(created.schema())).isTrue();
  }

  @Test
  void appendCommitsASnapshot() {
    Table table = catalog.buildTable(ORDERS, SCHEMA).withPartitionSpec(SPEC).create();
    DataFile file =
        DataFiles.builder(table.spec())
            .withPath("memory://" + dir + "/warehouse/sales/orders/data/part-0.parquet")
            .withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(1024)
            .withRecordCount(10)
            .withPartitionPath("ts_day=2024-05-01/category=books")
            .build();

    table.newAppend().appendFile(file).commit();

    Table reloaded = connect(server).loadTable(ORDERS);
    assertThat(reloaded.currentSnapshot()).isNotNull();
    assertThat(reloaded.currentSnapshot().summary()).containsEntry("added-data-files", "1");
    assertThat(reloaded.currentSnapshot().summary()).containsEntry("added-records", "10");
  }

  @Test
  void stagedCreateCommitsOnTransactionCommit() {
    Transaction transaction =
        catalog.buildTable(ORDERS, SCHEMA).withPartitionSpec(SPEC).createTransaction();
    assertThat(catalog.tableExists(ORDERS)).isFalse();

    transaction.commitTransaction();

    assertThat(catalog.loadTable(ORDERS).spec().fields()).hasSize(2);
  }

  @Test
  void unknownTableIsNotFound() throws Exception {
    long before = server.requestCount();

    assertThatThrownBy(() -> catalog.loadTable(TableIdentifier.of(NS, "missing")))
        .isInstanceOf(NoSuchTableException.class);
    assertThat(catalog.tableExists(TableIdentifier.of(NS, "missing"))).isFalse();

    // a 5xx would have made the client retry; one request per call means it answered 404 at once
    assertThat(server.requestCount() - before).isEqualTo(2);
    HttpResponse<String> response = get("/v1/namespaces/sales/tables/missing");
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(response.body()).at("/error/type").asText())
        .isEqualTo("NoSuchTableException");
  }

  @Test
  void metadataTableNamesAreNotFoundOverHttp() throws Exception {
    catalog.createTable(ORDERS, SCHEMA);

    for (String path :
        List.of(
            "/v1/namespaces/sales%1Forders/tables/snapshots",
            "/v1/namespaces/sales%1Forders/tables/files",
            "/v1/namespaces/sales/tables/orders.snapshots",
            "/v1/namespaces/sales/tables/orders.files",
            "/v1/namespaces/sales%1Fmissing/tables/snapshots",
            "/v1/namespaces/nowhere/tables/snapshots")) {
      HttpResponse<String> response = get(path);
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(JSON.readTree(response.body()).at("/error/type").asText())
          .as(path)
          .isEqualTo("NoSuchTableException");
      assertThat(head(path)).as("HEAD " + path).isEqualTo(404);
    }
  }

  @Test
  void metadataTablesLoadThroughTheClientWithoutRetries() {
    catalog.createTable(ORDERS, SCHEMA);
    long before = server.requestCount();

    Table snapshots = catalog.loadTable(TableIdentifier.parse("sales.orders.snapshots"));
    Table files = catalog.loadTable(TableIdentifier.parse("sales.orders.files"));
    assertThatThrownBy(() -> catalog.loadTable(TableIdentifier.parse("sales.missing.snapshots")))
        .isInstanceOf(NoSuchTableException.class);

    assertThat(snapshots.name()).endsWith("snapshots");
    assertThat(files.name()).endsWith("files");
    // each load is one 404 for the metadata name plus one load of the base table
    assertThat(server.requestCount() - before).isEqualTo(6);
  }

  @Test
  void configPushesDefaultsAndAdvertisedEndpoints() throws Exception {
    HttpResponse<String> response = get("/v1/config");

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode config = JSON.readTree(response.body());
    assertThat(config.at("/defaults/s3.endpoint").asText()).isEqualTo("http://127.0.0.1:9000");
    List<String> endpoints = new ArrayList<>();
    config.get("endpoints").forEach(endpoint -> endpoints.add(endpoint.asText()));
    assertThat(endpoints)
        .contains(
            "GET /v1/{prefix}/namespaces",
            "POST /v1/{prefix}/namespaces/{namespace}/tables/{table}",
            "POST /v1/{prefix}/tables/rename",
            "POST /v1/{prefix}/namespaces/{namespace}/register",
            "GET /v1/{prefix}/namespaces/{namespace}/views/{view}")
        .noneMatch(endpoint -> endpoint.contains("transactions") || endpoint.contains("plan"));
    assertThat(catalog.properties()).containsEntry("s3.endpoint", "http://127.0.0.1:9000");
  }

  @Test
  void namespacesCanBeListedUpdatedAndDropped() {
    catalog.createNamespace(Namespace.of("sales", "eu"));
    assertThat(catalog.listNamespaces()).contains(NS);
    assertThat(catalog.listNamespaces(NS)).containsExactly(Namespace.of("sales", "eu"));

    catalog.setProperties(NS, new HashMap<>(Map.of("team", "growth")));
    catalog.removeProperties(NS, new HashSet<>(Set.of("owner")));
    assertThat(catalog.loadNamespaceMetadata(NS))
        .containsEntry("team", "growth")
        .doesNotContainKey("owner");

    assertThat(catalog.dropNamespace(Namespace.of("sales", "eu"))).isTrue();
    assertThat(catalog.namespaceExists(Namespace.of("sales", "eu"))).isFalse();
    assertThatThrownBy(() -> catalog.createNamespace(NS))
        .isInstanceOf(AlreadyExistsException.class);
  }

  @Test
  void concurrentCreatesOfOneNamespaceCreateItOnceAndConflictOtherwise() throws Exception {
    // several clients creating the namespace they write to (Floe's quality and maintenance tables
    // do): one creates it, the others are told it exists, none gets a server error
    java.util.concurrent.ExecutorService clients =
        java.util.concurrent.Executors.newFixedThreadPool(8);
    try {
      for (int round = 0; round < 10; round++) {
        Namespace namespace = Namespace.of("raced_" + round);
        java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
        List<java.util.concurrent.Future<String>> outcomes = new java.util.ArrayList<>();
        for (int client = 0; client < 8; client++) {
          outcomes.add(
              clients.submit(
                  () -> {
                    start.await();
                    try {
                      catalog.createNamespace(namespace);
                      return "created";
                    } catch (AlreadyExistsException e) {
                      return "exists";
                    }
                  }));
        }
        start.countDown();
        List<String> results = new java.util.ArrayList<>();
        for (java.util.concurrent.Future<String> outcome : outcomes) {
          results.add(outcome.get());
        }
        assertThat(results).containsOnlyOnce("created").containsOnly("created", "exists");
        assertThat(catalog.namespaceExists(namespace)).isTrue();
      }
    } finally {
      clients.shutdownNow();
    }
  }

  @Test
  void tablesCanBeRenamedAndDropped() {
    catalog.createTable(ORDERS, SCHEMA);
    TableIdentifier renamed = TableIdentifier.of(NS, "orders_v2");

    catalog.renameTable(ORDERS, renamed);
    assertThat(catalog.listTables(NS)).containsExactly(renamed);

    assertThat(catalog.dropTable(renamed, true)).isTrue();
    assertThat(catalog.tableExists(renamed)).isFalse();
    assertThat(catalog.dropTable(renamed)).isFalse();
  }

  @Test
  void tableInMissingNamespaceFails() {
    assertThatThrownBy(() -> catalog.createTable(TableIdentifier.of("nowhere", "t"), SCHEMA))
        .isInstanceOf(NoSuchNamespaceException.class);
  }

  @Test
  void viewsCanBeCreatedReplacedRenamedAndDropped() {
    TableIdentifier viewId = TableIdentifier.of(NS, "recent_orders");
    catalog
        .buildView(viewId)
        .withSchema(SCHEMA)
        .withDefaultNamespace(NS)
        .withQuery("trino", "SELECT * FROM sales.orders")
        .create();

    catalog
        .buildView(viewId)
        .withSchema(SCHEMA)
        .withDefaultNamespace(NS)
        .withQuery("trino", "SELECT * FROM sales.orders WHERE id > 0")
        .replace();
    View view = connect(server).loadView(viewId);
    assertThat(view.sqlFor("trino").sql()).endsWith("id > 0");

    TableIdentifier renamed = TableIdentifier.of(NS, "orders_recent");
    catalog.renameView(viewId, renamed);
    assertThat(catalog.listViews(NS)).containsExactly(renamed);
    assertThat(catalog.dropView(renamed)).isTrue();
    assertThat(catalog.viewExists(renamed)).isFalse();
  }

  @Test
  void unknownRouteAndMalformedBodyAreClientErrors() throws Exception {
    assertThat(get("/v2/nothing").statusCode()).isEqualTo(404);

    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create(server.uri() + "/v1/namespaces"))
                .POST(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(JSON.readTree(response.body()).at("/error/code").asInt()).isEqualTo(400);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(server.uri() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int head(String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.uri() + path))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }
}
