package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The interface views declared in {@code floe.yaml} and how they get into Trino.
 *
 * <p>Views read the {@code main} branch of gold tables. {@code main} only moves when the quality
 * gate publishes an audited snapshot, so a view never shows data that has not passed the gate, and
 * a failed gate leaves it showing the previous publish. Views are {@code SECURITY DEFINER}: they
 * run with the rights of the admin who synced them, so BI users need no rights on the tables.
 *
 * <pre>{@code
 * views:
 *   category_report:                 # becomes iceberg.interface.category_report
 *     sql: SELECT day, category_name, avg_revenue FROM iceberg.gold.category_report
 *     comment: Average and median revenue per day and category
 *     owner: analytics-team
 * }</pre>
 *
 * Without a {@code views} section, the e-commerce example's views apply ({@link
 * #ecommerceDefaults}); {@code views: {}} declares none.
 */
public final class InterfaceViews {
  public static final String SECTION = "views";
  public static final String SQL = "sql";
  public static final String COMMENT = "comment";
  public static final String OWNER = "owner";

  private InterfaceViews() {}

  /** The views of {@code floe.yaml}, or the e-commerce defaults when it has no views section. */
  public static List<InterfaceView> read(FloeConfig config) {
    ConfigNode node = config.section(SECTION);
    if (!node.isPresent()) {
      return ecommerceDefaults(config.trino().catalog());
    }
    return read(node);
  }

  static List<InterfaceView> read(ConfigNode node) {
    List<InterfaceView> views = new ArrayList<>();
    for (String key : node.names()) {
      String name = viewName(node, key);
      ConfigNode view = node.section(key);
      view.allowOnly(SQL, COMMENT, OWNER);
      String sql =
          view.optionalString(SQL)
              .map(InterfaceViews::withoutTrailingSemicolon)
              .filter(text -> !text.isBlank())
              .orElseThrow(() -> view.error(view.key(SQL), "required: the query the view runs"));
      String firstWord = sql.strip().split("[\\s(]", 2)[0].toUpperCase(Locale.ROOT);
      if (!firstWord.equals("SELECT") && !firstWord.equals("WITH")) {
        throw view.error(
            view.key(SQL),
            "must be a query starting with SELECT or WITH, not '%s'".formatted(firstWord));
      }
      views.add(
          new InterfaceView(
              name,
              sql,
              view.optionalString(COMMENT).filter(text -> !text.isBlank()),
              view.optionalString(OWNER).filter(text -> !text.isBlank())));
    }
    return views;
  }

  private static String viewName(ConfigNode node, String key) {
    String prefix = InterfaceView.schema() + ".";
    String name = key.startsWith(prefix) ? key.substring(prefix.length()) : key;
    if (name.contains(".")) {
      throw node.error(
          node.key(key),
          "views live in the %s schema; name them <view> or %s<view>"
              .formatted(InterfaceView.schema(), prefix));
    }
    if (!InterfaceView.NAME.matcher(name).matches()) {
      throw node.error(
          node.key(key),
          "'%s' is not a view name (lower-case letters, digits and _, starting with a letter)"
              .formatted(name));
    }
    return name;
  }

  private static String withoutTrailingSemicolon(String sql) {
    String text = sql.strip();
    return text.endsWith(";") ? text.substring(0, text.length() - 1).strip() : text;
  }

  /**
   * The e-commerce example's views over {@code gold.category_report} and {@code gold.order_report}.
   */
  public static List<InterfaceView> ecommerceDefaults(String catalog) {
    String gold = SqlNames.quoted(catalog) + ".gold.";
    return List.of(
        new InterfaceView(
            "category_report",
            "SELECT day, category_id, category_name, avg_revenue, median_revenue, item_count FROM "
                + gold
                + "category_report",
            Optional.of(
                "Average and median revenue (USD) per day and product category; cancelled orders"
                    + " excluded"),
            Optional.empty()),
        new InterfaceView(
            "order_report",
            "SELECT day, order_count, total_revenue, avg_revenue FROM " + gold + "order_report",
            Optional.of("Total and average order revenue (USD) per day; cancelled orders excluded"),
            Optional.empty()));
  }

  /**
   * Creates or replaces every view in {@code <catalog>.interface} as {@code SECURITY DEFINER},
   * creating the schema when needed. A view that Trino refuses (for example because its gold table
   * does not exist yet) is reported as failed; the others are still synced.
   *
   * @param admin a connection as a user who may create views in {@code interface} (the definer)
   * @throws FloeException {@code SERVICE_FAILED} when the schema cannot be created or listed
   */
  public static ViewSyncResult sync(Connection admin, String catalog, List<InterfaceView> views) {
    requireNonNull(admin, "admin is null");
    requireNonNull(catalog, "catalog is null");
    requireNonNull(views, "views is null");
    String schema = SqlNames.quoted(catalog) + "." + SqlNames.quoted(InterfaceView.schema());
    Set<String> existing;
    try (Statement statement = admin.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS " + schema);
      existing = existingViews(admin, catalog);
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot prepare schema %s for the interface views: %s".formatted(schema, e.getMessage()),
          e);
    }
    List<ViewSyncResult.SyncedView> outcomes = new ArrayList<>();
    for (InterfaceView view : views) {
      try (Statement statement = admin.createStatement()) {
        statement.execute(createStatement(catalog, view));
        outcomes.add(
            new ViewSyncResult.SyncedView(
                view.name(),
                existing.contains(view.name())
                    ? ViewSyncResult.Status.REPLACED
                    : ViewSyncResult.Status.CREATED,
                Optional.empty()));
      } catch (SQLException e) {
        outcomes.add(
            new ViewSyncResult.SyncedView(
                view.name(),
                ViewSyncResult.Status.FAILED,
                Optional.of(e.getMessage().lines().findFirst().orElse("").strip())));
      }
    }
    return new ViewSyncResult(catalog, outcomes);
  }

  /** The DDL for one view: {@code CREATE OR REPLACE VIEW ... SECURITY DEFINER AS <sql>}. */
  static String createStatement(String catalog, InterfaceView view) {
    StringBuilder sql =
        new StringBuilder("CREATE OR REPLACE VIEW ")
            .append(SqlNames.quoted(catalog))
            .append('.')
            .append(SqlNames.quoted(InterfaceView.schema()))
            .append('.')
            .append(SqlNames.quoted(view.name()));
    view.storedComment()
        .ifPresent(comment -> sql.append(" COMMENT ").append(SqlNames.literal(comment)));
    sql.append(" SECURITY DEFINER AS ").append(view.sql());
    return sql.toString();
  }

  private static Set<String> existingViews(Connection connection, String catalog)
      throws SQLException {
    Set<String> names = new HashSet<>();
    String query =
        "SELECT table_name FROM %s.information_schema.views WHERE table_schema = ?"
            .formatted(SqlNames.quoted(catalog));
    try (PreparedStatement statement = connection.prepareStatement(query)) {
      statement.setString(1, InterfaceView.schema());
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          names.add(rows.getString(1));
        }
      }
    }
    return names;
  }
}
