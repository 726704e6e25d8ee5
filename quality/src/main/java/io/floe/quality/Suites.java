package io.floe.quality;

import io.floe.catalog.PredicateParser;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigException;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads quality suites from {@code floe.yaml} ({@code tables.<namespace.table>.quality.checks}) and
 * from the files listed under {@code quality.suite-files} (each mapping {@code <namespace.table>}
 * to {@code {checks: [...]}}), validating every check on load.
 *
 * <p>A check is a one-key item: the type, then either its column(s) as shorthand ({@code - unique:
 * [order_id, line_no]}, {@code - not-null: [order_id, buyer_id]}) or a section of settings ({@code
 * - max: {column: avg_revenue, max: 100000}}).
 */
public final class Suites {
  public static final String CHECKS = "checks";
  public static final String SAMPLE_COLUMNS = "sample-columns";
  static final String NAME = "name";
  static final String SEVERITY = "severity";
  static final String COLUMN = "column";
  static final String COLUMNS = "columns";
  static final String MIN = "min";
  static final String MAX = "max";
  static final String MAX_FRACTION = "max-fraction";
  static final String VALUES = "values";
  static final String PATTERN = "pattern";
  static final String EXPRESSION = "expression";
  static final String QUANTILE = "quantile";
  static final String MAX_AGE = "max-age";
  static final String ANCHOR = "anchor";
  static final String TABLE = "table";
  static final String TO_COLUMN = "to-column";
  static final String EXPECT = "expect";
  static final String STRICT = "strict";
  static final String METRIC = "metric";
  static final String MAX_DELTA_PCT = "max-delta-pct";
  static final String SIGMA = "sigma";
  static final String HISTORY = "history";
  static final String WHERE = "where";
  static final String REF = "ref";
  static final String WITH = "with";

  private Suites() {}

  /** Every suite {@code config} declares, by table; tables without checks are left out. */
  public static Map<TableRef, Suite> load(FloeConfig config) {
    Map<TableRef, Suite> suites = new LinkedHashMap<>();
    ConfigNode tables = config.section("tables");
    for (String name : tables.names()) {
      ConfigNode quality = tables.section(name).section(QualityConfig.SECTION);
      if (quality.isPresent()) {
        add(suites, parse(table(tables, name), quality));
      }
    }
    for (String file : QualityConfig.from(config).suiteFiles()) {
      Path path = config.base().resolve(file);
      String yaml;
      try {
        yaml = Files.readString(path);
      } catch (IOException e) {
        throw config
            .section(QualityConfig.SECTION)
            .error(
                QualityConfig.SECTION + "." + QualityConfig.SUITE_FILES,
                e instanceof NoSuchFileException
                    ? "suite file %s not found".formatted(path)
                    : "cannot read suite file %s: %s".formatted(path, e.getMessage()));
      }
      ConfigNode root = ConfigNode.parse(path.toString(), yaml, System::getenv);
      for (String name : root.names()) {
        add(suites, parse(table(root, name), root.section(name)));
      }
    }
    return suites;
  }

  /** The suite declared for {@code table}, if any. */
  public static Optional<Suite> forTable(FloeConfig config, TableRef table) {
    return Optional.ofNullable(load(config).get(table));
  }

  /** Parses one table's {@code {checks: [...], sample-columns: [...]}} section. */
  public static Suite parse(TableRef table, ConfigNode section) {
    section.allowOnly(CHECKS, SAMPLE_COLUMNS);
    List<String> sampleColumns = section.stringList(SAMPLE_COLUMNS);
    Set<String> distinct = new HashSet<>();
    for (String column : sampleColumns) {
      if (column.isBlank() || !distinct.add(column)) {
        throw section.error(
            section.key(SAMPLE_COLUMNS),
            column.isBlank() ? "a column name is empty" : "lists %s twice".formatted(column));
      }
    }
    List<Check> checks = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (ConfigNode item : section.list(CHECKS)) {
      for (Check check : parseItem(item)) {
        if (!names.add(check.name())) {
          throw item.error(
              item.path(),
              "an earlier check is also named '%s'; give one of them another with name: ..."
                  .formatted(check.name()));
        }
        checks.add(check);
      }
    }
    return new Suite(table, checks, section.file() + ": " + section.path(), sampleColumns);
  }

  private static void add(Map<TableRef, Suite> suites, Suite suite) {
    Suite existing = suites.putIfAbsent(suite.table(), suite);
    if (existing != null) {
      throw new ConfigException(
          "%s: the suite for %s is declared twice (also in %s)"
              .formatted(suite.source(), suite.table(), existing.source()));
    }
  }

  private static TableRef table(ConfigNode parent, String name) {
    try {
      return TableRef.parse(name);
    } catch (IllegalArgumentException e) {
      throw parent.error(parent.key(name), e.getMessage());
    }
  }

  private static List<Check> parseItem(ConfigNode item) {
    List<String> keys = item.names();
    if (keys.size() != 1) {
      throw item.error(
          item.path(),
          "a check is one key naming its type (found %s); allowed types are %s"
              .formatted(
                  keys.isEmpty() ? "none" : String.join(", ", keys), CheckType.allowedKeys()));
    }
    String key = keys.get(0);
    CheckType type =
        CheckType.fromKey(key)
            .orElseThrow(
                () ->
                    item.error(
                        item.key(key),
                        "unknown check type; allowed types are " + CheckType.allowedKeys()));
    Optional<ConfigNode> settings = settings(item, key);
    if (settings.isEmpty()) {
      List<String> columns = item.stringList(key);
      return shorthand(item, key, type, columns);
    }
    return List.of(parseSettings(settings.get(), key, type));
  }

  /** The check's settings section, or empty when the check is written as shorthand columns. */
  private static Optional<ConfigNode> settings(ConfigNode item, String key) {
    try {
      return Optional.of(item.section(key)).filter(ConfigNode::isPresent);
    } catch (ConfigException notASection) {
      return Optional.empty();
    }
  }

  private static List<Check> shorthand(
      ConfigNode item, String key, CheckType type, List<String> columns) {
    if (columns.isEmpty()) {
      throw item.error(
          item.key(key),
          type == CheckType.PREDICATE
              ? "write the expression rows must satisfy, e.g. revenue >= 0"
              : "name the column(s) to check");
    }
    return switch (type) {
      case NOT_NULL ->
          columns.stream()
              .map(
                  c ->
                      new Check(
                          "not-null(" + c + ")",
                          type,
                          Severity.ERROR,
                          List.of(c),
                          Bounds.atMost(0),
                          CheckOptions.DEFAULT))
              .toList();
      case UNIQUE ->
          List.of(
              new Check(
                  defaultName(type, columns),
                  type,
                  Severity.ERROR,
                  columns,
                  Bounds.atMost(0),
                  CheckOptions.DEFAULT));
      case PREDICATE ->
          columns.stream()
              .map(
                  expression -> {
                    CheckOptions options = predicate(item, key, expression, 0);
                    return new Check(
                        defaultName(type, List.of(), options),
                        type,
                        Severity.ERROR,
                        List.of(),
                        Bounds.atMost(0),
                        options);
                  })
              .toList();
      default ->
          throw item.error(
              item.key(key),
              "only not-null and unique take a column list, and predicate an expression; write %s as a section, e.g. %s: %s"
                  .formatted(key, key, sectionExample(key, type)));
    };
  }

  /** The options of a predicate check of {@code expression}, which must parse. */
  private static CheckOptions predicate(
      ConfigNode node, String key, String expression, double maxFraction) {
    try {
      PredicateParser.parseRow(expression);
    } catch (IllegalArgumentException e) {
      throw node.error(node.key(key), e.getMessage());
    }
    return new CheckOptionsBuilder().expression(expression).maxFraction(maxFraction).build();
  }

  /**
   * How much of the measured rows may fail: the null fraction a {@code not-null} check allows, or
   * the fraction of rows a row rule may break; 0 unless set.
   */
  private static double maxFraction(ConfigNode node) {
    double fraction = node.decimal(MAX_FRACTION, 0);
    if (!(fraction >= 0 && fraction <= 1)) {
      throw node.error(node.key(MAX_FRACTION), "must be between 0 and 1");
    }
    return fraction;
  }

  /** How a check written as a section looks, for the error on a bare value of that type. */
  private static String sectionExample(String key, CheckType type) {
    return switch (type) {
      case ROW_COUNT -> "{min: 1}";
      case ACCEPTED_VALUES -> "{column: status, values: [placed, paid]}";
      case QUANTILE ->
          key.equals("median") ? "{column: x, max: 100}" : "{column: x, quantile: 0.9, max: 100}";
      case PATTERN -> "{column: x, pattern: '^[A-Z]{2}$'}";
      case FRESHNESS -> "{column: updated_at, max-age: 1d}";
      case REFERENCES -> "{column: buyer_id, table: silver.dim_buyer}";
      case SCHEMA -> "{expect: {order_id: bigint}}";
      case CHANGE -> "{metric: row-count, max-delta-pct: 50}";
      case ANOMALY -> "{metric: mean, column: x}";
      case RECONCILE -> "{metric: row-count, with: {table: s.other}}";
      default -> "{column: x, min: 0}";
    };
  }

  private static Check parseSettings(ConfigNode node, String key, CheckType type) {
    List<String> allowed = new ArrayList<>(List.of(NAME, SEVERITY));
    allowed.addAll(allowedKeys(type));
    if (type != CheckType.SCHEMA) {
      allowed.add(WHERE);
    }
    node.allowOnly(allowed.toArray(String[]::new));
    Severity severity = node.enumValue(SEVERITY, Severity.class, Severity.ERROR);
    Optional<String> where = where(node);
    List<String> columns = columns(node, type);
    Bounds bounds = Bounds.ANY;
    CheckOptions options = CheckOptions.DEFAULT;
    double quantile = key.equals("median") ? 0.5 : CheckOptions.QUANTILE_DEFAULT;
    switch (type) {
      case MIN, MAX -> {
        // a date, timestamp or string bound is read in the column's type when the check is planned
        ValueRange range = new ValueRange(node.optionalString(MIN), node.optionalString(MAX));
        if (range.min().isEmpty() && range.max().isEmpty()) {
          throw node.error(node.key(MAX), "set min, max or both");
        }
        if (range.min().stream().allMatch(t -> ConfigNode.decimalOf(t).isPresent())
            && range.max().stream().allMatch(t -> ConfigNode.decimalOf(t).isPresent())) {
          bounds = bounds(node, true);
        }
        options = new CheckOptionsBuilder().range(range).build();
      }
      case LENGTH -> {
        bounds = bounds(node, true);
        options = new CheckOptionsBuilder().maxFraction(maxFraction(node)).build();
      }
      case ROW_COUNT, MEAN, SUM, STDDEV, DISTINCT_COUNT, QUANTILE -> {
        bounds = bounds(node, true);
        if (type == CheckType.QUANTILE && node.has(QUANTILE)) {
          quantile = node.decimal(QUANTILE, quantile);
          if (!(quantile > 0 && quantile < 1)) {
            throw node.error(node.key(QUANTILE), "must be between 0 and 1 (exclusive)");
          }
        }
        options = with(options, quantile);
      }
      case NOT_NULL -> bounds = Bounds.atMost(maxFraction(node));
      case UNIQUE -> {
        bounds = Bounds.atMost(0);
        options = new CheckOptionsBuilder().maxFraction(maxFraction(node)).build();
      }
      case ACCEPTED_VALUES -> {
        List<String> values = node.stringList(VALUES);
        if (values.isEmpty()) {
          throw node.error(node.key(VALUES), "list the accepted values");
        }
        bounds = Bounds.atMost(0);
        options = new CheckOptionsBuilder().values(values).maxFraction(maxFraction(node)).build();
      }
      case PATTERN -> {
        String pattern = required(node, PATTERN);
        try {
          Pattern.compile(pattern);
        } catch (PatternSyntaxException e) {
          throw node.error(node.key(PATTERN), "not a regular expression: " + e.getDescription());
        }
        bounds = Bounds.atMost(0);
        options =
            new CheckOptionsBuilder().expression(pattern).maxFraction(maxFraction(node)).build();
      }
      case PREDICATE -> {
        bounds = Bounds.atMost(0);
        options = predicate(node, EXPRESSION, required(node, EXPRESSION), maxFraction(node));
      }
      case FRESHNESS -> {
        if (!node.has(MAX_AGE)) {
          throw node.error(node.key(MAX_AGE), "required, e.g. 1d or 6h");
        }
        Duration maxAge = node.duration(MAX_AGE, Duration.ZERO);
        bounds = Bounds.atMost(maxAge.toSeconds());
        options =
            new CheckOptionsBuilder()
                .maxAge(maxAge)
                .anchor(
                    node.enumValue(
                        ANCHOR,
                        CheckOptions.FreshnessAnchor.class,
                        CheckOptions.FreshnessAnchor.NOW))
                .build();
      }
      case REFERENCES -> {
        TableRef reference = referenceTable(node);
        String toColumn = node.string(TO_COLUMN, columns.get(0));
        bounds = Bounds.atMost(0);
        options =
            new CheckOptionsBuilder()
                .reference(reference, toColumn)
                .maxFraction(maxFraction(node))
                .build();
      }
      case SCHEMA -> {
        Map<String, String> expected = node.stringMap(EXPECT);
        if (expected.isEmpty()) {
          throw node.error(
              node.key(EXPECT), "list the expected columns and types, e.g. {id: long}");
        }
        options = new CheckOptionsBuilder().schema(expected, node.bool(STRICT, false)).build();
      }
      case CHANGE, ANOMALY -> {
        Check metric = metric(node, severity, columns, where, Optional.empty());
        CheckOptionsBuilder builder = new CheckOptionsBuilder().metric(metric);
        if (type == CheckType.CHANGE) {
          if (!node.has(MAX_DELTA_PCT)) {
            throw node.error(node.key(MAX_DELTA_PCT), "required, e.g. 50 (percent)");
          }
          bounds = Bounds.atMost(node.decimal(MAX_DELTA_PCT, 0));
        } else {
          double sigma = node.decimal(SIGMA, CheckOptions.SIGMA_DEFAULT);
          if (sigma <= 0) {
            throw node.error(node.key(SIGMA), "must be positive");
          }
          builder.anomaly(
              sigma,
              node.integer(HISTORY, CheckOptions.HISTORY_DEFAULT, CheckOptions.MIN_HISTORY, 1000));
          bounds = Bounds.atMost(sigma);
        }
        options = builder.build();
        String name = node.string(NAME, type.key() + "(" + metric.name() + ")");
        return new Check(name, type, severity, columns, bounds, options);
      }
      case RECONCILE -> {
        Check metric = metric(node, severity, columns, where, Optional.empty());
        if (!node.has(WITH)) {
          throw node.error(
              node.key(WITH),
              "required: the table and metric to reconcile with, e.g. {table: s.t}");
        }
        ConfigNode with = node.section(WITH);
        with.allowOnly(TABLE, REF, METRIC, COLUMN, QUANTILE, WHERE);
        TableRef other = referenceTable(with);
        Optional<String> at = with.optionalString(REF);
        if (at.isPresent() && at.get().isBlank()) {
          throw with.error(with.key(REF), "must name a branch or tag of " + other);
        }
        // the other side measures our column unless it names its own, or counts rows
        boolean counts =
            with.optionalString(METRIC)
                .map(CheckType.ROW_COUNT.key()::equals)
                .orElse(metric.type() == CheckType.ROW_COUNT);
        List<String> otherColumns =
            with.has(COLUMN) ? with.stringList(COLUMN) : counts ? List.of() : columns;
        if (otherColumns.size() > 1) {
          throw with.error(with.key(COLUMN), "takes one column");
        }
        Check against = metric(with, severity, otherColumns, where(with), Optional.of(metric));
        double delta = node.decimal(MAX_DELTA_PCT, 0);
        if (delta < 0) {
          throw node.error(node.key(MAX_DELTA_PCT), "must not be negative");
        }
        String name =
            node.string(
                NAME,
                "%s(%s, %s%s %s)"
                    .formatted(
                        type.key(),
                        metric.name(),
                        other,
                        at.map(r -> "@" + r).orElse(""),
                        against.name()));
        return new Check(
            name,
            type,
            severity,
            columns,
            Bounds.atMost(delta),
            new CheckOptionsBuilder().metric(metric).against(other, at, against).build());
      }
      default -> throw new IllegalStateException("unhandled check type " + type);
    }
    String name = node.string(NAME, defaultName(type, columns, options) + Check.whereSuffix(where));
    return new Check(name, type, severity, columns, bounds, options, where);
  }

  /**
   * The numeric metric a {@code change}, {@code anomaly} or {@code reconcile} check measures, named
   * by {@code metric} (and {@code quantile}) in {@code node}, over the rows {@code where} holds
   * for; without {@code metric}, {@code fallback}'s type and quantile.
   */
  private static Check metric(
      ConfigNode node,
      Severity severity,
      List<String> columns,
      Optional<String> where,
      Optional<Check> fallback) {
    String metricKey =
        fallback.isPresent() && !node.has(METRIC)
            ? fallback.get().type().key()
            : required(node, METRIC);
    CheckType metricType =
        CheckType.fromKey(metricKey)
            .filter(Suites::isNumericMetric)
            .orElseThrow(
                () ->
                    node.error(
                        node.key(METRIC),
                        "'%s' is not allowed; allowed values are row-count, not-null, min, max, mean, sum, stddev, quantile, median, distinct-count"
                            .formatted(metricKey)));
    if (metricType != CheckType.ROW_COUNT && columns.isEmpty()) {
      throw node.error(node.key(COLUMN), "required for metric " + metricKey);
    }
    double quantile =
        metricKey.equals("median")
            ? 0.5
            : node.decimal(QUANTILE, fallback.map(f -> f.options().quantile()).orElse(0.5));
    CheckOptions metricOptions = with(CheckOptions.DEFAULT, quantile);
    return new Check(
        defaultName(metricType, columns, metricOptions) + Check.whereSuffix(where),
        metricType,
        severity,
        columns,
        Bounds.ANY,
        metricOptions,
        where);
  }

  /** A check's row condition, which must parse. */
  private static Optional<String> where(ConfigNode node) {
    Optional<String> where = node.optionalString(WHERE);
    if (where.isPresent()) {
      if (where.get().isBlank()) {
        throw node.error(
            node.key(WHERE), "write the condition rows must meet, e.g. status = 'paid'");
      }
      try {
        PredicateParser.parseRow(where.get());
      } catch (IllegalArgumentException e) {
        throw node.error(node.key(WHERE), e.getMessage());
      }
    }
    return where;
  }

  private static boolean isNumericMetric(CheckType type) {
    return switch (type) {
      case ROW_COUNT, NOT_NULL, MIN, MAX, MEAN, SUM, STDDEV, QUANTILE, DISTINCT_COUNT -> true;
      default -> false;
    };
  }

  private static CheckOptions with(CheckOptions options, double quantile) {
    return new CheckOptions(
        options.values(),
        options.expression(),
        quantile,
        options.maxAge(),
        options.freshnessAnchor(),
        options.reference(),
        options.referenceColumn(),
        options.expectedColumns(),
        options.strictSchema(),
        options.metric(),
        options.sigma(),
        options.history(),
        options.range(),
        options.maxFraction(),
        options.against(),
        options.referenceAt());
  }

  private static List<String> allowedKeys(CheckType type) {
    return switch (type) {
      case ROW_COUNT -> List.of(MIN, MAX);
      case NOT_NULL -> List.of(COLUMN, COLUMNS, MAX_FRACTION);
      case UNIQUE -> List.of(COLUMN, COLUMNS, MAX_FRACTION);
      case ACCEPTED_VALUES -> List.of(COLUMN, VALUES, MAX_FRACTION);
      case MIN, MAX, MEAN, SUM, STDDEV, DISTINCT_COUNT -> List.of(COLUMN, MIN, MAX);
      case LENGTH -> List.of(COLUMN, MIN, MAX, MAX_FRACTION);
      case QUANTILE -> List.of(COLUMN, QUANTILE, MIN, MAX);
      case PATTERN -> List.of(COLUMN, PATTERN, MAX_FRACTION);
      case FRESHNESS -> List.of(COLUMN, MAX_AGE, ANCHOR);
      case REFERENCES -> List.of(COLUMN, TABLE, TO_COLUMN, MAX_FRACTION);
      case SCHEMA -> List.of(EXPECT, STRICT);
      case PREDICATE -> List.of(EXPRESSION, MAX_FRACTION);
      case CHANGE -> List.of(METRIC, COLUMN, QUANTILE, MAX_DELTA_PCT);
      case ANOMALY -> List.of(METRIC, COLUMN, QUANTILE, SIGMA, HISTORY);
      case RECONCILE -> List.of(METRIC, COLUMN, QUANTILE, WITH, MAX_DELTA_PCT);
    };
  }

  private static List<String> columns(ConfigNode node, CheckType type) {
    List<String> columns = new ArrayList<>(node.stringList(COLUMN));
    columns.addAll(node.stringList(COLUMNS));
    boolean needsColumn =
        switch (type) {
          case ROW_COUNT, SCHEMA, PREDICATE, CHANGE, ANOMALY, RECONCILE -> false;
          default -> true;
        };
    if (needsColumn && columns.isEmpty()) {
      throw node.error(node.key(COLUMN), "required: the column to check");
    }
    if (columns.size() > 1 && type != CheckType.UNIQUE) {
      throw node.error(node.key(COLUMN), "takes one column; declare one check per column");
    }
    return columns;
  }

  private static Bounds bounds(ConfigNode node, boolean required) {
    OptionalDouble min =
        node.has(MIN) ? OptionalDouble.of(node.decimal(MIN, 0)) : OptionalDouble.empty();
    OptionalDouble max =
        node.has(MAX) ? OptionalDouble.of(node.decimal(MAX, 0)) : OptionalDouble.empty();
    if (required && min.isEmpty() && max.isEmpty()) {
      throw node.error(node.key(MAX), "set min, max or both");
    }
    try {
      return new Bounds(min, max);
    } catch (IllegalArgumentException e) {
      throw node.error(node.key(MIN), e.getMessage());
    }
  }

  private static TableRef referenceTable(ConfigNode node) {
    try {
      return TableRef.parse(required(node, TABLE));
    } catch (IllegalArgumentException e) {
      throw node.error(node.key(TABLE), e.getMessage());
    }
  }

  private static String required(ConfigNode node, String key) {
    return node.optionalString(key)
        .filter(s -> !s.isBlank())
        .orElseThrow(() -> node.error(node.key(key), "required"));
  }

  private static String defaultName(CheckType type, List<String> columns) {
    return columns.isEmpty() ? type.key() : type.key() + "(" + String.join(",", columns) + ")";
  }

  private static String defaultName(CheckType type, List<String> columns, CheckOptions options) {
    return switch (type) {
      case PREDICATE -> "predicate(" + options.expression().orElseThrow() + ")";
      case QUANTILE ->
          (options.quantile() == 0.5 ? "median" : "quantile-" + Bounds.format(options.quantile()))
              + "("
              + String.join(",", columns)
              + ")";
      default -> defaultName(type, columns);
    };
  }

  /** Assembles {@link CheckOptions} for the one type being parsed. */
  private static final class CheckOptionsBuilder {
    private List<String> values = List.of();
    private Optional<String> expression = Optional.empty();
    private Optional<Duration> maxAge = Optional.empty();
    private CheckOptions.FreshnessAnchor anchor = CheckOptions.FreshnessAnchor.NOW;
    private Optional<TableRef> reference = Optional.empty();
    private Optional<String> referenceColumn = Optional.empty();
    private Map<String, String> expected = Map.of();
    private boolean strict;
    private Optional<Check> metric = Optional.empty();
    private double sigma = CheckOptions.SIGMA_DEFAULT;
    private int history = CheckOptions.HISTORY_DEFAULT;
    private ValueRange range = ValueRange.NONE;
    private double maxFraction;
    private Optional<Check> against = Optional.empty();
    private Optional<String> referenceAt = Optional.empty();

    CheckOptionsBuilder values(List<String> v) {
      values = v;
      return this;
    }

    CheckOptionsBuilder expression(String e) {
      expression = Optional.of(e);
      return this;
    }

    CheckOptionsBuilder maxAge(Duration d) {
      maxAge = Optional.of(d);
      return this;
    }

    CheckOptionsBuilder anchor(CheckOptions.FreshnessAnchor a) {
      anchor = a;
      return this;
    }

    CheckOptionsBuilder reference(TableRef table, String column) {
      reference = Optional.of(table);
      referenceColumn = Optional.of(column);
      return this;
    }

    CheckOptionsBuilder schema(Map<String, String> columns, boolean isStrict) {
      expected = columns;
      strict = isStrict;
      return this;
    }

    CheckOptionsBuilder metric(Check m) {
      metric = Optional.of(m);
      return this;
    }

    CheckOptionsBuilder range(ValueRange r) {
      range = r;
      return this;
    }

    CheckOptionsBuilder against(TableRef table, Optional<String> at, Check metric) {
      reference = Optional.of(table);
      referenceAt = at;
      against = Optional.of(metric);
      return this;
    }

    CheckOptionsBuilder maxFraction(double f) {
      maxFraction = f;
      return this;
    }

    CheckOptionsBuilder anomaly(double s, int h) {
      sigma = s;
      history = h;
      return this;
    }

    CheckOptions build() {
      return new CheckOptions(
          values,
          expression,
          CheckOptions.QUANTILE_DEFAULT,
          maxAge,
          anchor,
          reference,
          referenceColumn,
          expected,
          strict,
          metric,
          sigma,
          history,
          range,
          maxFraction,
          against,
          referenceAt);
    }
  }
}
