package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.core.process.JavaRuntimes;
import io.floe.core.process.ParentWatchdog;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * kill -9 in the middle of compaction, expiry (of a table, and of the deletion ledger itself, which
 * records into the table it trims), orphan removal and retention: each operation runs in a child
 * JVM that stops before its Nth side effect (file written, file deleted, commit; N drawn at random
 * within the operation's span, seed printed and settable with {@code -Dfloe.kill.seed}) and is then
 * killed with SIGKILL. Afterwards every snapshot is readable, the rows are what they were (or, for
 * retention, between the old and the retained rows), a rerun completes, and no intent is left open
 * in the deletion ledger.
 */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KillNineTest {
  private static final int ROUNDS = 2;
  private static final Duration CHILD_TIMEOUT = Duration.ofMinutes(4);

  private final long seed = Long.getLong("floe.kill.seed", System.nanoTime());
  private final Random random = new Random(seed);
  private RESTCatalog catalog;
  private Lakehouse lakehouse;
  private DeletionLedger ledger;
  private Path connection;

  @BeforeAll
  void open(Lakehouse lakehouse) throws Exception {
    System.out.println("KillNineTest seed " + seed + " (-Dfloe.kill.seed=" + seed + ")");
    this.lakehouse = lakehouse;
    this.catalog = lakehouse.endpoints().catalogConnection().open("kill-test");
    this.ledger = DeletionLedger.open(catalog, ledgerNamespace());
    Files.createDirectories(Path.of("target", "kill-nine"));
    this.connection = Path.of("target", "kill-nine", "connection.properties").toAbsolutePath();
    KillableRun.write(lakehouse.endpoints().catalogConnection(), connection);
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void compactionKilledMidwayLosesAndResurrectsNothing() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Table table = table("compact_" + round);
      for (int batch = 0; batch < 8; batch++) {
        Fixtures.append(table, Fixtures.rows(batch * 30L, 30));
      }
      DataFile first = CompactionTest.firstFile(table, "books");
      table.newRowDelta().addDeletes(Fixtures.deletePositions(table, first, List.of(0L))).commit();
      List<String> rows = Fixtures.read(table);

      killMidway("compact", table, round);

      assertReadable(table, rows);
      KillScenarios.run("compact", table, ledger);
      assertReadable(table, rows);
      assertThat(Maintenance.health(table, KillScenarios.COMPACT).dataFiles()).isEqualTo(3);
    }
  }

  @Test
  void expiryKilledMidwayKeepsEveryReferencedFileAndSettlesItsIntents() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Table table = table("expire_" + round);
      List<DataFile> first = Fixtures.append(table, Fixtures.rows(0, 30));
      table.manageSnapshots().createTag("v1", table.currentSnapshot().snapshotId()).commit();
      List<DataFile> second = Fixtures.append(table, Fixtures.rows(30, 30));
      var delete = table.newDelete();
      second.forEach(delete::deleteFile);
      delete.commit();
      table.manageSnapshots().createBranch("dev", table.currentSnapshot().snapshotId()).commit();
      Fixtures.append(table, "dev", Fixtures.rows(100, 30));
      for (int batch = 0; batch < 4; batch++) {
        List<DataFile> files = Fixtures.append(table, Fixtures.rows(200 + batch * 30L, 30));
        var drop = table.newDelete();
        files.forEach(drop::deleteFile);
        drop.commit();
      }
      Fixtures.append(table, Fixtures.rows(400, 30));
      Map<String, List<String>> refs = rowsPerRef(table);
      assertThat(first).isNotEmpty();

      killMidway("expire", table, round);

      assertThat(rowsPerRef(table)).isEqualTo(refs);
      KillScenarios.run("expire", table, ledger);
      assertThat(rowsPerRef(table)).isEqualTo(refs);
      assertReadable(table, refs.get("main"));
      assertExpirySettled(table, ledger);
    }
  }

  @Test
  void expiryOfTheLedgerItselfKilledMidwayKeepsItsRowsAndSettlesInItself() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      // a ledger of its own, which expiry both trims and records into
      String namespace = lakehouse.namespace() + "_self_" + round;
      DeletionLedger self = DeletionLedger.open(catalog, namespace);
      for (int i = 0; i < 10; i++) {
        self.record(List.of(Fixtures.ledgerEntry("db.logged", i)));
      }
      Table table = catalog.loadTable(TableIdentifier.of(namespace, DeletionLedger.TABLE));

      killMidway("expire", namespace, DeletionLedger.TABLE, namespace, 24, round);

      assertThat(self.history("db.logged")).hasSize(10);
      Fixtures.assertReferencedFilesExist(table);
      KillScenarios.run("expire", table, self);
      assertThat(self.history("db.logged")).hasSize(10);
      assertExpirySettled(table, self);
    }
  }

  /**
   * No intent of the table's expiry is left open, and the files it deleted are gone and no snapshot
   * references them.
   */
  private static void assertExpirySettled(Table table, DeletionLedger ledger) {
    List<LedgerEntry> latest = ledger.latest(TableNames.of(table));
    assertNoOpenIntents(latest);
    List<String> deleted =
        latest.stream()
            .filter(e -> e.state() == LedgerEntry.State.DELETED)
            .map(LedgerEntry::path)
            .toList();
    assertThat(deleted).isNotEmpty().doesNotContainAnyElementsOf(Fixtures.referenced(table));
    for (String path : deleted) {
      assertThat(table.io().newInputFile(path).exists()).as(path).isFalse();
    }
  }

  @Test
  void orphanRemovalKilledMidwayCanBeRestoredAndRerun() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Table table = table("orphans_" + round);
      Fixtures.append(table, Fixtures.rows(0, 30));
      Fixtures.append(table, Fixtures.rows(30, 30));
      List<String> rows = Fixtures.read(table);
      Set<String> abandoned =
          Fixtures.write(table, Fixtures.rows(1000, 60)).stream()
              .map(DataFile::location)
              .collect(Collectors.toSet());
      abandoned.addAll(
          Fixtures.write(table, Fixtures.rows(2000, 60)).stream().map(DataFile::location).toList());

      killMidway("orphans", table, round);
      assertReadable(table, rows);

      // restore finds every file the killed run moved, recorded as quarantined or not
      Maintenance.restoreOrphans(table).ledger(ledger).execute();
      for (String path : abandoned) {
        assertThat(table.io().newInputFile(path).exists()).as(path).isTrue();
      }
      assertNoOpenIntents(ledger.latest(TableNames.of(table)));

      KillScenarios.run("orphans", table, ledger);
      assertReadable(table, rows);
      List<LedgerEntry> quarantined =
          ledger.inState(TableNames.of(table), LedgerEntry.State.QUARANTINED);
      assertThat(quarantined)
          .extracting(LedgerEntry::path)
          .containsExactlyInAnyOrderElementsOf(abandoned);
      for (LedgerEntry entry : quarantined) {
        assertThat(table.io().newInputFile(entry.path()).exists()).isFalse();
        assertThat(table.io().newInputFile(entry.quarantinePath().orElseThrow()).exists()).isTrue();
      }
      assertNoOpenIntents(ledger.latest(TableNames.of(table)));
    }
  }

  @Test
  void retentionKilledMidwayDropsOnlyExpiredRows() throws Exception {
    for (int round = 0; round < ROUNDS; round++) {
      Table table = table("retain_" + round);
      // 48 rows entirely before the cutoff (whole files, a metadata delete), then files that
      // straddle it (rewritten)
      Fixtures.append(table, Fixtures.rows(0, 45));
      List<Record> straddling = Fixtures.rows(40, 80);
      Fixtures.append(table, straddling);
      List<String> rows = Fixtures.read(table);
      OffsetDateTime cutoff =
          KillScenarios.RETAIN_NOW
              .minus(KillScenarios.SEVEN_DAYS.maxAge())
              .atOffset(java.time.ZoneOffset.UTC);
      List<String> kept = new ArrayList<>();
      List<Record> all = new ArrayList<>(Fixtures.rows(0, 45));
      all.addAll(straddling);
      for (Record row : all) {
        if (!((OffsetDateTime) row.getField("ts")).isBefore(cutoff)) {
          kept.add(Fixtures.format(row));
        }
      }
      kept.sort(null);
      assertThat(kept).isNotEmpty().hasSizeLessThan(rows.size());

      killMidway("retain", table, round);

      List<String> afterKill = Fixtures.read(table);
      assertThat(rows).containsAll(afterKill);
      assertThat(afterKill).containsAll(kept);
      assertThat(afterKill.size()).isBetween(kept.size(), rows.size());
      KillScenarios.run("retain", table, ledger);
      assertReadable(table, kept);
      assertNoOpenIntents(ledger.latest(TableNames.of(table)));
      assertThat(ledger.inState(TableNames.of(table), LedgerEntry.State.DEREFERENCED)).isNotEmpty();
    }
  }

  /** Runs {@code operation} in a child JVM and kills it with SIGKILL before a random event. */
  private void killMidway(String operation, Table table, int round) throws Exception {
    killMidway(
        operation,
        lakehouse.namespace(),
        tableName(table),
        ledgerNamespace(),
        SPANS.get(operation),
        round);
  }

  /**
   * Runs {@code operation} on {@code namespace.name} in a child JVM, with the ledger in {@code
   * ledgerNamespace}, and kills it with SIGKILL before a random one of about {@code span} events.
   */
  private void killMidway(
      String operation, String namespace, String name, String ledgerNamespace, int span, int round)
      throws Exception {
    // one kill in the first half of the run, one in the second
    int pauseAt =
        round % 2 == 0 ? 1 + random.nextInt(span / 2) : span / 2 + 1 + random.nextInt(span / 2);
    Path log = Path.of("target", "kill-nine", namespace + "." + name + ".log").toAbsolutePath();
    // S3FileIO stages each file it writes under the temporary directory and deletes it on close:
    // a killed child leaves its staged files behind, under target/ rather than the machine's /tmp
    Path staging = Files.createDirectories(Path.of("target", "kill-nine", "tmp")).toAbsolutePath();
    List<String> command =
        List.of(
            JavaRuntimes.current().resolve("bin").resolve("java").toString(),
            "-Xmx384m",
            "-Djava.io.tmpdir=" + staging,
            "-XX:TieredStopAtLevel=1",
            "-cp",
            System.getProperty("java.class.path"),
            ParentWatchdog.class.getName(),
            KillableRun.class.getName(),
            connection.toString(),
            operation,
            namespace,
            name,
            ledgerNamespace,
            Integer.toString(pauseAt));
    Process child =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    List<String> lines = new ArrayList<>();
    CompletableFuture<String> stop =
        CompletableFuture.supplyAsync(
            (Supplier<String>)
                () -> {
                  try (BufferedReader out =
                      new BufferedReader(
                          new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = out.readLine()) != null) {
                      lines.add(line);
                      if (line.startsWith(PausingTable.PAUSED) || line.startsWith("DONE")) {
                        return line;
                      }
                    }
                    return "EOF";
                  } catch (java.io.IOException e) {
                    return "EOF " + e;
                  }
                });
    String reached;
    try {
      reached = stop.get(CHILD_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } finally {
      child.destroyForcibly();
      child.waitFor(30, TimeUnit.SECONDS);
      Files.write(log, lines, java.nio.file.StandardOpenOption.APPEND);
    }
    System.out.printf(
        "kill -9 %s round %d at event %d/%d: %s%n", operation, round, pauseAt, span, reached);
    assertThat(reached).as("child output, see %s", log).matches("(PAUSED|DONE).*");
  }

  /**
   * Roughly how many events each operation has on these fixtures, so kills spread over the run (a
   * kill drawn past the end finds the child done, which is a valid round too).
   */
  private static final Map<String, Integer> SPANS =
      Map.of("compact", 18, "expire", 40, "orphans", 24, "retain", 20);

  private Table table(String name) {
    return Fixtures.create(
        catalog, lakehouse.namespace(), name, Fixtures.byCategory(), SortOrder.unsorted());
  }

  private String ledgerNamespace() {
    return lakehouse.namespace() + "_ledger";
  }

  /** Main's rows are {@code rows} and every file any snapshot references is there. */
  private void assertReadable(Table table, List<String> rows) {
    Table fresh = catalog.loadTable(TableIdentifier.of(lakehouse.namespace(), tableName(table)));
    assertThat(Fixtures.read(fresh)).isEqualTo(rows);
    Fixtures.assertReferencedFilesExist(fresh);
    table.refresh();
  }

  private static String tableName(Table table) {
    return table.name().substring(table.name().lastIndexOf('.') + 1);
  }

  private static void assertNoOpenIntents(List<LedgerEntry> latest) {
    assertThat(latest)
        .as("latest ledger line per run and path")
        .noneMatch(e -> e.state() == LedgerEntry.State.INTENT);
  }

  private static Map<String, List<String>> rowsPerRef(Table table) {
    table.refresh();
    Map<String, List<String>> rows = new HashMap<>();
    for (Map.Entry<String, SnapshotRef> ref : table.refs().entrySet()) {
      rows.put(ref.getKey(), Fixtures.read(table, ref.getValue().snapshotId()));
    }
    return rows;
  }
}
