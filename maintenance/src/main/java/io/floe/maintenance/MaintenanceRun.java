package io.floe.maintenance;

import static io.floe.core.text.Counts.counted;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.Namespaces;
import io.floe.catalog.TableRef;
import io.floe.core.alert.Webhook;
import io.floe.core.concurrent.AtOnce;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One pass of scheduled maintenance over some tables: for each table whose trigger is due (or every
 * named table when forced), take its lease, run its policy's operations in order (retain, compact,
 * rewrite manifests, expire, orphans), record every outcome in the run log, release the lease. A
 * failing operation stops that table's run but not the others. Several tables are maintained at
 * once ({@code maintenance.parallelism}); the file groups they rewrite share one bound for the JVM.
 */
public final class MaintenanceRun {
  private static final Logger LOG = LoggerFactory.getLogger(MaintenanceRun.class);

  private final Catalog catalog;
  private final MaintenancePolicy.Policies policies;
  private final List<TableRef> tables = new ArrayList<>();
  private boolean allTables;
  private boolean force;
  private boolean dryRun;
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
  /**
   * Changes nothing: says which tables are due and why, and what each step of their policy would
   * do, each planned against the table as it is now (a real run plans a step after the steps before
   * it). Takes no lease and records no run.
   */
  public MaintenanceRun dryRun() {
    this.dryRun = true;
    return this;
  }

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

  private static final String NOTHING_TO_COMPACT = "nothing to compact";

  /** Floe's own executor, in this JVM; a failed file group fails the step. */
  public static String compactLocally(Table table, MaintenancePolicy policy) {
    CompactionResult r = Maintenance.compact(table).policy(policy).execute();
    if (!r.failures().isEmpty()) {
      throw new IllegalStateException(
          r.failures().size() + " file groups failed: " + r.failures().get(0));
    }
    if (r.plan().groups().isEmpty()) {
      return NOTHING_TO_COMPACT;
    }
    return "%s, %s -> %d"
        .formatted(
            counted(r.committedGroups(), "group"),
            counted(r.rewrittenFiles(), "file"),
            r.addedFiles());
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
    List<TableRef> targets = targets(catalog, tables, allTables, namespace);
    if (dryRun) {
      Optional<RunLog> log = RunLog.existing(catalog, namespace);
      return eachTable(targets, namespace, ref -> preview(ref, log));
    }
    DeletionLedger ledger = DeletionLedger.open(catalog, namespace);
    RunLog log = RunLog.open(catalog, namespace);
    TableLeases leases = TableLeases.open(catalog, namespace);
    return eachTable(
        targets,
        namespace,
        ref -> {
          TableOutcome outcome = runOne(ref, ledger, log, leases);
          return outcome.outcome() == RunLog.Outcome.FAILED ? alert(outcome) : outcome;
        });
  }

  /**
   * The outcome of {@code one} for every target, in the targets' order, with up to the policies'
   * {@code parallelism} tables under way at once; the tables of {@code maintenanceNamespace}
   * (ledger, run log, leases) only once every other table is done, so their own maintenance sees
   * every commit this pass made to them. A table that fails has a failed outcome and the others go
   * on; an exception (the catalog unreachable) is thrown once every table under way is done.
   */
  private List<TableOutcome> eachTable(
      List<TableRef> targets, String maintenanceNamespace, Function<TableRef, TableOutcome> one) {
    Map<String, TableOutcome> outcomes = new HashMap<>();
    for (boolean own : new boolean[] {false, true}) {
      AtOnce.run(
          "floe-maintain",
          policies.parallelism(),
          targets.stream()
              .filter(ref -> ref.namespace().equals(maintenanceNamespace) == own)
              .map(ref -> (Supplier<TableOutcome>) () -> one.apply(ref))
              .toList(),
          outcome -> outcomes.put(outcome.table(), outcome));
    }
    return targets.stream().map(ref -> outcomes.get(ref.toString())).toList();
  }

  /**
   * Posts a failed table to the webhook, if one is set; a webhook that fails does not fail the run,
   * but the outcome says the alert was not sent.
   */
  private TableOutcome alert(TableOutcome failed) {
    if (policies.webhook().isEmpty()) {
      return failed;
    }
    String run = failed.steps().isEmpty() ? "" : " (run " + failed.steps().get(0).runId() + ")";
    try {
      Webhook.post(
          policies.webhook().get(),
          ":x: Floe maintenance FAILED for %s: %s%s"
              .formatted(failed.table(), failed.detail(), run));
    } catch (RuntimeException e) {
      LOG.warn("maintenance webhook failed: {}", e.getMessage(), e);
      return new TableOutcome(
          failed.table(),
          failed.outcome(),
          failed.detail() + "; " + Webhook.notSent(e),
          failed.steps());
    }
    return failed;
  }

  /** A table and its policy, loaded to be maintained. */
  private record Target(Table table, MaintenancePolicy policy) {}

  private Target load(TableRef ref) {
    Table table = catalog.loadTable(ref.toIdentifier());
    return new Target(table, policies.forTable(ref.toString(), table.properties()));
  }

  /**
   * A table that cannot be loaded, or whose policy is broken, fails alone: the run goes on with the
   * others.
   */
  private static TableOutcome couldNotStart(
      TableRef ref, String runId, Instant started, RuntimeException e) {
    LOG.warn("maintenance of {} could not start", ref, e);
    RunLog.Entry failed =
        new RunLog.Entry(
            runId,
            ref.toString(),
            "run",
            RunLog.Outcome.FAILED,
            "could not start: " + e.getMessage(),
            started,
            Instant.now());
    return new TableOutcome(
        ref.toString(), RunLog.Outcome.FAILED, failed.detail(), List.of(failed));
  }

  /** Why the table is due now; empty when no trigger is (always due when triggers are ignored). */
  private Optional<String> due(Target target, Optional<Instant> lastSuccess, Instant now) {
    if (force) {
      return Optional.of("triggers ignored");
    }
    return TriggerCheck.due(
        target.policy().trigger(),
        target.table(),
        lastSuccess,
        now,
        () -> Maintenance.health(target.table(), target.policy()).smallFiles());
  }

  private TableOutcome preview(TableRef ref, Optional<RunLog> log) {
    String name = ref.toString();
    Instant started = Instant.now();
    Target target;
    try {
      target = load(ref);
    } catch (RuntimeException e) {
      return couldNotStart(ref, "dry-run", started, e);
    }
    Optional<String> due = due(target, log.flatMap(l -> l.lastSuccess(name)), started);
    if (due.isEmpty()) {
      return new TableOutcome(name, RunLog.Outcome.SKIPPED, "no trigger is due", List.of());
    }
    List<RunLog.Entry> steps = new ArrayList<>();
    Optional<String> failed = steps("dry-run", name, target, Optional.empty(), steps);
    return new TableOutcome(
        name,
        failed.isEmpty() ? RunLog.Outcome.OK : RunLog.Outcome.FAILED,
        "would run: " + due.get(),
        steps);
  }

  private TableOutcome runOne(TableRef ref, DeletionLedger ledger, RunLog log, TableLeases leases) {
    String name = ref.toString();
    Instant started = Instant.now();
    String runId = DeletionLedger.newRunId(started);
    Target target;
    try {
      target = load(ref);
    } catch (RuntimeException e) {
      TableOutcome failed = couldNotStart(ref, runId, started, e);
      log.record(failed.steps());
      return failed;
    }
    Optional<String> due = due(target, log.lastSuccess(name), started);
    if (due.isEmpty()) {
      return new TableOutcome(name, RunLog.Outcome.SKIPPED, "no trigger is due", List.of());
    }
    Optional<TableLeases.Lease> lease =
        leases.acquire(name, owner, target.policy().leaseDuration());
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
    RunLog.Outcome outcome = RunLog.Outcome.FAILED;
    String detail = "interrupted";
    try {
      Optional<String> failed = steps(runId, name, target, Optional.of(ledger), steps);
      outcome = failed.isEmpty() ? RunLog.Outcome.OK : RunLog.Outcome.FAILED;
      // why it ran, as a dry run says why it would
      detail = failed.orElse("ran: " + due.get());
    } finally {
      steps.add(new RunLog.Entry(runId, name, "run", outcome, detail, started, Instant.now()));
      log.record(steps);
      leases.release(lease.get());
    }
    return new TableOutcome(name, outcome, detail, steps);
  }

  /**
   * Runs the policy's operations in order, adding an entry per step to {@code steps}; without a
   * ledger each step is a dry run and a failed one does not stop the others. Returns what failed.
   */
  private Optional<String> steps(
      String runId,
      String name,
      Target target,
      Optional<DeletionLedger> ledger,
      List<RunLog.Entry> steps) {
    Optional<String> failed = Optional.empty();
    for (Operation operation : Operation.values()) {
      if (!target.policy().operations().contains(operation)) {
        continue;
      }
      Instant begin = Instant.now();
      try {
        String summary = step(operation, target.table(), target.policy(), ledger, compactor);
        steps.add(
            new RunLog.Entry(
                runId, name, key(operation), RunLog.Outcome.OK, summary, begin, Instant.now()));
      } catch (RuntimeException e) {
        LOG.warn("{} of {} failed", operation, name, e);
        String message = String.valueOf(e.getMessage());
        steps.add(
            new RunLog.Entry(
                runId, name, key(operation), RunLog.Outcome.FAILED, message, begin, Instant.now()));
        failed = Optional.of(failed.orElse(key(operation) + " failed: " + message));
        if (ledger.isPresent()) {
          break;
        }
      }
    }
    return failed;
  }

  static String key(Operation operation) {
    return operation.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** One operation on the table; without a ledger, what it would do, changing nothing. */
  private static String step(
      Operation operation,
      Table table,
      MaintenancePolicy policy,
      Optional<DeletionLedger> ledger,
      Compactor compactor) {
    boolean dry = ledger.isEmpty();
    return switch (operation) {
      case RETAIN -> {
        Retention retention = Maintenance.retain(table).policy(policy);
        RetentionResult r = (dry ? retention.dryRun() : retention.ledger(ledger.get())).execute();
        yield (dry ? "would drop %s, rewrite %d" : "dropped %s, rewrote %d")
            .formatted(counted(r.droppedFiles().size(), "file"), r.rewrittenFiles().size());
      }
      case COMPACT -> {
        if (!dry) {
          yield compactor.compact(table, policy);
        }
        // the plan is the same whichever executor would carry it out
        CompactionPlan plan = Maintenance.compact(table).policy(policy).dryRun().execute().plan();
        if (plan.groups().isEmpty()) {
          yield NOTHING_TO_COMPACT;
        }
        yield "would rewrite %s in %s"
            .formatted(
                counted(plan.groups().stream().mapToInt(CompactionPlan.Group::files).sum(), "file"),
                counted(plan.groups().size(), "group"));
      }
      case REWRITE_MANIFESTS -> {
        ManifestRewrite rewrite = Maintenance.rewriteManifests(table).policy(policy);
        ManifestRewriteResult r = (dry ? rewrite.dryRun() : rewrite).execute();
        if (r.manifestsBefore() <= policy.manifestMinCount()) {
          yield "%s, not above manifest-min-count %d"
              .formatted(counted(r.manifestsBefore(), "manifest"), policy.manifestMinCount());
        }
        yield dry
            ? "would rewrite %s".formatted(counted(r.manifestsBefore(), "manifest"))
            : "manifests %d -> %d".formatted(r.manifestsBefore(), r.manifestsAfter());
      }
      case EXPIRE -> {
        Expiry expiry = Maintenance.expire(table).policy(policy);
        ExpiryResult r = (dry ? expiry.dryRun() : expiry.ledger(ledger.get())).execute();
        yield "%s %s, %s %s, horizon %s (%s)"
            .formatted(
                dry ? "would expire" : "expired",
                counted(r.expiredSnapshots().size(), "snapshot"),
                dry ? "delete" : "deleted",
                counted(r.deletedFiles().size(), "file"),
                r.horizon().effective(),
                r.horizon().binding().name());
      }
      case ORPHANS -> {
        OrphanRemoval removal = Maintenance.removeOrphans(table).policy(policy);
        OrphanResult r = (dry ? removal.dryRun() : removal.ledger(ledger.get())).execute();
        yield (dry ? "would quarantine %s, purge %d" : "quarantined %s, purged %d")
            .formatted(counted(r.quarantined().size(), "orphan"), r.purged().size());
      }
    };
  }

  /**
   * The named tables, then with {@code all} every other table of every namespace, nested ones
   * included; the tables of {@code maintenanceNamespace} (ledger, run log, leases) come last, so
   * their own maintenance sees the commits this run made to them. They are maintained like any
   * table: they take a commit per operation and lease, and would otherwise keep every snapshot
   * forever. A table whose namespace level has a dot in its name cannot be named by a reference and
   * is left out.
   */
  static List<TableRef> targets(
      Catalog catalog, List<TableRef> named, boolean all, String maintenanceNamespace) {
    // a table named twice is maintained once
    List<TableRef> targets = new ArrayList<>(new LinkedHashSet<>(named));
    if (all) {
      Set<TableRef> others = new LinkedHashSet<>();
      Set<TableRef> own = new LinkedHashSet<>();
      for (TableRef ref : Namespaces.tables(catalog, why -> LOG.warn("not maintaining {}", why))) {
        (ref.namespace().equals(maintenanceNamespace) ? own : others).add(ref);
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
