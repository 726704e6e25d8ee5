package io.floe.core.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A section of a YAML configuration file that knows its own path, so every error names the file and
 * the full key. Values may refer to environment variables as {@code ${NAME}} or {@code
 * ${NAME:-default}}, which keeps secrets out of the file.
 */
public final class ConfigNode {
  private static final Pattern ENV_REFERENCE =
      Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)(:-([^}]*))?}");

  private final String file;
  private final String path;
  private final JsonNode node;
  private final Function<String, String> environment;

  ConfigNode(String file, String path, JsonNode node, Function<String, String> environment) {
    this.file = file;
    this.path = path;
    this.node = node;
    this.environment = environment;
  }

  /**
   * Parses YAML text into its top-level node, e.g. a file that {@code floe.yaml} refers to. Errors
   * name {@code source}.
   */
  public static ConfigNode parse(String source, String yaml, Function<String, String> environment) {
    JsonNode root;
    try {
      root =
          new ObjectMapper(
                  YAMLFactory.builder()
                      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                      .build())
              .readTree(yaml);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + yamlProblem(e), e);
    }
    return new ConfigNode(source, "", root, environment);
  }

  /**
   * What is wrong with unparsable YAML, on one line: a key given twice in one section (which would
   * otherwise silently override the first), or the syntax error where the YAML parser found it.
   */
  private static String yamlProblem(JsonProcessingException e) {
    if (e.getOriginalMessage().startsWith("Duplicate field")
        && e.getProcessor() instanceof JsonParser parser) {
      return "%s: given twice in one section (again at line %d); each key may appear once"
          .formatted(keyPath(parser.getParsingContext()), line(e));
    }
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark problem = marked.getProblemMark();
      String context = "";
      if (marked.getContext() != null) {
        Mark started = marked.getContextMark();
        context =
            started == null || started.getLine() == problem.getLine()
                ? " (%s)".formatted(marked.getContext())
                : " (%s that starts at line %d, column %d)"
                    .formatted(marked.getContext(), started.getLine() + 1, started.getColumn() + 1);
      }
      return "not valid YAML at line %d, column %d: %s%s"
          .formatted(problem.getLine() + 1, problem.getColumn() + 1, marked.getProblem(), context);
    }
    String message = e.getOriginalMessage().lines().findFirst().orElse("").trim();
    return e.getLocation() == null
        ? "not valid YAML: " + message
        : "not valid YAML at line %d, column %d: %s"
            .formatted(e.getLocation().getLineNr(), e.getLocation().getColumnNr(), message);
  }

  private static long line(JsonProcessingException e) {
    return e.getLocation() == null ? 0 : e.getLocation().getLineNr();
  }

  /** The dotted key the parser is at, as errors elsewhere name keys: {@code a.b[2].c}. */
  private static String keyPath(JsonStreamContext context) {
    List<JsonStreamContext> outermostFirst = new ArrayList<>();
    for (JsonStreamContext at = context; at != null && !at.inRoot(); at = at.getParent()) {
      outermostFirst.add(0, at);
    }
    StringBuilder path = new StringBuilder();
    for (JsonStreamContext at : outermostFirst) {
      if (at.inArray()) {
        path.append('[').append(at.getCurrentIndex()).append(']');
      } else if (at.getCurrentName() != null) {
        path.append(path.isEmpty() ? "" : ".").append(at.getCurrentName());
      }
    }
    return path.toString();
  }

  /**
   * A section built from {@code key=value} assignments given on a command line, e.g. {@code
   * snapshot-max-age=2d} or {@code retention.column=order_ts}: a dotted key names a nested key, and
   * a value is read as a YAML value, so {@code [compact, expire]} is a list. Errors, here and when
   * the section is read, name {@code source} (e.g. {@code --set}) and the key.
   */
  public static ConfigNode ofAssignments(
      String source, List<String> assignments, Function<String, String> environment) {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    ObjectNode root = yaml.createObjectNode();
    for (String assignment : assignments) {
      int equals = assignment.indexOf('=');
      String key = equals < 0 ? "" : assignment.substring(0, equals).trim();
      if (key.isEmpty() || key.startsWith(".") || key.endsWith(".") || key.contains("..")) {
        throw new ConfigException(
            "%s: '%s' is not KEY=VALUE (e.g. snapshot-max-age=2d)".formatted(source, assignment));
      }
      String text = assignment.substring(equals + 1).trim();
      JsonNode value;
      try {
        value = text.isEmpty() ? null : yaml.readTree(text);
      } catch (JsonProcessingException e) {
        value = null;
      }
      if (value == null || value.isMissingNode()) {
        value = TextNode.valueOf(text);
      }
      String[] parts = key.split("\\.");
      ObjectNode parent = root;
      for (int i = 0; i < parts.length - 1; i++) {
        parent =
            parent.get(parts[i]) instanceof ObjectNode section
                ? section
                : parent.putObject(parts[i]);
      }
      parent.set(parts[parts.length - 1], value);
    }
    return new ConfigNode(source, "", root, environment);
  }

  /** The file this node came from. */
  public String file() {
    return file;
  }

  /** This node's full dotted key, empty at the top level. */
  public String path() {
    return path;
  }

  /** Whether this node holds anything (an absent section reads as empty). */
  public boolean isPresent() {
    return !isAbsent(node);
  }

  /** The keys of this section, in file order. */
  public List<String> names() {
    List<String> names = new ArrayList<>();
    if (!isAbsent(node)) {
      requireObject();
      node.fieldNames().forEachRemaining(names::add);
    }
    return names;
  }

  /** The items of the list {@code name}; an absent list reads as empty. */
  public List<ConfigNode> list(String name) {
    JsonNode child = child(name);
    List<ConfigNode> items = new ArrayList<>();
    if (isAbsent(child)) {
      return items;
    }
    if (!child.isArray()) {
      throw error(key(name), "expected a list, found " + describe(child));
    }
    for (int i = 0; i < child.size(); i++) {
      items.add(new ConfigNode(file, key(name) + "[" + i + "]", child.get(i), environment));
    }
    return items;
  }

  /** A list of single values; a single value reads as a one-item list. */
  public List<String> stringList(String name) {
    JsonNode child = child(name);
    if (isAbsent(child)) {
      return List.of();
    }
    if (child.isValueNode()) {
      return List.of(substitute(name, child.asText()));
    }
    List<String> values = new ArrayList<>();
    for (ConfigNode item : list(name)) {
      values.add(item.value());
    }
    return values;
  }

  /** This node as a single value (a list item). */
  public String value() {
    if (isAbsent(node) || !node.isValueNode()) {
      throw error(
          path.isEmpty() ? "(top level)" : path,
          "expected a single value, found " + (isAbsent(node) ? "nothing" : describe(node)));
    }
    return substitute(path, node.asText());
  }

  public long longValue(String name, long defaultValue, long min, long max) {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    long value;
    try {
      value = Long.parseLong(text.get().trim().replace("_", ""));
    } catch (NumberFormatException e) {
      throw error(key(name), "'%s' is not a whole number".formatted(text.get()));
    }
    if (value < min || value > max) {
      throw error(
          key(name), "%d is out of range; allowed values are %d to %d".formatted(value, min, max));
    }
    return value;
  }

  public double decimal(String name, double defaultValue) {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return decimalOf(text.get())
        .orElseThrow(() -> error(key(name), "'%s' is not a number".formatted(text.get())));
  }

  /** {@code text} as {@link #decimal} reads a number ({@code 1e5}, {@code 100_000}); else empty. */
  public static OptionalDouble decimalOf(String text) {
    try {
      double value = Double.parseDouble(text.trim().replace("_", ""));
      return Double.isNaN(value) ? OptionalDouble.empty() : OptionalDouble.of(value);
    } catch (NumberFormatException e) {
      return OptionalDouble.empty();
    }
  }

  /** A size in bytes such as {@code 512MB}, {@code 128m}, {@code 1GB} or a plain byte count. */
  public long dataSize(String name, long defaultBytes) {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return defaultBytes;
    }
    return DataSizes.parse(text.get())
        .orElseThrow(
            () ->
                error(
                    key(name),
                    "'%s' is not a size; use a number with B, KB, MB, GB or TB (e.g. 512MB)"
                        .formatted(text.get())));
  }

  /** Fails when this section has keys other than {@code allowed}. */
  public ConfigNode allowOnly(String... allowed) {
    if (isAbsent(node)) {
      return this;
    }
    requireObject();
    Set<String> known = new TreeSet<>(Arrays.asList(allowed));
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw error(key(name), "unknown key; allowed keys here are " + String.join(", ", known));
      }
    }
    return this;
  }

  /** The sub-section {@code name}; an absent section reads as empty. */
  public ConfigNode section(String name) {
    JsonNode child = child(name);
    ConfigNode section = new ConfigNode(file, key(name), child, environment);
    if (!isAbsent(child)) {
      section.requireObject();
    }
    return section;
  }

  public boolean has(String name) {
    JsonNode child = child(name);
    return !isAbsent(child);
  }

  public Optional<String> optionalString(String name) {
    JsonNode child = child(name);
    if (isAbsent(child)) {
      return Optional.empty();
    }
    if (!child.isValueNode()) {
      throw error(key(name), "expected a single value, found " + describe(child));
    }
    return Optional.of(substitute(name, child.asText()));
  }

  public String string(String name, String defaultValue) {
    return optionalString(name).orElse(defaultValue);
  }

  public int integer(String name, int defaultValue, int min, int max) {
    return (int) longValue(name, defaultValue, min, max);
  }

  public boolean bool(String name, boolean defaultValue) {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return switch (text.get().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default ->
          throw error(
              key(name),
              "'%s' is not a boolean; allowed values are true, false".formatted(text.get()));
    };
  }

  /** An enum read case-insensitively, with kebab-case mapped to the constant's underscores. */
  public <E extends Enum<E>> E enumValue(String name, Class<E> type, E defaultValue) {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    String wanted = text.get().trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (E constant : type.getEnumConstants()) {
      if (constant.name().equals(wanted)) {
        return constant;
      }
    }
    throw error(
        key(name),
        "'%s' is not allowed; allowed values are %s".formatted(text.get(), allowedValues(type)));
  }

  /**
   * A duration such as {@code 30s}, {@code 15m}, {@code 2h}, {@code 3d} or ISO-8601 {@code PT5M}.
   */
  public Duration duration(String name, Duration defaultValue) {
    Optional<String> text = optionalString(name);
    if (text.isEmpty()) {
      return defaultValue;
    }
    return Durations.parse(text.get())
        .orElseThrow(
            () ->
                error(
                    key(name),
                    "'%s' is not a duration; use a number with ms, s, m, h or d (e.g. 30s, 3d)"
                        .formatted(text.get())));
  }

  /** A map of plain string values, e.g. extra Spark settings. */
  public Map<String, String> stringMap(String name) {
    ConfigNode section = section(name);
    Map<String, String> values = new LinkedHashMap<>();
    if (isAbsent(section.node)) {
      return values;
    }
    section
        .node
        .fieldNames()
        .forEachRemaining(k -> values.put(k, section.optionalString(k).orElse("")));
    return values;
  }

  /** The full dotted key of {@code name} inside this section. */
  public String key(String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** An error about {@code key} in this file. */
  public ConfigException error(String key, String problem) {
    return new ConfigException("%s: %s: %s".formatted(file, key, problem));
  }

  private void requireObject() {
    if (!node.isObject()) {
      throw error(
          path.isEmpty() ? "(top level)" : path,
          "expected a section of keys, found " + describe(node));
    }
  }

  private JsonNode child(String name) {
    return isAbsent(node) ? null : node.get(name);
  }

  private static boolean isAbsent(JsonNode value) {
    return value == null || value.isNull() || value.isMissingNode();
  }

  private String substitute(String name, String value) {
    Matcher matcher = ENV_REFERENCE.matcher(value);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String variable = matcher.group(1);
      String replacement = environment.apply(variable);
      if (replacement == null) {
        if (matcher.group(2) == null) {
          throw error(key(name), "environment variable %s is not set".formatted(variable));
        }
        replacement = matcher.group(3);
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(replacement));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  private static String describe(JsonNode value) {
    if (value.isArray()) {
      return "a list";
    }
    if (value.isObject()) {
      return "a section";
    }
    return "'" + value.asText() + "'";
  }

  static <E extends Enum<E>> String allowedValues(Class<E> type) {
    return String.join(
        ", ",
        Arrays.stream(type.getEnumConstants())
            .map(c -> c.name().toLowerCase(Locale.ROOT).replace('_', '-'))
            .toList());
  }
}
