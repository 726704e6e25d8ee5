package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of scheduled maintenance over some tables: for each table whose trigger is due (or every
 * named table when forced), take its lease, run its policy's operations in order (retain, compact,
 * rewrite manifests, expire, orphans), record every outcome in the run log, release the lease. A
 * failing operation stops that table's run but not the others.
 */
public final class MaintenanceRun {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRun.class);

  private final Catalog catalog;
  private final MaintenancePolicy.Policies policies;
  private final List<TableRef> tables = new ArrayList<>();
  private boolean allTables;
  private boolean force;
  private String owner = defaultOwner();
  private Compactor compactor = MaintenanceRun::compactLocally;
  private boolean used;

  MaintenanceRun(Catalog catalog, MaintenancePolicy.Policies policies) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.policies = requireNonNull(policies, "policies is null");
  }

  public static MaintenanceRun of(Catalog catalog, MaintenancePolicy.Policies policies) {
    return new MaintenanceRun(catalog, policies);
  }

  public MaintenanceRun table(TableRef table) {
    tables.add(requireNonNull(table, "table is null"));
    return this;
  }

  /**
   * Every table of every namespace in the catalog, maintenance's own (ledger, run log, leases)
   * last.
   */
  public MaintenanceRun allTables() {
    this.allTables = true;
    return this;
  }

  /** Runs even when the trigger is not due (still honouring the lease). */
  public MaintenanceRun ignoreTriggers() {
    this.force = true;
    return this;
  }

  /** Who holds the leases; default {@code host:pid}. */
  public MaintenanceRun owner(String owner) {
    this.owner = requireNonNull(owner, "owner is null");
    return this;
  }

  /**
   * Runs a table's compaction and says what it did in one line; fails by throwing. The default,
   * {@link #compactLocally}, rewrites in this JVM; the {@code floe} command passes one that sends
   * tables whose policy says {@code compaction-executor: spark} to a Spark job.
   */
  @FunctionalInterface
  public interface Compactor {
    String compact(Table table, MaintenancePolicy policy);
  }

  /** Who compacts; default {@link #compactLocally}. */
  public MaintenanceRun compactor(Compactor compactor) {
    this.compactor = requireNonNull(compactor, "compactor is null");
    return this;
  }

  /** Floe's own executor, in this JVM; a failed file group fails the step. */
  public static String compactLocally(Table table, MaintenancePolicy policy) {
    CompactionResult r = Maintenance.compact(table).policy(policy).execute();
    if (!r.failures().isEmpty()) {
      throw new IllegalStateException(
          r.failures().size() + " file groups failed: " + r.failures().get(0));
    }
    return "%d groups, %d files -> %d"
        .formatted(r.committedGroups(), r.rewrittenFiles(), r.addedFiles());
  }

  /** What happened to one table. */
  public record TableOutcome(
      String table, RunLog.Outcome outcome, String detail, List<RunLog.Entry> steps) {
    public TableOutcome {
      requireNonNull(table, "table is null");
      requireNonNull(outcome, "outcome is null");
      requireNonNull(detail, "detail is null");
      steps = List.copyOf(steps);
    }
  }

  public List<TableOutcome> execute() {
    if (used) {
      throw new IllegalStateException("a MaintenanceRun runs once; start a new one");
    }
    used = true;
    String namespace = policies.ledgerNamespace();
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    RunLog log = RunLog.open(catalog, namespace);
    TableLeases leases = TableLeases.open(catalog, namespace);
    List<TableOutcome> outcomes = new ArrayList<>();
    for (TableRef ref : targets(catalog, tables, allTables, namespace)) {
      outcomes.add(runOne(ref, ledger, log, leases));
    }
    return outcomes;
  }

  private TableOutcome runOne(TableRef ref, DeletionLedger ledger, RunLog log, TableLeases leases) {
    String name = ref.toString();
    Instant started = Instant.now();
    String runId = DeletionLedger.newRunId(started);
    Table table;
    MaintenancePolicy policy;
    try {
      table = catalog.loadTable(ref.toIdentifier());
      policy = policies.forTable(name, table.properties());
    } catch (RuntimeException e) {
      // one table that cannot be loaded, or whose policy is broken, fails alone: the run goes on
      // with the others
      LOG.warn("maintenance of {} could not start", name, e);
      RunLog.Entry failed =
          new RunLog.Entry(
              runId,
              name,
              "run",
              RunLog.Outcome.FAILED,
              "could not start: " + e.getMessage(),
              started,
              Instant.now());
      log.record(List.of(failed));
      return new TableOutcome(name, RunLog.Outcome.FAILED, failed.detail(), List.of(failed));
    }
    if (!force) {
      Optional<String> due =
          TriggerCheck.due(
              policy.trigger(),
              table,
              log.lastSuccess(name),
              started,
              () -> Maintenance.health(table, policy).smallFiles());
      if (due.isEmpty()) {
        return new TableOutcome(name, RunLog.Outcome.SKIPPED, "no trigger is due", List.of());
      }
    }
    Optional<TableLeases.Lease> lease = leases.acquire(name, owner, policy.leaseDuration());
    if (lease.isEmpty()) {
      RunLog.Entry skipped =
          new RunLog.Entry(
              runId,
              name,
              "run",
              RunLog.Outcome.SKIPPED,
              "another run holds the lease",
              started,
              Instant.now());
      log.record(List.of(skipped));
      return new TableOutcome(name, RunLog.Outcome.SKIPPED, skipped.detail(), List.of(skipped));
    }
    List<RunLog.Entry> steps = new ArrayList<>();
    RunLog.Outcome outcome = RunLog.Outcome.OK;
    String detail = "ok";
    try {
      for (Operation operation : Operation.values()) {
        if (!policy.operations().contains(operation)) {
          continue;
        }
        Instant begin = Instant.now();
        try {
          String summary = run(operation, table, policy, ledger, compactor);
          steps.add(
              new RunLog.Entry(
                  runId, name, key(operation), RunLog.Outcome.OK, summary, begin, Instant.now()));
        } catch (RuntimeException e) {
          LOG.warn("{} of {} failed", operation, name, e);
          String message = String.valueOf(e.getMessage());
          steps.add(
              new RunLog.Entry(
                  runId,
                  name,
                  key(operation),
                  RunLog.Outcome.FAILED,
                  message,
                  begin,
                  Instant.now()));
          outcome = RunLog.Outcome.FAILED;
          detail = key(operation) + " failed: " + message;
          break;
        }
      }
    } finally {
      steps.add(new RunLog.Entry(runId, name, "run", outcome, detail, started, Instant.now()));
      log.record(steps);
      leases.release(lease.get());
    }
    return new TableOutcome(name, outcome, detail, steps);
  }

  static String key(Operation operation) {
    return operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  private static String run(
      Operation operation,
      Table table,
      MaintenancePolicy policy,
      DeletionLedger ledger,
      Compactor compactor) {
    return switch (operation) {
      case RETAIN -> {
        RetentionResult r = Maintenance.retain(table).policy(policy).ledger(ledger).execute();
        yield "dropped %d files, rewrote %d"
            .formatted(r.droppedFiles().size(), r.rewrittenFiles().size());
      }
      case COMPACT -> compactor.compact(table, policy);
      case REWRITE_MANIFESTS -> {
        ManifestRewriteResult r = Maintenance.rewriteManifests(table).policy(policy).execute();
        yield "manifests %d -> %d".formatted(r.manifestsBefore(), r.manifestsAfter());
      }
      case EXPIRE -> {
        ExpiryResult r = Maintenance.expire(table).policy(policy).ledger(ledger).execute();
        yield "expired %d snapshots, deleted %d files, horizon %s (%s)"
            .formatted(
                r.expiredSnapshots().size(),
                r.deletedFiles().size(),
                r.horizon().effective(),
                r.horizon().binding().name());
      }
      case ORPHANS -> {
        OrphanResult r = Maintenance.removeOrphans(table).policy(policy).ledger(ledger).execute();
        yield "quarantined %d orphans, purged %d"
            .formatted(r.quarantined().size(), r.purged().size());
      }
    };
  }

  /**
   * The named tables, then with {@code all} every other table of every one-level namespace; the
   * tables of {@code maintenanceNamespace} (ledger, run log, leases) come last, so their own
   * maintenance sees the commits this run made to them. They are maintained like any table: they
   * take a commit per operation and lease, and would otherwise keep every snapshot forever.
   */
  static List<TableRef> targets(
      Catalog catalog, List<TableRef> named, boolean all, String maintenanceNamespace) {
    List<TableRef> targets = new ArrayList<>(named);
    if (all && catalog instanceof SupportsNamespaces namespaces) {
      Set<TableRef> others = new LinkedHashSet<>();
      Set<TableRef> own = new LinkedHashSet<>();
      for (Namespace namespace : namespaces.listNamespaces()) {
        if (namespace.levels().length != 1) {
          continue;
        }
        boolean maintenance = namespace.level(0).equals(maintenanceNamespace);
        for (TableIdentifier id : catalog.listTables(namespace)) {
          (maintenance ? own : others).add(new TableRef(namespace.level(0), id.name()));
        }
      }
      others.addAll(own);
      others.removeAll(new LinkedHashSet<>(named));
      targets.addAll(others);
    }
    return targets;
  }

  private static String defaultOwner() {
    return ManagementFactory.getRuntimeMXBean().getName();
  }
}
