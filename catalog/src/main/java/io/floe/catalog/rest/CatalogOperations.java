package io.floe.catalog.rest;

import static java.util.Objects.requireNonNull;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchNamespaceException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.jdbc.JdbcCatalog;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.apache.iceberg.rest.CatalogHandlers;
import org.apache.iceberg.rest.RESTCatalogProperties;
import org.apache.iceberg.rest.RESTCatalogProperties.SnapshotMode;
import org.apache.iceberg.rest.RESTResponse;
import org.apache.iceberg.rest.RESTUtil;
import org.apache.iceberg.rest.requests.CreateNamespaceRequest;
import org.apache.iceberg.rest.requests.CreateTableRequest;
import org.apache.iceberg.rest.requests.CreateViewRequest;
import org.apache.iceberg.rest.requests.RegisterTableRequest;
import org.apache.iceberg.rest.requests.RegisterViewRequest;
import org.apache.iceberg.rest.requests.RenameTableRequest;
import org.apache.iceberg.rest.requests.UpdateNamespacePropertiesRequest;
import org.apache.iceberg.rest.requests.UpdateTableRequest;
import org.apache.iceberg.rest.responses.ConfigResponse;
import org.apache.iceberg.rest.responses.CreateNamespaceResponse;
import org.apache.iceberg.rest.responses.LoadTableResponse;

/**
 * Performs the operation a {@link CatalogRequest} names against the backing {@link JdbcCatalog},
 * delegating the protocol semantics to Iceberg's {@link CatalogHandlers}.
 */
final class CatalogOperations {
  private static final String PAGE_TOKEN = "pageToken";
  private static final String PAGE_SIZE = "pageSize";
  private static final String PARENT = "parent";
  private static final String PURGE_REQUESTED = "purgeRequested";

  private final JdbcCatalog catalog;
  private final ConfigResponse config;
  private final RestJson json;

  CatalogOperations(JdbcCatalog catalog, Map<String, String> clientDefaults, RestJson json) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.json = requireNonNull(json, "json is null");
    this.config =
        ConfigResponse.builder()
            // a mutable copy: the builder probes for null keys, which immutable maps refuse
            .withDefaults(new HashMap<>(requireNonNull(clientDefaults, "clientDefaults is null")))
            .withEndpoints(Route.advertisedEndpoints())
            .build();
  }

  /**
   * Creates a namespace; a create that loses a race with another create of the same namespace is a
   * conflict, as the protocol has it, where the catalog's database only reports its unique key
   * refusing the second insert.
   */
  private CreateNamespaceResponse createNamespace(CreateNamespaceRequest request) {
    try {
      return CatalogHandlers.createNamespace(catalog, request);
    } catch (UncheckedSQLException e) {
      if (catalog.namespaceExists(request.namespace())) {
        throw new AlreadyExistsException(e, "Namespace already exists: %s", request.namespace());
      }
      throw e;
    }
  }

  Reply perform(CatalogRequest request) {
    PathVariables path = request.path();
    return switch (request.route()) {
      case CONFIG -> Reply.ok(config);

      case LIST_NAMESPACES -> Reply.ok(listNamespaces(request));
      case CREATE_NAMESPACE ->
          Reply.ok(createNamespace(body(request, CreateNamespaceRequest.class)));
      case LOAD_NAMESPACE -> Reply.ok(CatalogHandlers.loadNamespace(catalog, path.namespace()));
      case NAMESPACE_EXISTS -> {
        CatalogHandlers.namespaceExists(catalog, path.namespace());
        yield Reply.noContent();
      }
      case DROP_NAMESPACE -> {
        CatalogHandlers.dropNamespace(catalog, path.namespace());
        yield Reply.noContent();
      }
      case UPDATE_NAMESPACE ->
          Reply.ok(
              CatalogHandlers.updateNamespaceProperties(
                  catalog,
                  path.namespace(),
                  body(request, UpdateNamespacePropertiesRequest.class)));

      case LIST_TABLES -> Reply.ok(listTables(request));
      case CREATE_TABLE ->
          Reply.ok(createTable(path.namespace(), body(request, CreateTableRequest.class)));
      case LOAD_TABLE -> Reply.ok(loadTable(path.table(), snapshotMode(request)));
      case TABLE_EXISTS -> {
        loadTable(path.table(), SnapshotMode.REFS);
        yield Reply.noContent();
      }
      case UPDATE_TABLE ->
          Reply.ok(
              CatalogHandlers.updateTable(
                  catalog, path.table(), body(request, UpdateTableRequest.class)));
      case DROP_TABLE -> {
        dropTable(path.table(), request);
        yield Reply.noContent();
      }
      case RENAME_TABLE -> {
        CatalogHandlers.renameTable(catalog, body(request, RenameTableRequest.class));
        yield Reply.noContent();
      }
      case REGISTER_TABLE ->
          Reply.ok(
              CatalogHandlers.registerTable(
                  catalog, path.namespace(), body(request, RegisterTableRequest.class)));
      case REPORT_METRICS -> Reply.noContent();

      case LIST_VIEWS -> Reply.ok(listViews(request));
      case CREATE_VIEW ->
          Reply.ok(
              CatalogHandlers.createView(
                  catalog, path.namespace(), body(request, CreateViewRequest.class)));
      case LOAD_VIEW -> Reply.ok(CatalogHandlers.loadView(catalog, path.view()));
      case VIEW_EXISTS -> {
        CatalogHandlers.viewExists(catalog, path.view());
        yield Reply.noContent();
      }
      case UPDATE_VIEW ->
          Reply.ok(
              CatalogHandlers.updateView(
                  catalog, path.view(), body(request, UpdateTableRequest.class)));
      case DROP_VIEW -> {
        CatalogHandlers.dropView(catalog, path.view());
        yield Reply.noContent();
      }
      case RENAME_VIEW -> {
        CatalogHandlers.renameView(catalog, body(request, RenameTableRequest.class));
        yield Reply.noContent();
      }
      case REGISTER_VIEW ->
          Reply.ok(
              CatalogHandlers.registerView(
                  catalog, path.namespace(), body(request, RegisterViewRequest.class)));
    };
  }

  private RESTResponse listNamespaces(CatalogRequest request) {
    Namespace parent =
        request
            .queryParameter(PARENT)
            .map(
                value ->
                    RESTUtil.namespaceFromQueryParam(
                        value, RESTCatalogProperties.NAMESPACE_SEPARATOR_DEFAULT))
            .orElse(Namespace.empty());
    Optional<String> pageSize = request.queryParameter(PAGE_SIZE);
    return pageSize.isPresent()
        ? CatalogHandlers.listNamespaces(catalog, parent, pageToken(request), pageSize.get())
        : CatalogHandlers.listNamespaces(catalog, parent);
  }

  private RESTResponse listTables(CatalogRequest request) {
    Namespace namespace = request.path().namespace();
    Optional<String> pageSize = request.queryParameter(PAGE_SIZE);
    return pageSize.isPresent()
        ? CatalogHandlers.listTables(catalog, namespace, pageToken(request), pageSize.get())
        : CatalogHandlers.listTables(catalog, namespace);
  }

  private RESTResponse listViews(CatalogRequest request) {
    Namespace namespace = request.path().namespace();
    Optional<String> pageSize = request.queryParameter(PAGE_SIZE);
    return pageSize.isPresent()
        ? CatalogHandlers.listViews(catalog, namespace, pageToken(request), pageSize.get())
        : CatalogHandlers.listViews(catalog, namespace);
  }

  private static String pageToken(CatalogRequest request) {
    return request.queryParameter(PAGE_TOKEN).orElse("");
  }

  private LoadTableResponse createTable(Namespace namespace, CreateTableRequest body) {
    return body.stageCreate()
        ? CatalogHandlers.stageTableCreate(catalog, namespace, body)
        : CatalogHandlers.createTable(catalog, namespace, body);
  }

  /**
   * Loads a table's metadata. Metadata tables ({@code db.t.snapshots}) are built by clients from
   * their base table, and clients try the base table only after a {@link NoSuchTableException}: so
   * a missing namespace (the {@code db.t} of {@code db.t.snapshots}) answers that too.
   */
  private LoadTableResponse loadTable(TableIdentifier table, SnapshotMode mode) {
    try {
      return CatalogHandlers.loadTable(catalog, table, mode);
    } catch (NoSuchNamespaceException e) {
      throw new NoSuchTableException(e, "Table does not exist: %s", table);
    }
  }

  private void dropTable(TableIdentifier table, CatalogRequest request) {
    if (request.queryParameter(PURGE_REQUESTED).map(Boolean::parseBoolean).orElse(false)) {
      CatalogHandlers.purgeTable(catalog, table);
    } else {
      CatalogHandlers.dropTable(catalog, table);
    }
  }

  private static SnapshotMode snapshotMode(CatalogRequest request) {
    Optional<String> value =
        request.queryParameter(RESTCatalogProperties.SNAPSHOTS_QUERY_PARAMETER);
    if (value.isEmpty()) {
      return RESTCatalogProperties.SNAPSHOT_LOADING_MODE_DEFAULT;
    }
    try {
      return SnapshotMode.valueOf(value.get().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid %s: %s, expected all or refs"
              .formatted(RESTCatalogProperties.SNAPSHOTS_QUERY_PARAMETER, value.get()),
          e);
    }
  }

  private <T> T body(CatalogRequest request, Class<T> type) {
    return json.read(request.body(), type);
  }
}
