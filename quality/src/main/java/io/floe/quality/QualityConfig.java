package io.floe.quality;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The {@code quality} section of {@code floe.yaml}: where results go, how evaluation runs and where
 * more suites are declared. Per-table suites live under {@code tables.<namespace.table>.quality}.
 *
 * @param resultsTable the Iceberg table every evaluation appends its results to
 * @param statesTable the Iceberg table holding mergeable metric states for incremental checks
 * @param parallelism threads the evaluations of a process read with, shared by evaluations running
 *     at once; 0 means one per processor
 * @param samples failing rows or keys kept per check
 * @param keyMemory bytes the key hashes of a uniqueness check, or the values a references check
 *     looks up, may hold at once; a table that needs more is checked in several passes over slices
 *     of the hash space; 0 means half the JVM's maximum heap
 * @param tagMaxAge how long a {@code published-*} tag is kept ({@code max-ref-age})
 * @param reports whether to write an HTML report per evaluation under {@code <home>/reports}
 * @param reportsKept how many of each table's newest HTML reports are kept
 * @param webhook a Slack-compatible URL to POST failed verdicts to
 * @param suiteFiles further files declaring suites, relative to {@code floe.yaml}
 */
public record QualityConfig(
    TableRef resultsTable,
    TableRef statesTable,
    int parallelism,
    int samples,
    long keyMemory,
    Duration tagMaxAge,
    boolean reports,
    int reportsKept,
    Optional<String> webhook,
    List<String> suiteFiles) {
  public static final String SECTION = "quality";
  public static final String RESULTS_TABLE = "results-table";
  public static final TableRef RESULTS_TABLE_DEFAULT = new TableRef("floe_quality", "results");
  public static final String STATES_TABLE = "states-table";
  public static final TableRef STATES_TABLE_DEFAULT = new TableRef("floe_quality", "states");
  public static final String PARALLELISM = "parallelism";
  public static final int PARALLELISM_DEFAULT = 0;
  public static final String SAMPLES = "samples";
  public static final int SAMPLES_DEFAULT = 5;
  public static final String KEY_MEMORY = "key-memory";
  public static final long KEY_MEMORY_DEFAULT = 0;
  public static final String TAG_MAX_AGE = "tag-max-age";
  public static final Duration TAG_MAX_AGE_DEFAULT = Duration.ofDays(90);
  public static final String REPORTS = "reports";
  public static final boolean REPORTS_DEFAULT = true;
  public static final String REPORTS_KEPT = "reports-kept";
  public static final int REPORTS_KEPT_DEFAULT = 100;
  public static final String WEBHOOK = "webhook";
  public static final String SUITE_FILES = "suite-files";

  public static final QualityConfig DEFAULT =
      new QualityConfig(
          RESULTS_TABLE_DEFAULT,
          STATES_TABLE_DEFAULT,
          PARALLELISM_DEFAULT,
          SAMPLES_DEFAULT,
          KEY_MEMORY_DEFAULT,
          TAG_MAX_AGE_DEFAULT,
          REPORTS_DEFAULT,
          REPORTS_KEPT_DEFAULT,
          Optional.empty(),
          List.of());

  public QualityConfig {
    requireNonNull(resultsTable, "resultsTable is null");
    requireNonNull(statesTable, "statesTable is null");
    requireNonNull(tagMaxAge, "tagMaxAge is null");
    requireNonNull(webhook, "webhook is null");
    suiteFiles = List.copyOf(requireNonNull(suiteFiles, "suiteFiles is null"));
  }

  /** Reads the {@code quality} section of {@code config}. */
  public static QualityConfig from(FloeConfig config) {
    return read(config.section(SECTION));
  }

  static QualityConfig read(ConfigNode node) {
    node.allowOnly(
        RESULTS_TABLE,
        STATES_TABLE,
        PARALLELISM,
        SAMPLES,
        KEY_MEMORY,
        TAG_MAX_AGE,
        REPORTS,
        REPORTS_KEPT,
        WEBHOOK,
        SUITE_FILES);
    Optional<String> webhook = node.optionalString(WEBHOOK).filter(s -> !s.isBlank());
    webhook.ifPresent(
        url -> {
          if (!url.startsWith("http://") && !url.startsWith("https://")) {
            throw node.error(node.key(WEBHOOK), "'%s' is not an http(s) URL".formatted(url));
          }
        });
    Duration tagMaxAge = node.duration(TAG_MAX_AGE, TAG_MAX_AGE_DEFAULT);
    if (tagMaxAge.isZero() || tagMaxAge.isNegative()) {
      throw node.error(node.key(TAG_MAX_AGE), "must be positive");
    }
    long keyMemory = node.dataSize(KEY_MEMORY, KEY_MEMORY_DEFAULT);
    if (keyMemory < 0 || (keyMemory > 0 && keyMemory < MIN_KEY_MEMORY)) {
      throw node.error(
          node.key(KEY_MEMORY), "must be at least 1MB (or 0 for half the JVM's maximum heap)");
    }
    return new QualityConfig(
        table(node, RESULTS_TABLE, RESULTS_TABLE_DEFAULT),
        table(node, STATES_TABLE, STATES_TABLE_DEFAULT),
        node.integer(PARALLELISM, PARALLELISM_DEFAULT, 0, 256),
        node.integer(SAMPLES, SAMPLES_DEFAULT, 0, 1000),
        keyMemory,
        tagMaxAge,
        node.bool(REPORTS, REPORTS_DEFAULT),
        node.integer(REPORTS_KEPT, REPORTS_KEPT_DEFAULT, 1, 1_000_000),
        webhook,
        node.stringList(SUITE_FILES));
  }

  /** The least {@link #keyMemory} accepted; tests may go below it through the record itself. */
  static final long MIN_KEY_MEMORY = 1 << 20;

  /** Bytes the key hashes of a uniqueness check may hold at once. */
  public long keyMemoryBytes() {
    return keyMemory > 0 ? keyMemory : Runtime.getRuntime().maxMemory() / 2;
  }

  /** Holds at most {@code bytes} of key hashes at once (0: half the JVM's maximum heap). */
  public QualityConfig withKeyMemory(long bytes) {
    return new QualityConfig(
        resultsTable,
        statesTable,
        parallelism,
        samples,
        bytes,
        tagMaxAge,
        reports,
        reportsKept,
        webhook,
        suiteFiles);
  }

  /** The threads to evaluate with. */
  public int threads() {
    return parallelism > 0 ? parallelism : Runtime.getRuntime().availableProcessors();
  }

  public QualityConfig withWebhook(String url) {
    return new QualityConfig(
        resultsTable,
        statesTable,
        parallelism,
        samples,
        keyMemory,
        tagMaxAge,
        reports,
        reportsKept,
        Optional.of(url),
        suiteFiles);
  }

  /** Evaluates with {@code threads} threads (0: one per processor). */
  public QualityConfig withParallelism(int threads) {
    return new QualityConfig(
        resultsTable,
        statesTable,
        threads,
        samples,
        keyMemory,
        tagMaxAge,
        reports,
        reportsKept,
        webhook,
        suiteFiles);
  }

  public QualityConfig withReports(boolean enabled) {
    return new QualityConfig(
        resultsTable,
        statesTable,
        parallelism,
        samples,
        keyMemory,
        tagMaxAge,
        enabled,
        reportsKept,
        webhook,
        suiteFiles);
  }

  public QualityConfig withTables(TableRef results, TableRef states) {
    return new QualityConfig(
        results,
        states,
        parallelism,
        samples,
        keyMemory,
        tagMaxAge,
        reports,
        reportsKept,
        webhook,
        suiteFiles);
  }

  private static TableRef table(ConfigNode node, String key, TableRef defaultValue) {
    Optional<String> text = node.optionalString(key);
    if (text.isEmpty()) {
      return defaultValue;
    }
    try {
      return TableRef.parse(text.get());
    } catch (IllegalArgumentException e) {
      throw node.error(node.key(key), e.getMessage());
    }
  }
}
