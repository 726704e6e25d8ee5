package io.floe.quality;

import io.floe.catalog.TableRef;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One evaluation's life: audit the snapshot, record the results, write the report, alert. */
final class Evaluation {
  private static final Logger LOG = LoggerFactory.getLogger(Evaluation.class);

  private final Catalog catalog;
  private final TableRef ref;
  private final Suite suite;
  private final QualityConfig config;
  private final ResultStore store;
  private final ExecutorService pool;
  private final Clock clock;
  private final Optional<Path> reportDirectory;
  private Optional<SnapshotAudit> audit = Optional.empty();

  Evaluation(
      Catalog catalog,
      TableRef ref,
      Suite suite,
      QualityConfig config,
      ResultStore store,
      ExecutorService pool,
      Clock clock,
      Optional<Path> reportDirectory) {
    this.catalog = catalog;
    this.ref = ref;
    this.suite = suite;
    this.config = config;
    this.store = store;
    this.pool = pool;
    this.clock = clock;
    this.reportDirectory = reportDirectory;
  }

  Suite suite() {
    return suite;
  }

  Verdict evaluate(
      Table table,
      Snapshot snapshot,
      Optional<String> branch,
      boolean incremental,
      Optional<Long> published) {
    SnapshotAudit audit =
        new SnapshotAudit(catalog, table, ref, config, suite.sampleColumns(), store, pool, clock);
    this.audit = Optional.of(audit);
    List<CheckResult> results = audit.evaluate(suite.checks(), snapshot, incremental, published);
    return new Verdict(
        ref,
        snapshot.snapshotId(),
        branch,
        suite.hash(),
        clock.instant(),
        results,
        audit.basis(),
        Optional.empty(),
        List.of());
  }

  /** Records the verdict, writes its report and alerts on failure; returns it with the report. */
  Verdict finish(Verdict verdict, boolean published) {
    return finish(verdict, published, v -> {});
  }

  /**
   * Like {@link #finish(Verdict, boolean)}, handing the reported verdict to {@code ready} before
   * the history commit, so a caller can show it without waiting for the write.
   */
  Verdict finish(Verdict verdict, boolean published, Consumer<Verdict> ready) {
    Verdict reported = verdict;
    if (config.reports() && reportDirectory.isPresent()) {
      reported =
          verdict.withReport(
              HtmlReport.write(verdict, reportDirectory.get(), config.reportsKept()).toString());
    }
    ready.accept(reported);
    // the states file and the history append are independent writes: overlap them, and return
    // only when both are done
    Future<?> states = audit.isPresent() ? pool.submit(() -> saveStates(audit.get())) : null;
    try {
      store.record(verdict, published);
    } catch (RuntimeException e) {
      // the verdict stands, and a snapshot that passed may already be on main: a history that
      // could not be written (its commit lost every retry, its store failed) is said beside the
      // verdict, not in its place
      LOG.warn("recording the evaluation in {} failed", config.resultsTable(), e);
      reported =
          reported.withWarning(
              "the metric history %s did not record this evaluation: %s"
                  .formatted(config.resultsTable(), SnapshotAudit.oneLine(e)));
    } finally {
      if (states != null) {
        awaitStates(states);
      }
    }
    if (!verdict.passed() && config.webhook().isPresent()) {
      try {
        Webhook.post(config.webhook().get(), reported);
      } catch (RuntimeException e) {
        // an unreachable alert channel must not hide the verdict itself; the caller says it
        LOG.warn("webhook {} failed: {}", config.webhook().get(), e.getMessage(), e);
        return reported.withWarning(io.floe.core.alert.Webhook.notSent(e));
      }
    }
    return reported;
  }

  private static void awaitStates(Future<?> states) {
    try {
      states.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while storing incremental states", e);
    } catch (ExecutionException e) {
      // saveStates catches its own failures; anything else is a bug worth seeing
      throw new IllegalStateException(e.getCause());
    }
  }

  private static void saveStates(SnapshotAudit audit) {
    try {
      audit.saveStates();
    } catch (RuntimeException e) {
      // unsaved states only mean the next incremental run evaluates in full
      LOG.warn("storing incremental states failed: {}", e.getMessage(), e);
    }
  }
}
