package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.parser.CronParser;
import io.floe.catalog.LogTables;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.Durations;
import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Table;

/**
 * How one table is maintained. Global defaults live under {@code maintenance:} in {@code
 * floe.yaml}; each table may override any key under {@code tables.<namespace.table>.maintenance}.
 *
 * @param operations what {@code floe maintain} runs for this table
 * @param targetFileSize compaction's output file size in bytes
 * @param smallFileRatio a data file is small when below this fraction of the target size
 * @param minInputFiles a partition is compacted when it has at least this many small files
 * @param maxGroupSize the most input bytes one file group (one commit) rewrites
 * @param snapshotMaxAge snapshots older than this may expire
 * @param minSnapshots main always keeps at least this many snapshots
 * @param auditBranchMaxAge an unpublished audit branch is removed when its head is this old
 * @param publishedTagMaxAge published tags older than this are removed; empty keeps them forever
 * @param orphanMinAge only files older than this can be orphans
 * @param quarantineGrace quarantined orphans are deleted for good after this long
 * @param quarantineLocation where orphans are moved; empty means {@code
 *     <scheme>://<bucket>/_floe_quarantine/}
 * @param manifestMinCount manifests are rewritten when main has more than this many and they are
 *     small
 * @param retention rows to drop by age, if any
 * @param trigger when the scheduler runs this table
 * @param leaseDuration how long a maintenance run holds the table's lease before it must renew
 * @param compactionExecutor where compaction rewrites its file groups (this JVM or a Spark job)
 */
public record MaintenancePolicy(
    Set<Operation> operations,
    long targetFileSize,
    double smallFileRatio,
    int minInputFiles,
    long maxGroupSize,
    Duration snapshotMaxAge,
    int minSnapshots,
    Duration auditBranchMaxAge,
    Optional<Duration> publishedTagMaxAge,
    Duration orphanMinAge,
    Duration quarantineGrace,
    Optional<String> quarantineLocation,
    int manifestMinCount,
    Optional<RetentionRule> retention,
    Trigger trigger,
    Duration leaseDuration,
    CompactionExecutor compactionExecutor) {

  /** Where compaction rewrites file groups. */
  public enum CompactionExecutor {
    /** In this JVM, pure Java. */
    LOCAL,
    /** In a Spark job, for tables too large for one machine; the plan is still Floe's. */
    SPARK
  }

  public static final String COMPACTION_EXECUTOR = "compaction-executor";
  public static final CompactionExecutor COMPACTION_EXECUTOR_DEFAULT = CompactionExecutor.LOCAL;

  public static final String OPERATIONS = "operations";
  public static final Set<Operation> OPERATIONS_DEFAULT =
      EnumSet.of(Operation.COMPACT, Operation.REWRITE_MANIFESTS, Operation.EXPIRE);
  public static final String TARGET_FILE_SIZE = "target-file-size";
  public static final long TARGET_FILE_SIZE_DEFAULT = 128L << 20;
  public static final String SMALL_FILE_RATIO = "small-file-ratio";
  public static final double SMALL_FILE_RATIO_DEFAULT = 0.75;
  public static final String MIN_INPUT_FILES = "min-input-files";
  public static final int MIN_INPUT_FILES_DEFAULT = 5;
  public static final String MAX_GROUP_SIZE = "max-group-size";
  public static final long MAX_GROUP_SIZE_DEFAULT = 1L << 30;
  public static final String SNAPSHOT_MAX_AGE = "snapshot-max-age";
  public static final Duration SNAPSHOT_MAX_AGE_DEFAULT = Duration.ofDays(5);
  public static final String MIN_SNAPSHOTS = "min-snapshots";
  public static final int MIN_SNAPSHOTS_DEFAULT = 3;
  public static final String AUDIT_BRANCH_MAX_AGE = "audit-branch-max-age";
  public static final Duration AUDIT_BRANCH_MAX_AGE_DEFAULT = Duration.ofDays(7);
  public static final String PUBLISHED_TAG_MAX_AGE = "published-tag-max-age";
  public static final String ORPHAN_MIN_AGE = "orphan-min-age";
  public static final Duration ORPHAN_MIN_AGE_DEFAULT = Duration.ofDays(3);
  public static final String QUARANTINE_GRACE = "quarantine-grace";
  public static final Duration QUARANTINE_GRACE_DEFAULT = Duration.ofDays(7);
  public static final String QUARANTINE_LOCATION = "quarantine-location";
  public static final String MANIFEST_MIN_COUNT = "manifest-min-count";
  public static final int MANIFEST_MIN_COUNT_DEFAULT = 50;
  public static final String RETENTION = "retention";
  public static final String RETENTION_COLUMN = "column";
  public static final String RETENTION_MAX_AGE = "max-age";
  public static final String TRIGGERS = "triggers";
  public static final String TRIGGER_INTERVAL = "interval";
  public static final String TRIGGER_CRON = "cron";
  public static final String TRIGGER_COMMITS = "commits";
  public static final String TRIGGER_SMALL_FILES = "small-files";
  public static final Duration TRIGGER_INTERVAL_DEFAULT = Duration.ofHours(24);
  public static final String LEASE_DURATION = "lease-duration";
  public static final Duration LEASE_DURATION_DEFAULT = Duration.ofMinutes(30);

  /**
   * Floe's log tables ({@link LogTables}) keep snapshots this long: each of their commits writes a
   * metadata file listing every snapshot, so days of per-evaluation commits would make every commit
   * slow.
   */
  public static final Duration LOG_TABLE_SNAPSHOT_MAX_AGE = Duration.ofHours(1);

  public static final int LOG_TABLE_MIN_SNAPSHOTS = 10;

  /** A log table is also due for maintenance once this many commits piled up since its last run. */
  public static final int LOG_TABLE_TRIGGER_COMMITS = 100;

  /** The section of {@code floe.yaml}, global and per table, that holds a maintenance policy. */
  public static final String SECTION = "maintenance";

  /** Keys of the global {@code maintenance:} section that are not policy keys. */
  public static final String LEDGER_NAMESPACE = "ledger-namespace";

  /** A Slack-compatible URL each table that fails maintenance is posted to (global only). */
  public static final String WEBHOOK = "webhook";

  public static final String LEDGER_NAMESPACE_DEFAULT = "floe_maintenance";

  /** How many tables a maintenance pass works on at once (global only). */
  public static final String PARALLELISM = "parallelism";

  /**
   * Four tables at once: a pass spends most of its time waiting on the catalog and the object store
   * (loading tables, checking triggers, listing and deleting files), and the file groups that
   * compaction and retention rewrite are bounded for the whole JVM anyway.
   */
  public static final int PARALLELISM_DEFAULT = 4;

  /** Orphan removal refuses a minimum age below this unless forced. */
  public static final Duration ORPHAN_MIN_AGE_FLOOR = Duration.ofHours(24);

  /** Expiry refuses a snapshot age below this unless forced. */
  public static final Duration SNAPSHOT_MAX_AGE_FLOOR = Duration.ofHours(1);

  /**
   * Retention refuses a max age below this unless forced: rows of the last day may still be
   * arriving late or being read, and an age in hours is more often a slip of the unit than a rule.
   */
  public static final Duration RETENTION_MAX_AGE_FLOOR = Duration.ofDays(1);

  private static final List<String> POLICY_KEYS =
      List.of(
          OPERATIONS,
          TARGET_FILE_SIZE,
          SMALL_FILE_RATIO,
          MIN_INPUT_FILES,
          MAX_GROUP_SIZE,
          SNAPSHOT_MAX_AGE,
          MIN_SNAPSHOTS,
          AUDIT_BRANCH_MAX_AGE,
          PUBLISHED_TAG_MAX_AGE,
          ORPHAN_MIN_AGE,
          QUARANTINE_GRACE,
          QUARANTINE_LOCATION,
          MANIFEST_MIN_COUNT,
          RETENTION,
          TRIGGERS,
          LEASE_DURATION,
          COMPACTION_EXECUTOR);

  public MaintenancePolicy {
    operations = Set.copyOf(operations);
    requireNonNull(snapshotMaxAge, "snapshotMaxAge is null");
    requireNonNull(auditBranchMaxAge, "auditBranchMaxAge is null");
    requireNonNull(publishedTagMaxAge, "publishedTagMaxAge is null");
    requireNonNull(orphanMinAge, "orphanMinAge is null");
    requireNonNull(quarantineGrace, "quarantineGrace is null");
    requireNonNull(quarantineLocation, "quarantineLocation is null");
    requireNonNull(retention, "retention is null");
    requireNonNull(trigger, "trigger is null");
    requireNonNull(leaseDuration, "leaseDuration is null");
    requireNonNull(compactionExecutor, "compactionExecutor is null");
  }

  /** Every default. */
  public static MaintenancePolicy defaults() {
    return new MaintenancePolicy(
        OPERATIONS_DEFAULT,
        TARGET_FILE_SIZE_DEFAULT,
        SMALL_FILE_RATIO_DEFAULT,
        MIN_INPUT_FILES_DEFAULT,
        MAX_GROUP_SIZE_DEFAULT,
        SNAPSHOT_MAX_AGE_DEFAULT,
        MIN_SNAPSHOTS_DEFAULT,
        AUDIT_BRANCH_MAX_AGE_DEFAULT,
        Optional.empty(),
        ORPHAN_MIN_AGE_DEFAULT,
        QUARANTINE_GRACE_DEFAULT,
        Optional.empty(),
        MANIFEST_MIN_COUNT_DEFAULT,
        Optional.empty(),
        new Trigger(Optional.of(TRIGGER_INTERVAL_DEFAULT), Optional.empty(), 0, 0),
        LEASE_DURATION_DEFAULT,
        COMPACTION_EXECUTOR_DEFAULT);
  }

  /**
   * The policy of Floe's log tables on top of {@code base}: snapshots expire after {@link
   * #LOG_TABLE_SNAPSHOT_MAX_AGE} (keeping {@link #LOG_TABLE_MIN_SNAPSHOTS}), and the table is also
   * due once {@link #LOG_TABLE_TRIGGER_COMMITS} commits piled up. Their rows are the record; their
   * snapshots are only the cost of keeping it. A table's own section in {@code floe.yaml} still
   * overrides any of it.
   */
  public static MaintenancePolicy forLogTables(MaintenancePolicy base) {
    return forLogTables(base, "", Map.of());
  }

  /**
   * {@link #forLogTables(MaintenancePolicy)}, plus, when the table's properties name one ({@link
   * LogTables#RETENTION_COLUMN_PROPERTY} and {@link LogTables#RETENTION_MAX_AGE_PROPERTY}), a
   * retention rule that maintenance runs before its other operations.
   *
   * @throws FloeException naming the table and property when the retention properties are
   *     incomplete or the age is no duration
   */
  public static MaintenancePolicy forLogTables(
      MaintenancePolicy base, String table, Map<String, String> properties) {
    Optional<RetentionRule> retention = logTableRetention(table, properties);
    Set<Operation> operations = EnumSet.noneOf(Operation.class);
    retention.ifPresent(rule -> operations.add(Operation.RETAIN));
    operations.addAll(base.operations());
    Trigger trigger = base.trigger();
    int commits =
        trigger.commits() > 0
            ? Math.min(trigger.commits(), LOG_TABLE_TRIGGER_COMMITS)
            : LOG_TABLE_TRIGGER_COMMITS;
    return new MaintenancePolicy(
        operations,
        base.targetFileSize(),
        base.smallFileRatio(),
        base.minInputFiles(),
        base.maxGroupSize(),
        LOG_TABLE_SNAPSHOT_MAX_AGE,
        LOG_TABLE_MIN_SNAPSHOTS,
        base.auditBranchMaxAge(),
        base.publishedTagMaxAge(),
        base.orphanMinAge(),
        base.quarantineGrace(),
        base.quarantineLocation(),
        base.manifestMinCount(),
        retention.or(base::retention),
        new Trigger(trigger.interval(), trigger.cron(), commits, trigger.smallFiles()),
        base.leaseDuration(),
        base.compactionExecutor());
  }

  private static Optional<RetentionRule> logTableRetention(
      String table, Map<String, String> properties) {
    String column = properties.get(LogTables.RETENTION_COLUMN_PROPERTY);
    String maxAge = properties.get(LogTables.RETENTION_MAX_AGE_PROPERTY);
    if (column == null && maxAge == null) {
      return Optional.empty();
    }
    if (column == null || maxAge == null) {
      String missing =
          column == null
              ? LogTables.RETENTION_COLUMN_PROPERTY
              : LogTables.RETENTION_MAX_AGE_PROPERTY;
      String set =
          column == null
              ? LogTables.RETENTION_MAX_AGE_PROPERTY
              : LogTables.RETENTION_COLUMN_PROPERTY;
      throw new FloeException(
          ErrorCode.INVALID_CONFIG,
          "%s: table property %s is missing (set both it and %s, or neither)"
              .formatted(table, missing, set));
    }
    Duration age =
        Durations.parse(maxAge)
            .filter(d -> !d.isNegative() && !d.isZero())
            .orElseThrow(
                () ->
                    new FloeException(
                        ErrorCode.INVALID_CONFIG,
                        "%s: table property %s: '%s' is not a positive duration (e.g. 90d)"
                            .formatted(table, LogTables.RETENTION_MAX_AGE_PROPERTY, maxAge)));
    return Optional.of(
        new RetentionRule(column, age, "table property " + LogTables.RETENTION_MAX_AGE_PROPERTY));
  }

  /** Size below which a data file counts as small. */
  public long smallFileThreshold() {
    return (long) (targetFileSize * smallFileRatio);
  }

  /** The global policy from {@code maintenance:}, then each table's overrides. */
  public static Policies read(FloeConfig config) {
    ConfigNode global = config.section(SECTION);
    List<String> globalKeys = new ArrayList<>(POLICY_KEYS);
    globalKeys.add(LEDGER_NAMESPACE);
    globalKeys.add(WEBHOOK);
    globalKeys.add(PARALLELISM);
    global.allowOnly(globalKeys.toArray(String[]::new));
    MaintenancePolicy defaults = readKeys(global, defaults());
    String ledgerNamespace = global.string(LEDGER_NAMESPACE, LEDGER_NAMESPACE_DEFAULT);
    Optional<String> webhook = global.optionalString(WEBHOOK).filter(url -> !url.isBlank());
    int parallelism = global.integer(PARALLELISM, PARALLELISM_DEFAULT, 1, 64);
    ConfigNode tables = config.section("tables");
    Map<String, ConfigNode> perTable = new LinkedHashMap<>();
    for (String table : tables.names()) {
      ConfigNode section = tables.section(table).section(SECTION);
      if (section.isPresent()) {
        // read once here, so a bad key or value is reported when the config loads
        read(section, defaults);
        perTable.put(table, section);
      }
    }
    return new Policies(defaults, perTable, ledgerNamespace, webhook, parallelism);
  }

  /** Reads one policy section, taking absent keys from {@code base}. */
  public static MaintenancePolicy read(ConfigNode node, MaintenancePolicy base) {
    node.allowOnly(POLICY_KEYS.toArray(String[]::new));
    return readKeys(node, base);
  }

  private static MaintenancePolicy readKeys(ConfigNode node, MaintenancePolicy base) {
    Set<Operation> operations = base.operations();
    if (node.has(OPERATIONS)) {
      operations = EnumSet.noneOf(Operation.class);
      for (String name : node.stringList(OPERATIONS)) {
        operations.add(operation(node, name));
      }
    }
    long target = node.dataSize(TARGET_FILE_SIZE, base.targetFileSize());
    if (target < (1 << 20)) {
      throw node.error(node.key(TARGET_FILE_SIZE), "must be at least 1MB");
    }
    double ratio = node.decimal(SMALL_FILE_RATIO, base.smallFileRatio());
    if (ratio <= 0 || ratio > 1) {
      throw node.error(
          node.key(SMALL_FILE_RATIO),
          "%s is out of range; allowed values are > 0 and <= 1".formatted(ratio));
    }
    Optional<Duration> tagAge = base.publishedTagMaxAge();
    if (node.has(PUBLISHED_TAG_MAX_AGE)) {
      String text = node.string(PUBLISHED_TAG_MAX_AGE, "");
      tagAge =
          text.equalsIgnoreCase("forever")
              ? Optional.empty()
              : Optional.of(positive(node, PUBLISHED_TAG_MAX_AGE, Duration.ZERO));
    }
    Optional<String> quarantine =
        node.optionalString(QUARANTINE_LOCATION).or(base::quarantineLocation);
    quarantine.ifPresent(
        location -> {
          if (!location.matches("[a-zA-Z][a-zA-Z0-9+.-]*://[^/]+/.*")) {
            throw node.error(
                node.key(QUARANTINE_LOCATION),
                "'%s' is not a location such as s3://bucket/quarantine/".formatted(location));
          }
        });
    return new MaintenancePolicy(
        operations,
        target,
        ratio,
        node.integer(MIN_INPUT_FILES, base.minInputFiles(), 2, 100_000),
        node.dataSize(MAX_GROUP_SIZE, base.maxGroupSize()),
        positive(node, SNAPSHOT_MAX_AGE, base.snapshotMaxAge()),
        node.integer(MIN_SNAPSHOTS, base.minSnapshots(), 1, 1_000_000),
        positive(node, AUDIT_BRANCH_MAX_AGE, base.auditBranchMaxAge()),
        tagAge,
        positive(node, ORPHAN_MIN_AGE, base.orphanMinAge()),
        positive(node, QUARANTINE_GRACE, base.quarantineGrace()),
        quarantine,
        node.integer(MANIFEST_MIN_COUNT, base.manifestMinCount(), 1, 1_000_000),
        node.has(RETENTION) ? Optional.of(retention(node.section(RETENTION))) : base.retention(),
        node.has(TRIGGERS) ? trigger(node.section(TRIGGERS)) : base.trigger(),
        positive(node, LEASE_DURATION, base.leaseDuration()),
        node.enumValue(COMPACTION_EXECUTOR, CompactionExecutor.class, base.compactionExecutor()));
  }

  private static Operation operation(ConfigNode node, String name) {
    String wanted = name.trim().replace('-', '_').toUpperCase(Locale.ROOT);
    for (Operation operation : Operation.values()) {
      if (operation.name().equals(wanted)) {
        return operation;
      }
    }
    throw node.error(
        node.key(OPERATIONS),
        "'%s' is not allowed; allowed values are retain, compact, rewrite-manifests, expire, orphans"
            .formatted(name));
  }

  private static Duration positive(ConfigNode node, String key, Duration fallback) {
    Duration value = node.duration(key, fallback);
    if (value.isNegative() || value.isZero()) {
      throw node.error(node.key(key), "must be longer than zero");
    }
    return value;
  }

  private static RetentionRule retention(ConfigNode node) {
    node.allowOnly(RETENTION_COLUMN, RETENTION_MAX_AGE);
    String column =
        node.optionalString(RETENTION_COLUMN)
            .orElseThrow(
                () ->
                    node.error(
                        node.key(RETENTION_COLUMN), "is required: the timestamp or date column"));
    if (!node.has(RETENTION_MAX_AGE)) {
      throw node.error(node.key(RETENTION_MAX_AGE), "is required, e.g. 365d");
    }
    return new RetentionRule(column, positive(node, RETENTION_MAX_AGE, Duration.ZERO));
  }

  private static Trigger trigger(ConfigNode node) {
    node.allowOnly(TRIGGER_INTERVAL, TRIGGER_CRON, TRIGGER_COMMITS, TRIGGER_SMALL_FILES);
    Optional<Duration> interval =
        node.has(TRIGGER_INTERVAL)
            ? Optional.of(positive(node, TRIGGER_INTERVAL, Duration.ZERO))
            : Optional.empty();
    Optional<String> cron = node.optionalString(TRIGGER_CRON);
    cron.ifPresent(
        expression -> {
          try {
            new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX))
                .parse(expression)
                .validate();
          } catch (IllegalArgumentException e) {
            throw node.error(
                node.key(TRIGGER_CRON),
                "'%s' is not a 5-field cron expression (minute hour day month weekday): %s"
                    .formatted(expression, e.getMessage()));
          }
        });
    return new Trigger(
        interval,
        cron,
        node.integer(TRIGGER_COMMITS, 0, 0, 1_000_000),
        node.integer(TRIGGER_SMALL_FILES, 0, 0, 10_000_000));
  }

  /**
   * Rows older than {@code maxAge} on {@code column} are dropped; {@code setting} names where the
   * age was set, for the errors that refer to it.
   */
  public record RetentionRule(String column, Duration maxAge, String setting) {
    public RetentionRule {
      requireNonNull(column, "column is null");
      requireNonNull(maxAge, "maxAge is null");
      requireNonNull(setting, "setting is null");
    }

    /**
     * A rule set in {@code floe.yaml} (or by {@code --set}), under {@code maintenance.retention}.
     */
    public RetentionRule(String column, Duration maxAge) {
      this(column, maxAge, "maintenance." + RETENTION + "." + RETENTION_MAX_AGE);
    }
  }

  /**
   * The global defaults and every table's own section, layered per table: the defaults, then the
   * log-table policy for Floe's log tables, then the table's own section. {@code webhook} is where
   * a table that fails maintenance is posted; {@code parallelism} how many tables a pass works on
   * at once.
   */
  public record Policies(
      MaintenancePolicy defaults,
      Map<String, ConfigNode> tables,
      String ledgerNamespace,
      Optional<String> webhook,
      int parallelism) {
    public Policies {
      requireNonNull(defaults, "defaults is null");
      tables = Map.copyOf(tables);
      requireNonNull(ledgerNamespace, "ledgerNamespace is null");
      requireNonNull(webhook, "webhook is null");
      if (parallelism < 1) {
        throw new IllegalArgumentException("parallelism must be positive: " + parallelism);
      }
    }

    /**
     * The policy of {@code table} ({@code namespace.name}) with these table properties: the
     * defaults, or the log-table policy for a table {@link LogTables} marked, under the table's own
     * section.
     */
    public MaintenancePolicy forTable(String table, Map<String, String> properties) {
      MaintenancePolicy base =
          LogTables.isLogTable(properties) ? forLogTables(defaults, table, properties) : defaults;
      ConfigNode section = tables.get(table);
      return section == null ? base : readKeys(section, base);
    }

    /** The policy of a loaded table. */
    public MaintenancePolicy forTable(Table table) {
      return forTable(TableNames.of(table), table.properties());
    }
  }
}
