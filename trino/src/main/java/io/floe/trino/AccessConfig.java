package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The {@code access} section: who may do what in Trino. Three roles:
 *
 * <ul>
 *   <li><b>admin</b> (always {@code trino.user}, plus {@code admin-users}): everything, including
 *       creating the interface views;
 *   <li><b>bi</b>: only {@code SELECT} on the views in the {@code interface} schema;
 *   <li><b>auditor</b>: reads every table, including history and metadata tables; never writes.
 * </ul>
 *
 * <p>Users are matched by name; {@code groups} match the groups Trino's group provider assigns (a
 * production Trino with LDAP or a group file). The embedded Trino installs these rules ({@link
 * AccessRules}) unless {@code enabled} is false.
 *
 * @param enabled whether the embedded Trino enforces the rules
 * @param admins users with every privilege, {@code trino.user} first
 * @param bi the BI role
 * @param auditor the auditor role
 * @param auditCatalog the read-only catalog auditors query (the same tables as {@code
 *     trino.catalog}; the connector refuses writes and table procedures, which Trino's file-based
 *     rules cannot deny)
 */
public record AccessConfig(
    boolean enabled, List<String> admins, Role bi, Role auditor, String auditCatalog) {
  public static final String SECTION = "access";
  public static final String ENABLED = "enabled";
  public static final boolean ENABLED_DEFAULT = true;
  public static final String ADMIN_USERS = "admin-users";
  public static final String BI = "bi";
  public static final String AUDITOR = "auditor";
  public static final String USERS = "users";
  public static final String GROUPS = "groups";
  public static final String CATALOG = "catalog";

  /** The default audit catalog is the Iceberg catalog's name with this suffix. */
  public static final String AUDIT_CATALOG_SUFFIX = "_audit";

  public static final List<String> BI_USERS_DEFAULT = List.of("bi");
  public static final List<String> AUDITOR_USERS_DEFAULT = List.of("auditor");

  /** User and group names: letters, digits and {@code _ . @ -}, as login names usually are. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.@-]*");

  public AccessConfig {
    admins = List.copyOf(admins);
    requireNonNull(bi, "bi is null");
    requireNonNull(auditor, "auditor is null");
    requireNonNull(auditCatalog, "auditCatalog is null");
    if (admins.isEmpty()) {
      throw new IllegalArgumentException("at least one admin user is needed");
    }
  }

  /** The users and groups that hold one role. */
  public record Role(List<String> users, List<String> groups) {
    public Role {
      users = List.copyOf(users);
      groups = List.copyOf(groups);
    }

    public boolean isEmpty() {
      return users.isEmpty() && groups.isEmpty();
    }
  }

  /**
   * The defaults: admin {@code adminUser}, bi user {@code bi}, auditor user {@code auditor} reading
   * {@code <catalog>_audit}.
   */
  public static AccessConfig defaults(String adminUser, String catalog) {
    return new AccessConfig(
        ENABLED_DEFAULT,
        List.of(adminUser),
        new Role(BI_USERS_DEFAULT, List.of()),
        new Role(AUDITOR_USERS_DEFAULT, List.of()),
        catalog + AUDIT_CATALOG_SUFFIX);
  }

  /** Reads {@code access} from floe.yaml; {@code trino.user} is always an admin. */
  public static AccessConfig read(FloeConfig config) {
    return read(config.section(SECTION), config.trino().user(), config.trino().catalog());
  }

  static AccessConfig read(ConfigNode node, String trinoUser, String catalog) {
    node.allowOnly(ENABLED, ADMIN_USERS, BI, AUDITOR);
    Set<String> admins = new LinkedHashSet<>();
    admins.add(trinoUser);
    admins.addAll(names(node, ADMIN_USERS));
    Role bi = role(node, BI, BI_USERS_DEFAULT);
    Role auditor = role(node, AUDITOR, AUDITOR_USERS_DEFAULT);
    requireDistinct(node, admins, bi, auditor);
    ConfigNode auditorNode = node.section(AUDITOR);
    String auditCatalog = auditorNode.string(CATALOG, catalog + AUDIT_CATALOG_SUFFIX);
    if (!auditCatalog.matches("[a-z][a-z0-9_]*") || auditCatalog.equals(catalog)) {
      throw auditorNode.error(
          auditorNode.key(CATALOG),
          "'%s' must be a lower-case catalog name other than %s".formatted(auditCatalog, catalog));
    }
    return new AccessConfig(
        node.bool(ENABLED, ENABLED_DEFAULT), List.copyOf(admins), bi, auditor, auditCatalog);
  }

  private static Role role(ConfigNode parent, String name, List<String> defaultUsers) {
    ConfigNode node = parent.section(name);
    if (name.equals(AUDITOR)) {
      node.allowOnly(USERS, GROUPS, CATALOG);
    } else {
      node.allowOnly(USERS, GROUPS);
    }
    List<String> users = node.has(USERS) ? names(node, USERS) : defaultUsers;
    return new Role(users, names(node, GROUPS));
  }

  private static List<String> names(ConfigNode node, String key) {
    List<String> names = node.stringList(key);
    for (String name : names) {
      if (!NAME.matcher(name).matches()) {
        throw node.error(
            node.key(key),
            "'%s' is not a user or group name (letters, digits, _ . @ -)".formatted(name));
      }
    }
    return names;
  }

  /** A user in two roles would get whichever rule comes first: refuse it instead. */
  private static void requireDistinct(ConfigNode node, Set<String> admins, Role bi, Role auditor) {
    Map<String, String> roleOf = new LinkedHashMap<>();
    admins.forEach(user -> roleOf.put(user, "admin"));
    claim(node, roleOf, auditor.users(), AUDITOR);
    claim(node, roleOf, bi.users(), BI);
  }

  private static void claim(
      ConfigNode node, Map<String, String> roleOf, List<String> users, String role) {
    for (String user : users) {
      String previous = roleOf.putIfAbsent(user, role);
      if (previous != null) {
        throw node.error(
            node.key(role + "." + USERS),
            "user '%s' is already %s; each user holds one role".formatted(user, previous));
      }
    }
  }
}
