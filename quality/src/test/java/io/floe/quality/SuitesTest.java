package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigException;
import io.floe.core.config.FloeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuitesTest {
  @TempDir Path dir;

  static final String SEEDS =
      """
      tables:
        silver.fact_orders:      {quality: {checks: [unique: order_id]}}
        silver.fact_order_items: {quality: {checks: [unique: [order_id, line_no]]}}
        silver.fact_clickstream: {quality: {checks: [unique: event_id]}}
        gold.category_report:    {quality: {checks: [max: {column: avg_revenue, max: 100000}]}}
        gold.order_report:       {quality: {checks: [max: {column: avg_revenue, max: 100000}]}}
      """;

  static FloeConfig config(String yaml, Path base) {
    return FloeConfig.parse("floe.yaml", yaml, name -> null, base);
  }

  @Test
  void theSeedChecksTakeAFewLines() {
    Map<TableRef, Suite> suites = Suites.load(config(SEEDS, dir));
    assertThat(suites).hasSize(5);
    Check items = suites.get(TableRef.parse("silver.fact_order_items")).checks().get(0);
    assertThat(items.type()).isEqualTo(CheckType.UNIQUE);
    assertThat(items.columns()).containsExactly("order_id", "line_no");
    assertThat(items.name()).isEqualTo("unique(order_id,line_no)");
    Check revenue = suites.get(TableRef.parse("gold.order_report")).checks().get(0);
    assertThat(revenue.type()).isEqualTo(CheckType.MAX);
    assertThat(revenue.bounds().contains(100_000)).isTrue();
    assertThat(revenue.bounds().contains(100_000.01)).isFalse();
    assertThat(revenue.severity()).isEqualTo(Severity.ERROR);
  }

  @Test
  void everyCheckTypeParses() {
    String yaml =
        """
        tables:
          silver.fact_orders:
            maintenance: {owned: elsewhere}
            quality:
              checks:
                - row-count: {min: 1, max: 1000000}
                - not-null: [order_id, buyer_id]
                - not-null: {column: currency, max-fraction: 0.01, severity: warn}
                - unique: order_id
                - accepted-values: {column: status, values: [placed, paid, shipped, delivered, cancelled, returned]}
                - min: {column: order_id, min: 1}
                - max: {column: order_id, max: 1e12}
                - mean: {column: buyer_id, min: 0}
                - sum: {column: buyer_id, min: 0}
                - stddev: {column: buyer_id, max: 1e9}
                - median: {column: buyer_id, max: 1e9}
                - quantile: {column: buyer_id, quantile: 0.9, max: 1e9}
                - distinct-count: {column: buyer_id, min: 1}
                - pattern: {column: currency, pattern: '[A-Z]{3}'}
                - length: {column: currency, min: 3, max: 3}
                - freshness: {column: order_ts, max-age: 2d, anchor: commit}
                - references: {column: buyer_id, table: silver.dim_buyer}
                - schema: {expect: {order_id: bigint, status: string}, strict: false}
                - predicate: {expression: "order_id > 0 and status in ('paid', 'placed') or status is null"}
                - change: {metric: row-count, max-delta-pct: 50}
                - anomaly: {metric: mean, column: buyer_id, sigma: 4, history: 20}
        """;
    Suite suite = Suites.load(config(yaml, dir)).get(TableRef.parse("silver.fact_orders"));
    assertThat(suite.checks()).hasSize(22);
    assertThat(suite.checks().stream().map(Check::name))
        .contains(
            "row-count",
            "not-null(order_id)",
            "not-null(buyer_id)",
            "median(buyer_id)",
            "quantile-0.9(buyer_id)",
            "change(row-count)",
            "anomaly(mean(buyer_id))");
    Check freshness =
        suite.checks().stream()
            .filter(c -> c.type() == CheckType.FRESHNESS)
            .findFirst()
            .orElseThrow();
    assertThat(freshness.options().maxAge()).contains(Duration.ofDays(2));
    assertThat(freshness.options().freshnessAnchor())
        .isEqualTo(CheckOptions.FreshnessAnchor.COMMIT);
    Check references =
        suite.checks().stream()
            .filter(c -> c.type() == CheckType.REFERENCES)
            .findFirst()
            .orElseThrow();
    assertThat(references.options().referenceColumn()).contains("buyer_id");
    assertThat(suite.hash())
        .hasSize(16)
        .isEqualTo(Suites.load(config(yaml, dir)).get(suite.table()).hash());
  }

  @Test
  void suiteFilesAreRead() throws Exception {
    Files.writeString(
        dir.resolve("orders.yaml"), "silver.fact_orders: {checks: [unique: order_id]}\n");
    FloeConfig config = config("quality: {suite-files: [orders.yaml]}\n", dir);
    assertThat(Suites.load(config)).containsOnlyKeys(TableRef.parse("silver.fact_orders"));
  }

  @Test
  void aPredicateIsWrittenAsItsExpression() {
    Suite suite =
        Suites.load(
                config(
                    """
                    tables:
                      s.t:
                        quality:
                          checks:
                            - predicate: revenue >= 0
                            - predicate: [quantity between 1 and 100, "status in ('paid', 'placed')"]
                            - predicate: {expression: revenue >= 0, name: non-negative, severity: warn}
                    """,
                    dir))
            .get(TableRef.parse("s.t"));
    assertThat(suite.checks())
        .extracting(Check::name)
        .containsExactly(
            "predicate(revenue >= 0)",
            "predicate(quantity between 1 and 100)",
            "predicate(status in ('paid', 'placed'))",
            "non-negative");
    Check shorthand = suite.checks().get(0);
    Check section = suite.checks().get(3);
    assertThat(shorthand.type()).isEqualTo(CheckType.PREDICATE);
    assertThat(shorthand.severity()).isEqualTo(Severity.ERROR);
    assertThat(shorthand.options()).isEqualTo(section.options());
    assertThat(shorthand.bounds()).isEqualTo(section.bounds());
    assertThat(shorthand.columns()).isEqualTo(section.columns());
    assertError(
        "tables: {s.t: {quality: {checks: [predicate: 'x >> 1']}}}",
        "floe.yaml: tables.s.t.quality.checks[0].predicate: invalid expression 'x >> 1'");
  }

  /**
   * The section a bare value's error suggests, for every type that takes none, is one that loads.
   */
  @Test
  void aBareValueOfASectionTypeIsToldASectionThatLoads() {
    for (String key : CheckType.allowedKeys().split(", ")) {
      if (List.of("not-null", "unique", "predicate").contains(key)) {
        continue;
      }
      String prefix = "floe.yaml: tables.s.t.quality.checks[0].%s: ".formatted(key);
      assertThatThrownBy(
              () ->
                  Suites.load(
                      config("tables: {s.t: {quality: {checks: [%s: x]}}}".formatted(key), dir)))
          .isInstanceOf(ConfigException.class)
          .hasMessageStartingWith(prefix)
          .satisfies(
              e -> {
                String example =
                    e.getMessage()
                        .substring(e.getMessage().indexOf(key + ": {") + key.length() + 2);
                Suite suite =
                    Suites.load(
                            config(
                                "tables: {s.t: {quality: {checks: [%s: %s]}}}"
                                    .formatted(key, example),
                                dir))
                        .get(TableRef.parse("s.t"));
                assertThat(suite.checks()).hasSize(1);
                assertThat(suite.checks().get(0).type())
                    .isEqualTo(CheckType.fromKey(key).orElseThrow());
              });
    }
  }

  @Test
  void changeAndAnomalyChecksOfQuantilesAreNamedByTheirQuantile() {
    Suite suite =
        Suites.load(
                config(
                    "tables: {s.t: {quality: {checks: ["
                        + "anomaly: {metric: median, column: x},"
                        + " anomaly: {metric: quantile, column: x, quantile: 0.9},"
                        + " change: {metric: quantile, column: x, quantile: 0.9, max-delta-pct: 5}]}}}",
                    dir))
            .get(TableRef.parse("s.t"));
    assertThat(suite.checks())
        .extracting(Check::name)
        .containsExactly(
            "anomaly(median(x))", "anomaly(quantile-0.9(x))", "change(quantile-0.9(x))");
  }

  @Test
  void minAndMaxKeepTheirBoundsAsWrittenForColumnsThatAreNotNumbers() {
    String yaml =
        """
        tables:
          s.t:
            quality:
              checks:
                - min: {column: day, min: 2026-01-01}
                - max: {column: x, min: 1, max: 5}
        """;
    List<Check> checks = Suites.load(config(yaml, dir)).get(TableRef.parse("s.t")).checks();
    Check day = checks.get(0);
    assertThat(day.bounds().isOpen()).isTrue();
    assertThat(day.options().range())
        .isEqualTo(new ValueRange(java.util.Optional.of("2026-01-01"), java.util.Optional.empty()));
    Check x = checks.get(1);
    assertThat(x.bounds().contains(5)).isTrue();
    assertThat(x.bounds().contains(5.5)).isFalse();
    assertThat(x.options().range())
        .isEqualTo(new ValueRange(java.util.Optional.of("1"), java.util.Optional.of("5")));
    assertError(
        "tables: {s.t: {quality: {checks: [min: {column: x, min: 6, max: 5}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].min.min: min 6 is above max 5");
  }

  @Test
  void errorsNameFileKeyAndAllowedValues() {
    assertError(
        "tables: {s.t: {quality: {checks: [uniq: id]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].uniq: unknown check type; allowed types are row-count, not-null, unique");
    assertError(
        "tables: {s.t: {quality: {checks: [max: {column: x, maxx: 1}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].max.maxx: unknown key; allowed keys here are column, max, min, name, severity");
    assertError(
        "tables: {s.t: {quality: {checks: [max: {column: x, max: 1, severity: fatal}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].max.severity: 'fatal' is not allowed; allowed values are error, warn");
    assertError(
        "tables: {s.t: {quality: {checks: [max: {column: x}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].max.max: set min, max or both");
    assertError(
        "tables: {s.t: {quality: {checks: [predicate: {expression: 'x >> 1'}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].predicate.expression: invalid expression 'x >> 1'");
    assertError(
        "tables: {s.t: {quality: {checks: [pattern: {column: x, pattern: '[a-'}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].pattern.pattern: not a regular expression");
    assertError(
        "tables: {s.t: {quality: {checks: [unique: a, unique: a]}}}",
        "floe.yaml: tables.s.t.quality.checks[1]: an earlier check is also named 'unique(a)';"
            + " give one of them another with name: ...");
    // metrics of different quantiles are different checks
    assertError(
        "tables: {s.t: {quality: {checks: [median: {column: x, max: 1},"
            + " quantile: {column: x, quantile: 0.5, max: 2}]}}}",
        "floe.yaml: tables.s.t.quality.checks[1]: an earlier check is also named 'median(x)'");
    assertError(
        "quality: {parallelism: many}",
        "floe.yaml: quality.parallelism: 'many' is not a whole number");
    assertError("quality: {reports-kept: 0}", "floe.yaml: quality.reports-kept: ");
    assertError(
        "quality: {key-memory: lots}",
        "floe.yaml: quality.key-memory: 'lots' is not a size; use a number with B, KB, MB, GB or TB");
    assertError(
        "quality: {key-memory: 64KB}",
        "floe.yaml: quality.key-memory: must be at least 1MB (or 0 for half the JVM's maximum heap)");
    assertError(
        "quality: {suite-files: [nosuch.yaml]}",
        "floe.yaml: quality.suite-files: suite file %s not found"
            .formatted(dir.resolve("nosuch.yaml")));
    assertError(
        "tables: {s.t: {quality: {checks: [change: {metric: pattern, max-delta-pct: 5}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].change.metric: 'pattern' is not allowed; allowed values are row-count");
  }

  /**
   * A suite's sample columns are one name or a list; they change its hash only when set, so a suite
   * without them keeps the hash it had before the setting existed.
   */
  @Test
  void sampleColumnsAreReadAndChangeTheHashOnlyWhenSet() {
    TableRef table = TableRef.parse("s.t");
    Suite plain =
        Suites.load(config("tables: {s.t: {quality: {checks: [unique: id]}}}", dir)).get(table);
    Suite one =
        Suites.load(
                config("tables: {s.t: {quality: {sample-columns: id, checks: [unique: id]}}}", dir))
            .get(table);
    Suite two =
        Suites.load(
                config(
                    "tables: {s.t: {quality: {sample-columns: [id, day], checks: [unique: id]}}}",
                    dir))
            .get(table);
    assertThat(plain.sampleColumns()).isEmpty();
    assertThat(one.sampleColumns()).containsExactly("id");
    assertThat(two.sampleColumns()).containsExactly("id", "day");
    assertThat(plain.hash())
        .isEqualTo(new Suite(table, plain.checks(), "elsewhere").hash())
        .isNotEqualTo(one.hash())
        .isNotEqualTo(two.hash());
    assertThat(one.hash()).isNotEqualTo(two.hash());
    assertError(
        "tables: {s.t: {quality: {sample-columns: [id, id], checks: [unique: id]}}}",
        "floe.yaml: tables.s.t.quality.sample-columns: lists id twice");
    assertError(
        "tables: {s.t: {quality: {sample-column: id, checks: [unique: id]}}}",
        "floe.yaml: tables.s.t.quality.sample-column: unknown key; allowed keys here are checks, sample-columns");
  }

  /**
   * A check's {@code where} is read with it and named in its default name; a change or anomaly
   * check's metric carries it. A suite without conditions keeps the hash it had before they existed
   * (the value below was computed before).
   */
  @Test
  void whereIsReadNamedAndChangesTheHashOnlyWhenSet() {
    TableRef table = TableRef.parse("s.t");
    String plain =
        """
        tables:
          s.t:
            quality:
              checks:
                - row-count: {min: 1}
                - not-null: {column: c, max-fraction: 0.1}
                - unique: [a, b]
                - anomaly: {metric: mean, column: x, sigma: 4}
                - predicate: {expression: x > 0}
        """;
    assertThat(Suites.load(config(plain, dir)).get(table).hash()).isEqualTo("5b6c8d03a53fb099");

    String yaml =
        """
        tables:
          s.t:
            quality:
              checks:
                - row-count: {min: 1, where: "c is not null"}
                - not-null: {column: c, max-fraction: 0.1, where: "status = 'paid'"}
                - not-null: {column: c, name: paid-c, where: "status = 'paid' and x > 0"}
                - unique: {columns: [a, b], where: "b > 0"}
                - anomaly: {metric: mean, column: x, sigma: 4, where: "region = 'eu'"}
        """;
    Suite suite = Suites.load(config(yaml, dir)).get(table);
    assertThat(suite.checks().stream().map(Check::name))
        .containsExactly(
            "row-count where c is not null",
            "not-null(c) where status = 'paid'",
            "paid-c",
            "unique(a,b) where b > 0",
            "anomaly(mean(x) where region = 'eu')");
    assertThat(suite.checks().get(2).where()).contains("status = 'paid' and x > 0");
    Check anomaly = suite.checks().get(4);
    assertThat(anomaly.where()).isEmpty();
    assertThat(anomaly.options().metric().orElseThrow().where()).contains("region = 'eu'");
    assertThat(SnapshotAudit.metricName(anomaly)).isEqualTo("mean(x) where region = 'eu'");
    assertThat(SnapshotAudit.metricName(suite.checks().get(1)))
        .isEqualTo("null_fraction(c) where status = 'paid'");
    Suite unconditional =
        Suites.load(config(yaml.replace(", where: \"status = 'paid'\"", ""), dir)).get(table);
    assertThat(unconditional.checks().get(1).where()).isEmpty();
    assertThat(unconditional.hash()).isNotEqualTo(suite.hash());

    assertError(
        "tables: {s.t: {quality: {checks: [schema: {expect: {a: long}, where: 'a > 0'}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].schema.where: unknown key");
    assertError(
        "tables: {s.t: {quality: {checks: [not-null: {column: c, where: 'status ='}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].not-null.where: ");
    assertError(
        "tables: {s.t: {quality: {checks: [not-null: {column: c, where: ' '}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].not-null.where: write the condition rows must meet");
  }

  @Test
  void rowRulesTakeAToleranceThatChangesTheHashOnlyWhenSet() {
    TableRef table = TableRef.parse("s.t");
    String yaml =
        """
        tables:
          s.t:
            quality:
              checks:
                - accepted-values: {column: status, values: [a, b], max-fraction: 0.01}
                - pattern: {column: email, pattern: '^[^@]+@[^@]+$', max-fraction: 0.001}
                - length: {column: name, max: 50, max-fraction: 0.5}
                - predicate: {expression: x > 0, max-fraction: 1}
                - references: {column: buyer_id, table: s.buyers, max-fraction: 0.2}
                - unique: {columns: [buyer_id, day], max-fraction: 0.05}
        """;
    Suite suite = Suites.load(config(yaml, dir)).get(table);
    assertThat(suite.checks().stream().map(c -> c.options().maxFraction()))
        .containsExactly(0.01, 0.001, 0.5, 1.0, 0.2, 0.05);
    assertThat(suite.checks().get(5).name()).isEqualTo("unique(buyer_id,day)");
    // the tolerance is no part of the default name: the same rows are measured
    assertThat(suite.checks().get(3).name()).isEqualTo("predicate(x > 0)");
    assertThat(suite.checks().get(2).bounds()).isEqualTo(Bounds.atMost(50));

    Suite strict = Suites.load(config(yaml.replace(", max-fraction: 0.001", ""), dir)).get(table);
    assertThat(strict.checks().get(1).options().maxFraction()).isZero();
    assertThat(strict.hash()).isNotEqualTo(suite.hash());
    Suite explicitZero =
        Suites.load(config(yaml.replace(", max-fraction: 0.001", ", max-fraction: 0"), dir))
            .get(table);
    assertThat(explicitZero.hash()).isEqualTo(strict.hash());

    assertError(
        "tables: {s.t: {quality: {checks: [predicate: {expression: x > 0, max-fraction: 1.5}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].predicate.max-fraction: must be between 0 and 1");
    assertError(
        "tables: {s.t: {quality: {checks: [unique: {column: c, max-fraction: -0.1}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].unique.max-fraction: must be between 0 and 1");
    assertError(
        "tables: {s.t: {quality: {checks: [distinct-count: {column: c, min: 1, max-fraction: 0.1}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].distinct-count.max-fraction: unknown key");
    assertError(
        "tables: {s.t: {quality: {checks: [mean: {column: c, max: 1, max-fraction: 0.1}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].mean.max-fraction: unknown key");
  }

  @Test
  void reconcileNamesBothMetricsAndDefaultsTheOtherSideToItsOwn() {
    TableRef table = TableRef.parse("s.t");
    String yaml =
        """
        tables:
          s.t:
            quality:
              checks:
                - reconcile: {metric: row-count, with: {table: s.src}}
                - reconcile: {metric: sum, column: total, with: {table: s.src, column: revenue, where: "status <> 'x'"}, max-delta-pct: 0.5}
                - reconcile: {metric: sum, column: n, with: {table: s.src, metric: row-count}, where: "n > 0"}
                - reconcile: {metric: quantile, quantile: 0.9, column: v, with: {table: s.src}}
                - reconcile: {metric: row-count, with: {table: s.src, ref: closing}}
        """;
    Suite suite = Suites.load(config(yaml, dir)).get(table);
    assertThat(suite.checks().stream().map(Check::name))
        .containsExactly(
            "reconcile(row-count, s.src row-count)",
            "reconcile(sum(total), s.src sum(revenue) where status <> 'x')",
            "reconcile(sum(n) where n > 0, s.src row-count)",
            "reconcile(quantile-0.9(v), s.src quantile-0.9(v))",
            "reconcile(row-count, s.src@closing row-count)");
    assertThat(suite.checks().get(4).options().referenceAt()).contains("closing");
    assertThat(suite.checks().get(0).options().referenceAt()).isEmpty();
    // a suite without a ref keeps the hash it had before refs existed
    assertThat(suite.checks().get(0).options().toString()).doesNotContain("referenceAt");
    Check totals = suite.checks().get(1);
    assertThat(totals.bounds()).isEqualTo(Bounds.atMost(0.5));
    assertThat(suite.checks().get(0).bounds()).isEqualTo(Bounds.atMost(0));
    assertThat(totals.options().reference()).contains(TableRef.parse("s.src"));
    Check against = totals.options().against().orElseThrow();
    assertThat(against.type()).isEqualTo(CheckType.SUM);
    assertThat(against.columns()).containsExactly("revenue");
    assertThat(against.where()).contains("status <> 'x'");
    assertThat(SnapshotAudit.metricName(totals))
        .isEqualTo("delta_pct(sum(total), s.src sum(revenue) where status <> 'x')");

    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: row-count}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.with: required");
    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: row-count, with: {table: s.u, sigma: 3}}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.with.sigma: unknown key");
    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: row-count, with: {metric: sum}}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.with.table: required");
    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: row-count, with: {table: s.u, metric: sum}}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.with.column: required for metric sum");
    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: sum, column: a, with: {table: s.u, column: [b, c]}}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.with.column: takes one column");
    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: row-count, with: {table: s.u, ref: ' '}}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.with.ref: must name a branch or tag of s.u");
    assertError(
        "tables: {s.t: {quality: {checks: [reconcile: {metric: pattern, with: {table: s.u}}]}}}",
        "floe.yaml: tables.s.t.quality.checks[0].reconcile.metric: 'pattern' is not allowed");
  }

  @Test
  void qualityConfigDefaults() {
    QualityConfig defaults = QualityConfig.from(config("{}", dir));
    assertThat(defaults).isEqualTo(QualityConfig.DEFAULT);
    assertThat(defaults.resultsTable()).isEqualTo(TableRef.parse("floe_quality.results"));
    assertThat(defaults.samples()).isEqualTo(5);
    assertThat(defaults.tagMaxAge()).isEqualTo(Duration.ofDays(90));
    QualityConfig custom =
        QualityConfig.from(
            config(
                "quality: {results-table: q.r, parallelism: 3, samples: 2, key-memory: 2GB, tag-max-age: 7d, reports: false, reports-kept: 20, webhook: 'http://h/x'}",
                dir));
    assertThat(custom.keyMemoryBytes()).isEqualTo(2L << 30);
    assertThat(defaults.keyMemoryBytes()).isEqualTo(Runtime.getRuntime().maxMemory() / 2);
    assertThat(custom.resultsTable()).isEqualTo(TableRef.parse("q.r"));
    assertThat(custom.threads()).isEqualTo(3);
    assertThat(custom.tagMaxAge()).isEqualTo(Duration.ofDays(7));
    assertThat(custom.reports()).isFalse();
    assertThat(custom.reportsKept()).isEqualTo(20);
    assertThat(defaults.reportsKept()).isEqualTo(100);
    assertThat(custom.webhook()).contains("http://h/x");
  }

  private void assertError(String yaml, String message) {
    assertThatThrownBy(
            () -> {
              FloeConfig config = config(yaml, dir);
              QualityConfig.from(config);
              Suites.load(config);
            })
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }
}
