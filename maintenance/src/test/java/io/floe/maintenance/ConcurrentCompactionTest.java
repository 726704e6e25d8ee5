package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrder;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Compaction while another writer appends, position-deletes and equality-deletes on main: after
 * every round the table holds exactly the rows the writer believes it holds (no loss, no
 * resurrection; apache/iceberg#10312).
 */
@ExtendWith(LakehouseExtension.class)
class ConcurrentCompactionTest {

  @Test
  void rowsStayExactlyRightWhileAnotherWriterAppendsAndDeletes(Lakehouse lakehouse)
      throws Exception {
    try (RESTCatalog catalog =
            lakehouse.endpoints().catalogConnection().open("concurrent-compaction");
        RESTCatalog writerCatalog =
            lakehouse.endpoints().catalogConnection().open("concurrent-writer")) {
      Table table =
          Fixtures.create(
              catalog, lakehouse.namespace(), "busy", Fixtures.byCategory(), SortOrder.unsorted());
      Map<Long, String> expected = new ConcurrentHashMap<>();
      long nextId = 0;
      for (int batch = 0; batch < 8; batch++) {
        List<Record> rows = Fixtures.rows(nextId, 30);
        Fixtures.append(table, rows);
        rows.forEach(r -> expected.put((Long) r.getField("id"), Fixtures.format(r)));
        nextId += 30;
      }
      Table writerTable =
          writerCatalog.loadTable(
              org.apache.iceberg.catalog.TableIdentifier.of(lakehouse.namespace(), "busy"));
      AtomicInteger conflicts = new AtomicInteger();
      int totalRetries = 0;
      int committedGroups = 0;
      for (int round = 0; round < 5; round++) {
        Writer writer =
            new Writer(
                writerTable, expected, nextId + round * 100_000L, new Random(round), conflicts);
        Thread thread = new Thread(writer, "writer-" + round);
        thread.start();
        writer.awaitFirstCommit();
        CompactionResult result = Maintenance.compact(table).policy(CompactionTest.SMALL).execute();
        writer.stop();
        thread.join();
        assertThat(writer.failure.get()).isNull();
        totalRetries += result.retries();
        committedGroups += result.committedGroups();
        List<String> want = new ArrayList<>(expected.values());
        want.sort(null);
        assertThat(Fixtures.read(table)).as("round %d", round).isEqualTo(want);
        assertThat(result.failures()).isEmpty();
      }
      assertThat(committedGroups).isPositive();
      // the writer and compaction really did race: at least one side had to retry
      assertThat(totalRetries + conflicts.get()).isPositive();
    }
  }

  /** Appends, position-deletes and equality-deletes on main until stopped, tracking live rows. */
  private static final class Writer implements Runnable {
    private final Table table;
    private final Map<Long, String> expected;
    private final Random random;
    private final AtomicInteger conflicts;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private final AtomicInteger commits = new AtomicInteger();
    final AtomicReference<Throwable> failure = new AtomicReference<>();
    private long nextId;

    Writer(
        Table table,
        Map<Long, String> expected,
        long firstId,
        Random random,
        AtomicInteger conflicts) {
      this.table = table;
      this.expected = expected;
      this.nextId = firstId;
      this.random = random;
      this.conflicts = conflicts;
    }

    void stop() {
      stopped.set(true);
    }

    void awaitFirstCommit() throws InterruptedException {
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (commits.get() == 0 && failure.get() == null && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        Thread.sleep(5);
      }
    }

    @Override
    public void run() {
      try {
        while (!stopped.get() || commits.get() < 3) {
          switch (random.nextInt(3)) {
            case 0 -> append();
            case 1 -> deletePosition();
            default -> deleteEquality();
          }
        }
      } catch (Throwable e) {
        failure.set(e);
      }
    }

    private void append() {
      List<Record> rows = Fixtures.rows(nextId, 6);
      nextId += 6;
      Fixtures.append(table, rows);
      rows.forEach(r -> expected.put((Long) r.getField("id"), Fixtures.format(r)));
      commits.incrementAndGet();
    }

    private void deletePosition() {
      table.refresh();
      long base = table.currentSnapshot().snapshotId();
      List<DataFile> files = new ArrayList<>();
      try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
        tasks.forEach(t -> files.add(t.file()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      DataFile file = files.get(random.nextInt(files.size()));
      List<Long> ids = idsByPosition(file);
      long position = random.nextInt(ids.size());
      try {
        table
            .newRowDelta()
            .addDeletes(Fixtures.deletePositions(table, file, List.of(position)))
            .validateFromSnapshot(base)
            .validateDataFilesExist(List.of(file.location()))
            .validateDeletedFiles()
            .commit();
      } catch (ValidationException | CommitFailedException e) {
        conflicts.incrementAndGet();
        return;
      }
      expected.remove(ids.get((int) position));
      commits.incrementAndGet();
    }

    private void deleteEquality() {
      List<Long> live = new ArrayList<>(expected.keySet());
      long id = live.get(random.nextInt(live.size()));
      String category = Fixtures.CATEGORIES[(int) (id % Fixtures.CATEGORIES.length)];
      table.newRowDelta().addDeletes(Fixtures.deleteIds(table, category, List.of(id))).commit();
      expected.remove(id);
      commits.incrementAndGet();
    }

    /** The ids in a data file in file order, deleted or not. */
    private List<Long> idsByPosition(DataFile file) {
      Schema schema = table.schema();
      List<Long> ids = new ArrayList<>();
      try (CloseableIterable<Record> rows =
          Parquet.read(table.io().newInputFile(file))
              .project(schema)
              .createReaderFunc(s -> GenericParquetReaders.buildReader(schema, s))
              .build()) {
        rows.forEach(r -> ids.add((Long) r.getField("id")));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return ids;
    }
  }
}
