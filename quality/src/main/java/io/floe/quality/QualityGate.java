package io.floe.quality;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.exceptions.NoSuchTableException;

/**
 * The quality gate's entry points. Each returns a single-use builder ending in {@code execute()}.
 *
 * <pre>{@code
 * Verdict verdict = QualityGate.check(catalog, table).suite(suite).branch("audit_run1").execute();
 * PublishResult published =
 *     QualityGate.publish(catalog, table).suite(suite).auditBranch("audit_run1").execute();
 * }</pre>
 */
public final class QualityGate {
  private QualityGate() {}

  /** {@code table} from {@code catalog}; a missing one is the caller's error, by name. */
  static Table load(Catalog catalog, TableRef table) {
    try {
      return catalog.loadTable(table.toIdentifier());
    } catch (NoSuchTableException e) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT, "table %s does not exist".formatted(table), e);
    }
  }

  /** Evaluates a suite against one exact snapshot (main's head unless told otherwise). */
  public static CheckBuilder check(Catalog catalog, TableRef table) {
    return new CheckBuilder(catalog, table);
  }

  /**
   * Audits an audit branch's head and, when it passes, fast-forwards main to exactly that snapshot
   * (only if main has not moved since), tags it {@code published-<utc>} and records the verdict.
   */
  public static PublishBuilder publish(Catalog catalog, TableRef table) {
    return new PublishBuilder(catalog, table);
  }

  /** Settings shared by both builders. */
  abstract static class Options<B extends Options<B>> {
    final Catalog catalog;
    final TableRef table;
    Suite suite;
    QualityConfig config = QualityConfig.DEFAULT;
    Optional<Path> reportDirectory = Optional.empty();
    Clock clock = Clock.systemUTC();
    boolean incremental;
    private boolean used;

    Options(Catalog catalog, TableRef table) {
      this.catalog = requireNonNull(catalog, "catalog is null");
      this.table = requireNonNull(table, "table is null");
    }

    abstract B self();

    public B suite(Suite value) {
      this.suite = requireNonNull(value, "suite is null");
      if (!value.table().equals(table)) {
        throw new IllegalArgumentException(
            "the suite is for %s, not %s".formatted(value.table(), table));
      }
      return self();
    }

    /** Results table, parallelism, samples, tag retention and webhook; defaults otherwise. */
    public B config(QualityConfig value) {
      this.config = requireNonNull(value, "config is null");
      return self();
    }

    /** Writes an HTML report per evaluation into {@code directory} (when reports are on). */
    public B reportDirectory(Path directory) {
      this.reportDirectory = Optional.of(directory);
      return self();
    }

    public B clock(Clock value) {
      this.clock = requireNonNull(value, "clock is null");
      return self();
    }

    /**
     * Reuses stored states of the nearest audited ancestor and reads only the files added since,
     * when every snapshot in between appended, rewrote files (a compaction), replaced whole files
     * (a copy-on-write delete, update or overwrite, whose removed files are read too and their rows
     * taken out of the states) or deleted rows by position (a merge-on-read delete, update or
     * merge, whose deleted rows are read from their files and taken out); otherwise, after rows
     * deleted by value, evaluates in full. The verdict's {@link Verdict#basis} says which it was.
     */
    public B incremental() {
      this.incremental = true;
      return self();
    }

    void begin() {
      if (used) {
        throw new IllegalStateException("this builder was already executed; start a new one");
      }
      used = true;
      if (suite == null) {
        throw new IllegalStateException("no suite given; call suite(...) first");
      }
    }

    Table load() {
      return QualityGate.load(catalog, table);
    }

    Evaluation evaluation(ExecutorService pool) {
      return new Evaluation(
          catalog, table, suite, config, store(pool), pool, clock, reportDirectory);
    }

    /**
     * The store, its states and results tables loading on the pool while this thread loads the
     * checked table and reads its manifests: an incremental check leaves the second processor
     * mostly idle until then, and a full scan hardly notices two table loads.
     */
    ResultStore store(ExecutorService pool) {
      ResultStore store = new IcebergResultStore(catalog, config);
      store.preloadStates(pool);
      store.preloadHistory(pool);
      return store;
    }
  }

  /** Builds one evaluation of a suite against a snapshot. */
  public static final class CheckBuilder extends Options<CheckBuilder> {
    private Optional<Long> snapshotId = Optional.empty();
    private Optional<String> branch = Optional.empty();
    private Consumer<Verdict> onVerdict = v -> {};
    private Optional<Table> loaded = Optional.empty();

    CheckBuilder(Catalog catalog, TableRef table) {
      super(catalog, table);
    }

    /**
     * Checks {@code table} as the caller loaded it (from this builder's catalog, as the table), so
     * a caller that loaded it already, to see whether there is anything to check, does not load it
     * again.
     */
    public CheckBuilder loaded(Table table) {
      this.loaded = Optional.of(requireNonNull(table, "table is null"));
      return this;
    }

    @Override
    CheckBuilder self() {
      return this;
    }

    /** Evaluates exactly this snapshot. */
    public CheckBuilder snapshot(long id) {
      this.snapshotId = Optional.of(id);
      return this;
    }

    /** Evaluates the head of this branch (or tag), resolved once at the start. */
    public CheckBuilder branch(String name) {
      this.branch = Optional.of(requireNonNull(name, "branch is null"));
      return this;
    }

    /**
     * Receives the verdict (with its report) as soon as it is known, before the metric history is
     * committed; {@link #execute()} still returns only after that commit.
     */
    public CheckBuilder onVerdict(Consumer<Verdict> listener) {
      this.onVerdict = requireNonNull(listener, "listener is null");
      return this;
    }

    public Verdict execute() {
      begin();
      if (snapshotId.isPresent() && branch.isPresent()) {
        throw new IllegalArgumentException("give a snapshot or a branch, not both");
      }
      // the store loads its tables on the pool while this thread loads the checked table
      Evaluation evaluation = evaluation(EvaluationThreads.pool(config.threads()));
      Table checked = loaded.orElseGet(this::load);
      Snapshot snapshot = resolve(checked);
      Verdict verdict =
          evaluation.evaluate(
              checked,
              snapshot,
              branch.or(() -> snapshotId.isEmpty() ? Optional.of(Refs.MAIN) : Optional.empty()),
              incremental,
              Optional.ofNullable(checked.snapshot(Refs.MAIN)).map(Snapshot::snapshotId));
      return evaluation.finish(verdict, false, onVerdict);
    }

    private Snapshot resolve(Table loaded) {
      if (snapshotId.isPresent()) {
        Snapshot snapshot = loaded.snapshot(snapshotId.get());
        if (snapshot == null) {
          throw new FloeException(
              ErrorCode.INVALID_ARGUMENT,
              "%s has no snapshot %d".formatted(table, snapshotId.get()));
        }
        return snapshot;
      }
      String name = branch.orElse(Refs.MAIN);
      Snapshot snapshot = loaded.snapshot(name);
      if (snapshot == null) {
        throw new FloeException(
            ErrorCode.INVALID_ARGUMENT,
            "%s has no branch or tag '%s' (%s)"
                .formatted(table, name, Refs.describe(loaded.refs())));
      }
      return snapshot;
    }
  }

  /** Builds one publish of an audit branch. */
  public static final class PublishBuilder extends Options<PublishBuilder> {
    private String auditBranch;
    private Runnable beforeSwap = () -> {};

    PublishBuilder(Catalog catalog, TableRef table) {
      super(catalog, table);
    }

    @Override
    PublishBuilder self() {
      return this;
    }

    /** The branch the writer landed its change on, e.g. {@code audit_<run id>}. */
    public PublishBuilder auditBranch(String name) {
      this.auditBranch = requireNonNull(name, "auditBranch is null");
      if (name.equals(Refs.MAIN)) {
        throw new IllegalArgumentException("the audit branch cannot be main");
      }
      return this;
    }

    /** Runs just before main is swapped; tests use it to commit concurrently. */
    PublishBuilder beforeSwap(Runnable hook) {
      this.beforeSwap = requireNonNull(hook, "hook is null");
      return this;
    }

    public PublishResult execute() {
      begin();
      if (auditBranch == null) {
        throw new IllegalStateException("no audit branch given; call auditBranch(...) first");
      }
      Evaluation evaluation = evaluation(EvaluationThreads.pool(config.threads()));
      return new Publisher(
              catalog,
              load(),
              table,
              auditBranch,
              evaluation,
              incremental,
              config,
              clock,
              beforeSwap)
          .publish();
    }
  }

  /** The suites declared for each of {@code tables} that has one. */
  public static List<Suite> suitesFor(
      io.floe.core.config.FloeConfig config, List<TableRef> tables) {
    var all = Suites.load(config);
    return tables.stream().filter(all::containsKey).map(all::get).toList();
  }
}
