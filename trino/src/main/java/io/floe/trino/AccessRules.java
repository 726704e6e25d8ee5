package io.floe.trino;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.floe.catalog.Layer;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Trino's file-based system access control rules ({@code rules.json}) for an {@link AccessConfig}.
 *
 * <p>Trino applies the first matching rule of each section and denies when none matches, so every
 * section lists admins first, then auditors, then BI users:
 *
 * <ul>
 *   <li>admins: all catalogs, owners of every schema, every table privilege (with {@code
 *       GRANT_SELECT}, which SECURITY DEFINER views need of their owner), every function and
 *       procedure;
 *   <li>auditors: only the audit catalog ({@link AccessConfig#auditCatalog}, the same tables
 *       through a connector that refuses every write and table procedure, which these rules cannot
 *       deny), {@code SELECT} on every table there, metadata tables such as {@code "t$snapshots"}
 *       included;
 *   <li>BI: the Iceberg catalog read-only, {@code SELECT} only on relations of the {@code
 *       interface} schema whose names have no {@code $} (so no metadata tables);
 *   <li>everyone: may run queries (a query without catalog access reads nothing), only admins may
 *       watch or kill other users' queries.
 * </ul>
 *
 * <p>BI tools list tables through {@code system.jdbc}, whose rows Trino filters by these rules, so
 * BI users may read that schema and see exactly the interface views.
 */
public final class AccessRules {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern REGEX_SPECIAL = Pattern.compile("[.\\\\+*?\\[^\\]$(){}=!<>|:-]");
  private static final List<String> ALL_TABLE_PRIVILEGES =
      List.of("SELECT", "INSERT", "DELETE", "UPDATE", "OWNERSHIP", "GRANT_SELECT");

  private AccessRules() {}

  /** The rules JSON for {@code access} over the Iceberg catalog named {@code catalog}. */
  public static String render(AccessConfig access, String catalog) {
    requireNonNull(access, "access is null");
    requireNonNull(catalog, "catalog is null");
    Map<String, Object> rules = new LinkedHashMap<>();
    rules.put("catalogs", catalogRules(access, catalog));
    rules.put("schemas", List.of(rule(Principal.users(access.admins()), "owner", true)));
    rules.put("tables", tableRules(access, catalog));
    rules.put(
        "functions",
        List.of(
            rule(
                Principal.users(access.admins()),
                "privileges",
                List.of("EXECUTE", "GRANT_EXECUTE", "OWNERSHIP"))));
    rules.put(
        "procedures",
        List.of(
            rule(
                Principal.users(access.admins()),
                "privileges",
                List.of("EXECUTE", "GRANT_EXECUTE"))));
    rules.put("queries", queryRules(access));
    List<Map<String, Object>> systemInformation = new ArrayList<>();
    systemInformation.add(
        rule(Principal.users(access.admins()), "allow", List.of("read", "write")));
    for (Principal auditor : Principal.of(access.auditor())) {
      systemInformation.add(rule(auditor, "allow", List.of("read")));
    }
    rules.put("system_information", systemInformation);
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(rules) + "\n";
    } catch (JsonProcessingException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR, "cannot write Trino access rules: " + e.getMessage(), e);
    }
  }

  private static List<Map<String, Object>> catalogRules(AccessConfig access, String catalog) {
    List<Map<String, Object>> rules = new ArrayList<>();
    rules.add(rule(Principal.users(access.admins()), "allow", "all"));
    for (Principal auditor : Principal.of(access.auditor())) {
      Map<String, Object> rule =
          rule(auditor, "catalog", "(" + literal(access.auditCatalog()) + "|system)");
      rule.put("allow", "read-only");
      rules.add(rule);
    }
    for (Principal bi : Principal.of(access.bi())) {
      Map<String, Object> rule = rule(bi, "catalog", "(" + literal(catalog) + "|system)");
      rule.put("allow", "read-only");
      rules.add(rule);
    }
    return rules;
  }

  private static List<Map<String, Object>> tableRules(AccessConfig access, String catalog) {
    List<Map<String, Object>> rules = new ArrayList<>();
    rules.add(rule(Principal.users(access.admins()), "privileges", ALL_TABLE_PRIVILEGES));
    for (Principal auditor : Principal.of(access.auditor())) {
      Map<String, Object> rule = rule(auditor, "catalog", literal(access.auditCatalog()));
      rule.put("privileges", List.of("SELECT"));
      rules.add(rule);
    }
    for (Principal bi : Principal.of(access.bi())) {
      Map<String, Object> rule = rule(bi, "catalog", literal(catalog));
      rule.put("schema", literal(Layer.INTERFACE.namespace()));
      rule.put("table", "[^$]+");
      rule.put("privileges", List.of("SELECT"));
      rules.add(rule);
    }
    for (Principal reader : readers(access)) {
      Map<String, Object> rule = rule(reader, "catalog", "system");
      rule.put("schema", "jdbc");
      rule.put("privileges", List.of("SELECT"));
      rules.add(rule);
    }
    return rules;
  }

  private static List<Map<String, Object>> queryRules(AccessConfig access) {
    List<Map<String, Object>> rules = new ArrayList<>();
    rules.add(rule(Principal.users(access.admins()), "allow", List.of("execute", "kill", "view")));
    Map<String, Object> everyone = new LinkedHashMap<>();
    everyone.put("allow", List.of("execute"));
    rules.add(everyone);
    return rules;
  }

  private static List<Principal> readers(AccessConfig access) {
    List<Principal> readers = new ArrayList<>(Principal.of(access.auditor()));
    readers.addAll(Principal.of(access.bi()));
    return readers;
  }

  private static Map<String, Object> rule(Principal principal, String key, Object value) {
    Map<String, Object> rule = new LinkedHashMap<>();
    rule.put(principal.field(), principal.regex());
    rule.put(key, value);
    return rule;
  }

  /** {@code name} as a regular expression matching exactly that name. */
  static String literal(String name) {
    return REGEX_SPECIAL.matcher(name).replaceAll(m -> "\\\\" + m.group());
  }

  /** The users, or the groups, of a role: a Trino rule matches users and groups separately. */
  private record Principal(String field, String regex) {
    static Principal users(List<String> users) {
      return new Principal(
          "user", users.stream().map(AccessRules::literal).collect(Collectors.joining("|")));
    }

    static List<Principal> of(AccessConfig.Role role) {
      List<Principal> principals = new ArrayList<>();
      if (!role.users().isEmpty()) {
        principals.add(users(role.users()));
      }
      if (!role.groups().isEmpty()) {
        principals.add(
            new Principal(
                "group",
                role.groups().stream().map(AccessRules::literal).collect(Collectors.joining("|"))));
      }
      return principals;
    }
  }
}
