package io.floe.transform;

import io.floe.spark.Concurrently;
import io.floe.spark.JobArguments;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.iceberg.util.SnapshotUtil;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.parser.ParseException;

/**
 * One transform run: the session, the namespaces it reads and writes, its audit branch, and what it
 * reports. Every write goes through {@link #commit} so each snapshot carries the run id and the
 * input snapshots it consumed.
 */
final class TransformRun {
  /**
   * Snapshot-summary key prefix recording the input snapshot a write consumed; same as {@code
   * io.floe.catalog.Refs.SUMMARY_CONSUMED_PREFIX}, by which the publish stage holds back a table
   * computed from an input that was not published.
   */
  static final String CONSUMED_PREFIX = "floe.consumed.";

  /**
   * Same key as {@code io.floe.catalog.Refs.SUMMARY_RUN_ID}, which this Spark module cannot use.
   */
  static final String RUN_ID_KEY = "floe.run-id";

  /** Writes {@link #inParallel} runs at once. */
  static final int PARALLELISM = 3;

  private final SparkSession spark;
  private final String runId;
  private final String auditBranch;
  private final String bronze;
  private final String silver;
  private final String gold;
  private final Map<String, Object> summary = new LinkedHashMap<>();
  private final Set<String> written = new LinkedHashSet<>();

  private TransformRun(
      SparkSession spark,
      String runId,
      String auditBranch,
      String bronze,
      String silver,
      String gold) {
    this.spark = spark;
    this.runId = runId;
    this.auditBranch = auditBranch;
    this.bronze = bronze;
    this.silver = silver;
    this.gold = gold;
  }

  static TransformRun from(SparkSession spark, JobArguments arguments) {
    String runId = arguments.required("run-id");
    String branch = arguments.required("audit-branch");
    if (!branch.matches("[a-z0-9_]+") || branch.equals("main")) {
      throw new IllegalArgumentException(
          "--audit-branch must match [a-z0-9_]+ and not be main: " + branch);
    }
    return new TransformRun(
        spark,
        runId,
        branch,
        arguments.optional("bronze").orElse("bronze"),
        arguments.optional("silver").orElse("silver"),
        arguments.optional("gold").orElse("gold"));
  }

  SparkSession spark() {
    return spark;
  }

  String bronze(String table) {
    return bronze + "." + table;
  }

  String silver(String table) {
    return silver + "." + table;
  }

  String gold(String table) {
    return gold + "." + table;
  }

  String silverNamespace() {
    return silver;
  }

  String goldNamespace() {
    return gold;
  }

  /** The identifier that reads and writes {@code table}'s audit branch in Spark SQL. */
  String onBranch(String table) {
    return table + ".branch_" + auditBranch;
  }

  boolean exists(String table) {
    try {
      return spark.catalog().tableExists(table);
    } catch (RuntimeException e) {
      return false;
    }
  }

  Table load(String table) {
    try {
      Table loaded = Spark3Util.loadIcebergTable(spark, table);
      loaded.refresh();
      return loaded;
    } catch (ParseException | org.apache.spark.sql.catalyst.analysis.NoSuchTableException e) {
      throw new IllegalStateException("cannot load " + table + ": " + e.getMessage(), e);
    }
  }

  /**
   * Creates the audit branch of {@code table} at {@code main}'s head (or at an empty snapshot for a
   * table without one), unless it exists: a rerun of the same run continues on its branch.
   */
  void ensureAuditBranch(String table) {
    Table iceberg = load(table);
    if (iceberg.refs().containsKey(auditBranch)) {
      return;
    }
    Snapshot main = iceberg.currentSnapshot();
    if (main == null) {
      iceberg.manageSnapshots().createBranch(auditBranch).commit();
    } else {
      iceberg.manageSnapshots().createBranch(auditBranch, main.snapshotId()).commit();
    }
  }

  /** The head of {@code table}'s audit branch. */
  long auditHead(String table) {
    SnapshotRef ref = load(table).refs().get(auditBranch);
    if (ref == null) {
      throw new IllegalStateException(table + " has no audit branch " + auditBranch);
    }
    return ref.snapshotId();
  }

  /** The newest snapshot of {@code input} that a write to {@code table}'s audit branch consumed. */
  Optional<Long> consumed(String table, String input) {
    Table iceberg = load(table);
    SnapshotRef ref = iceberg.refs().get(auditBranch);
    if (ref == null) {
      return Optional.empty();
    }
    for (Snapshot snapshot : SnapshotUtil.ancestorsOf(ref.snapshotId(), iceberg::snapshot)) {
      String value = snapshot.summary().get(CONSUMED_PREFIX + input);
      if (value != null) {
        return Optional.of(Long.parseLong(value));
      }
    }
    return Optional.empty();
  }

  /**
   * Runs one write to {@code table}'s audit branch with the run id and {@code consumed} (input
   * table -> snapshot id) in the summary of the snapshot it commits.
   */
  void commit(String table, Map<String, Long> consumed, Runnable write) {
    long before = auditHead(table);
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put(RUN_ID_KEY, runId);
    consumed.forEach((input, id) -> properties.put(CONSUMED_PREFIX + input, Long.toString(id)));
    Callable<Void> callable =
        () -> {
          write.run();
          return null;
        };
    CommitMetadata.withCommitProperties(properties, callable, RuntimeException.class);
    if (auditHead(table) != before) {
      synchronized (this) {
        written.add(table);
      }
    }
  }

  synchronized void report(String key, Object value) {
    summary.put(key, value);
  }

  synchronized void count(String key, long delta) {
    summary.merge(key, delta, (a, b) -> ((Long) a) + ((Long) b));
  }

  /**
   * Runs {@code writes}, each to tables of its own, {@value #PARALLELISM} at once ({@link
   * Concurrently}). Once all are done, a failure is thrown; the writes that succeeded stay
   * committed on the audit branch, as they would have one after another.
   */
  void inParallel(List<Runnable> writes) {
    try {
      Concurrently.run(
          "floe-transform", PARALLELISM, writes.stream().map(Executors::callable).toList());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rows at the head of {@code table}'s audit branch, from its snapshot summary. */
  long auditRows(String table) {
    Table iceberg = load(table);
    Snapshot head = iceberg.snapshot(auditHead(table));
    String total = head.summary().get("total-records");
    return total == null ? 0 : Long.parseLong(total);
  }

  synchronized Map<String, Object> summary() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("run-id", runId);
    out.put("audit-branch", auditBranch);
    out.put("written", String.join(",", written));
    out.putAll(summary);
    return out;
  }
}
