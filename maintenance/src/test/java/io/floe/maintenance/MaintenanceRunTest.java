package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.catalog.TableRef;
import io.floe.core.config.FloeConfig;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import io.floe.stack.junit.WebhookReceiver;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LakehouseExtension.class)
class MaintenanceRunTest {

  @Test
  void exactlyOneOfSeveralRacingTakersGetsTheLeaseAndAnExpiredLeaseIsFree(Lakehouse lakehouse)
      throws Exception {
    String namespace = lakehouse.namespace() + "_ops";
    List<RESTCatalog> catalogs = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      catalogs.add(lakehouse.endpoints().catalogConnection().open("lease-" + i));
    }
    TableLeases.open(catalogs.get(0), namespace);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Optional<TableLeases.Lease>>> takes = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        TableLeases leases = TableLeases.open(catalogs.get(i), namespace);
        String owner = "owner-" + i;
        takes.add(
            pool.submit(
                (Callable<Optional<TableLeases.Lease>>)
                    () -> leases.acquire("bronze.raced", owner, Duration.ofMinutes(5))));
      }
      int held = 0;
      for (Future<Optional<TableLeases.Lease>> take : takes) {
        held += take.get().isPresent() ? 1 : 0;
      }
      assertThat(held).isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
    TableLeases leases = TableLeases.open(catalogs.get(0), namespace);
    assertThat(leases.acquire("bronze.raced", "late", Duration.ofMinutes(5))).isEmpty();
    // a holder that crashed: its short lease runs out and the table is free again
    TableLeases.Lease crashed =
        leases.acquire("bronze.crashed", "crashed", Duration.ofMillis(1)).orElseThrow();
    long deadline = System.currentTimeMillis() + 5_000;
    while (!java.time.Instant.now().isAfter(crashed.expiresAt())
        && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    Optional<TableLeases.Lease> next =
        leases.acquire("bronze.crashed", "next", Duration.ofMinutes(5));
    assertThat(next).isPresent();
    leases.release(next.get());
    assertThat(leases.acquire("bronze.crashed", "after-release", Duration.ofMinutes(5)))
        .isPresent();
    for (RESTCatalog catalog : catalogs) {
      catalog.close();
    }
  }

  @Test
  void runsDueTablesRecordsOutcomesAndSkipsWhenNotDueOrLeased(Lakehouse lakehouse)
      throws Exception {
    String ops = lakehouse.namespace() + "_runs";
    String yaml =
        """
        maintenance: {ledger-namespace: %s, min-input-files: 2}
        tables:
          %s.scheduled:
            maintenance: {operations: [compact, rewrite-manifests, expire], triggers: {interval: 1h}}
        """
            .formatted(ops, lakehouse.namespace());
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("run-test")) {
      Table table =
          Fixtures.create(
              catalog,
              lakehouse.namespace(),
              "scheduled",
              Fixtures.byCategory(),
              SortOrder.unsorted());
      for (int i = 0; i < 4; i++) {
        Fixtures.append(table, Fixtures.rows(i * 30L, 30));
      }
      List<String> rows = Fixtures.read(table);
      TableRef ref = new TableRef(lakehouse.namespace(), "scheduled");

      List<MaintenanceRun.TableOutcome> first =
          MaintenanceRun.of(catalog, policies).table(ref).execute();
      assertThat(first)
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.outcome()).isEqualTo(RunLog.Outcome.OK);
                assertThat(o.steps())
                    .extracting(RunLog.Entry::operation)
                    .containsExactly("compact", "rewrite-manifests", "expire", "run");
              });
      assertThat(Fixtures.read(table)).isEqualTo(rows);
      assertThat(Maintenance.health(table, policies.forTable(table)).dataFiles()).isEqualTo(3);

      // the interval has not elapsed
      assertThat(MaintenanceRun.of(catalog, policies).table(ref).execute())
          .singleElement()
          .satisfies(o -> assertThat(o.outcome()).isEqualTo(RunLog.Outcome.SKIPPED));

      TableLeases.open(catalog, ops)
          .acquire(ref.toString(), "someone-else", Duration.ofMinutes(5))
          .orElseThrow();
      assertThat(MaintenanceRun.of(catalog, policies).table(ref).ignoreTriggers().execute())
          .singleElement()
          .satisfies(o -> assertThat(o.detail()).isEqualTo("another run holds the lease"));
      assertThat(RunLog.open(catalog, ops).entries(ref.toString()))
          .extracting(RunLog.Entry::outcome)
          .contains(RunLog.Outcome.OK, RunLog.Outcome.SKIPPED);
    }
  }

  @Test
  void severalTablesAreMaintainedAtOnceAndFloesOwnTablesOnlyAfterThem(Lakehouse lakehouse)
      throws Exception {
    String ops = lakehouse.namespace() + "_together";
    String yaml =
        """
        maintenance: {ledger-namespace: %s, parallelism: 3, operations: [compact]}
        """
            .formatted(ops);
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("together-test")) {
      List<TableRef> refs = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        Table table = Fixtures.byCategory(catalog, lakehouse.namespace(), "together_" + i);
        Fixtures.append(table, Fixtures.rows(0, 10));
        refs.add(new TableRef(lakehouse.namespace(), "together_" + i));
      }
      // the first three to start each wait until all three are under way
      CountDownLatch threeUnderWay = new CountDownLatch(3);
      AtomicInteger underWay = new AtomicInteger();
      AtomicInteger most = new AtomicInteger();
      MaintenanceRun run =
          MaintenanceRun.of(catalog, policies)
              .ignoreTriggers()
              .compactor(
                  (table, policy) -> {
                    most.accumulateAndGet(underWay.incrementAndGet(), Math::max);
                    try {
                      threeUnderWay.countDown();
                      if (!threeUnderWay.await(60, TimeUnit.SECONDS)) {
                        throw new IllegalStateException("three tables were never under way");
                      }
                      return "waited";
                    } catch (InterruptedException e) {
                      throw new IllegalStateException(e);
                    } finally {
                      underWay.decrementAndGet();
                    }
                  });
      // Floe's own run log named first, and maintained last
      RunLog.open(catalog, ops);
      run.table(new TableRef(ops, RunLog.TABLE));
      refs.forEach(run::table);

      List<MaintenanceRun.TableOutcome> outcomes = run.execute();

      assertThat(outcomes)
          .extracting(MaintenanceRun.TableOutcome::table)
          .containsExactly(
              ops + ".runs",
              refs.get(0).toString(),
              refs.get(1).toString(),
              refs.get(2).toString(),
              refs.get(3).toString(),
              refs.get(4).toString());
      assertThat(outcomes.subList(1, 6))
          .allSatisfy(
              o -> {
                assertThat(o.outcome()).isEqualTo(RunLog.Outcome.OK);
                assertThat(o.steps().get(0).detail()).isEqualTo("waited");
              });
      assertThat(most.get()).isEqualTo(3);
      Instant othersDone =
          outcomes.subList(1, 6).stream()
              .map(o -> o.steps().get(o.steps().size() - 1).finishedAt())
              .max(Instant::compareTo)
              .orElseThrow();
      MaintenanceRun.TableOutcome own = outcomes.get(0);
      assertThat(own.outcome()).isEqualTo(RunLog.Outcome.OK);
      // its run entry, last, starts when the table's run started
      assertThat(own.steps().get(own.steps().size() - 1).startedAt()).isAfterOrEqualTo(othersDone);
    }
  }

  @Test
  void tablesCompactedAtOnceKeepTheirRows(Lakehouse lakehouse) throws Exception {
    String ops = lakehouse.namespace() + "_bounded";
    String yaml =
        """
        maintenance:
          ledger-namespace: %s
          parallelism: 3
          operations: [compact]
          min-input-files: 2
        """
            .formatted(ops);
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("bounded-test")) {
      List<Table> tables = new ArrayList<>();
      List<List<String>> rows = new ArrayList<>();
      MaintenanceRun run = MaintenanceRun.of(catalog, policies).ignoreTriggers();
      for (int t = 0; t < 3; t++) {
        Table table = Fixtures.byCategory(catalog, lakehouse.namespace(), "bounded_" + t);
        for (int i = 0; i < 4; i++) {
          Fixtures.append(table, Fixtures.rows(i * 30L, 30));
        }
        tables.add(table);
        rows.add(Fixtures.read(table));
        run.table(new TableRef(lakehouse.namespace(), "bounded_" + t));
      }

      assertThat(run.execute())
          .allSatisfy(
              o -> {
                assertThat(o.outcome()).isEqualTo(RunLog.Outcome.OK);
                assertThat(o.steps().get(0).detail()).startsWith("3 groups, 12 files -> 3");
              });
      for (int t = 0; t < 3; t++) {
        tables.get(t).refresh();
        assertThat(Fixtures.read(tables.get(t))).isEqualTo(rows.get(t));
        assertThat(Maintenance.health(tables.get(t), policies.forTable(tables.get(t))).dataFiles())
            .isEqualTo(3);
      }
    }
  }

  @Test
  void compactionsRunningAtOnceRewriteNoMoreGroupsAtOnceThanOneWould(Lakehouse lakehouse)
      throws Exception {
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("groups-test")) {
      List<Table> tables = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        Table table = Fixtures.byCategory(catalog, lakehouse.namespace(), "groups_" + t);
        for (int i = 0; i < 4; i++) {
          Fixtures.append(table, Fixtures.rows(i * 30L, 30));
        }
        tables.add(table);
      }
      // six compactions of three groups each, each asking for four groups at once, all started
      // together: 18 groups could be under way, but the JVM rewrites only one per core at once
      CountDownLatch start = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(tables.size());
      try {
        List<Future<CompactionResult>> results = new ArrayList<>();
        for (Table table : tables) {
          results.add(
              pool.submit(
                  () -> {
                    start.await();
                    return Maintenance.compact(table)
                        .policy(Policies.of("min-input-files: 2"))
                        .parallelism(4)
                        .execute();
                  }));
        }
        start.countDown();
        for (Future<CompactionResult> result : results) {
          assertThat(result.get().committedGroups()).isEqualTo(3);
        }
      } finally {
        pool.shutdownNow();
      }
      assertThat(GroupRewriter.peakAtOnce()).isBetween(1, GroupRewriter.MAX_AT_ONCE);
    }
  }

  @Test
  void aDryRunSaysWhatWouldRunAndChangesNothing(Lakehouse lakehouse) throws Exception {
    String ops = lakehouse.namespace() + "_preview";
    String yaml =
        """
        maintenance: {ledger-namespace: %s, min-input-files: 2}
        tables:
          %s.previewed:
            maintenance: {operations: [compact, expire], triggers: {interval: 1h}}
        """
            .formatted(ops, lakehouse.namespace());
    MaintenancePolicy.Policies policies =
        MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("preview-test")) {
      Table table =
          Fixtures.create(
              catalog,
              lakehouse.namespace(),
              "previewed",
              Fixtures.byCategory(),
              SortOrder.unsorted());
      for (int i = 0; i < 4; i++) {
        Fixtures.append(table, Fixtures.rows(i * 30L, 30));
      }
      long snapshot = table.currentSnapshot().snapshotId();
      TableRef ref = new TableRef(lakehouse.namespace(), "previewed");

      assertThat(MaintenanceRun.of(catalog, policies).table(ref).dryRun().execute())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.outcome()).isEqualTo(RunLog.Outcome.OK);
                assertThat(o.detail()).isEqualTo("would run: never maintained");
                assertThat(o.steps())
                    .extracting(RunLog.Entry::operation)
                    .containsExactly("compact", "expire");
                assertThat(o.steps().get(0).detail())
                    .isEqualTo("would rewrite 12 files in 3 groups");
                // the snapshots are younger than snapshot-max-age
                assertThat(o.steps().get(1).detail())
                    .startsWith("would expire 0 snapshots, delete 0 files");
              });
      table.refresh();
      assertThat(table.currentSnapshot().snapshotId()).isEqualTo(snapshot);
      assertThat(Maintenance.health(table, policies.forTable(table)).dataFiles()).isEqualTo(12);
      // no lease taken and no run recorded: the maintenance tables were not even created
      assertThat(catalog.tableExists(TableIdentifier.of(ops, RunLog.TABLE))).isFalse();
      assertThat(catalog.tableExists(TableIdentifier.of(ops, TableLeases.TABLE))).isFalse();

      MaintenanceRun.of(catalog, policies).table(ref).execute();
      assertThat(MaintenanceRun.of(catalog, policies).table(ref).dryRun().execute())
          .singleElement()
          .satisfies(o -> assertThat(o.detail()).isEqualTo("no trigger is due"));
      assertThat(
              MaintenanceRun.of(catalog, policies).table(ref).ignoreTriggers().dryRun().execute())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.detail()).isEqualTo("would run: triggers ignored");
                assertThat(o.steps().get(0).detail()).isEqualTo("nothing to compact");
              });
    }
  }

  @Test
  void aTableThatFailsIsPostedToTheWebhookAndTheOthersAreNot(Lakehouse lakehouse) throws Exception {
    try (WebhookReceiver hook = WebhookReceiver.start();
        RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("hook-test")) {
      String yaml =
          """
          maintenance:
            ledger-namespace: %s_hook
            webhook: %s
            operations: [expire]
          """
              .formatted(lakehouse.namespace(), hook.url());
      MaintenancePolicy.Policies policies =
          MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
      Fixtures.create(
          catalog, lakehouse.namespace(), "hooked", Fixtures.byCategory(), SortOrder.unsorted());
      TableRef missing = new TableRef(lakehouse.namespace(), "never_created");

      List<MaintenanceRun.TableOutcome> outcomes =
          MaintenanceRun.of(catalog, policies)
              .table(new TableRef(lakehouse.namespace(), "hooked"))
              .table(missing)
              .execute();

      assertThat(outcomes)
          .extracting(MaintenanceRun.TableOutcome::outcome)
          .containsExactly(RunLog.Outcome.OK, RunLog.Outcome.FAILED);
      assertThat(hook.bodies())
          .singleElement()
          .satisfies(
              body ->
                  assertThat(body)
                      .startsWith("{\"text\":")
                      .contains("Floe maintenance FAILED for " + missing, "could not start"));
      assertThat(outcomes.get(1).detail()).doesNotContain("alert");
    }
  }

  @Test
  void aFailureAlertThatCannotBeSentIsSaidInTheOutcome(Lakehouse lakehouse) throws Exception {
    String closed;
    try (WebhookReceiver hook = WebhookReceiver.start()) {
      closed = hook.url();
    }
    try (RESTCatalog catalog = lakehouse.endpoints().catalogConnection().open("unheard-test")) {
      String yaml =
          """
          maintenance:
            ledger-namespace: %s_unheard
            webhook: %s
            operations: [expire]
          """
              .formatted(lakehouse.namespace(), closed);
      MaintenancePolicy.Policies policies =
          MaintenancePolicy.read(FloeConfig.parse("floe.yaml", yaml, n -> null, Path.of("")));
      TableRef missing = new TableRef(lakehouse.namespace(), "never_made");

      assertThat(MaintenanceRun.of(catalog, policies).table(missing).execute())
          .singleElement()
          .satisfies(
              o -> {
                assertThat(o.outcome()).isEqualTo(RunLog.Outcome.FAILED);
                assertThat(o.detail())
                    .contains("could not start")
                    .contains(
                        "; the failure alert was not sent: webhook " + closed + " unreachable");
              });
    }
  }
}
