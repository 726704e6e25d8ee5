package io.floe.maintenance;

import io.floe.catalog.ForwardingTableOperations;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.iceberg.BaseTable;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.io.DelegateFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.SupportsBulkOperations;
import org.apache.iceberg.io.SupportsPrefixOperations;

/**
 * A table whose every side effect (file created, file deleted, metadata commit) is an event counted
 * on standard output; before event {@code pauseAt} the process announces {@code PAUSED} and stops
 * there for good, so a parent can kill it with the side effects up to that point done and none
 * after. Bulk deletes count one event per file, so a kill can land in the middle of a batch.
 */
final class PausingTable {
  static final String PAUSED = "PAUSED";

  private final PrintStream out;
  private final int pauseAt;
  private final AtomicInteger events = new AtomicInteger();

  /** Hooks that count events across every table they wrap; {@code pauseAt} 0 never pauses. */
  PausingTable(PrintStream out, int pauseAt) {
    this.out = out;
    this.pauseAt = pauseAt;
  }

  Table wrap(Table table) {
    TableOperations ops = ((HasTableOperations) table).operations();
    return new BaseTable(new Ops(ops, new Io(ops.io())), table.name());
  }

  private synchronized void event(String kind, String what) {
    int n = events.incrementAndGet();
    if (n == pauseAt) {
      out.println(PAUSED + " " + n + " before " + kind + " " + what);
      out.flush();
      while (true) {
        try {
          Thread.sleep(60_000);
        } catch (InterruptedException e) {
          // stay here until killed
        }
      }
    }
    out.println("EVENT " + n + " " + kind + " " + what);
  }

  private final class Ops extends ForwardingTableOperations {
    private final FileIO io;

    Ops(TableOperations delegate, FileIO io) {
      super(delegate);
      this.io = io;
    }

    @Override
    public void commit(TableMetadata base, TableMetadata metadata) {
      event("commit", metadata.currentSnapshot() == null ? "-" : "" + metadata.snapshots().size());
      delegate.commit(base, metadata);
    }

    @Override
    public FileIO io() {
      return io;
    }

    /**
     * As the interface's default: a transaction asks these operations, not the delegate's temporary
     * ones, for its metadata locations.
     */
    @Override
    public TableOperations temp(TableMetadata uncommittedMetadata) {
      return this;
    }
  }

  private final class Io implements DelegateFileIO {
    private final FileIO delegate;

    Io(FileIO delegate) {
      this.delegate = delegate;
    }

    @Override
    public InputFile newInputFile(String path) {
      return delegate.newInputFile(path);
    }

    @Override
    public InputFile newInputFile(String path, long length) {
      return delegate.newInputFile(path, length);
    }

    @Override
    public OutputFile newOutputFile(String path) {
      event("write", path);
      return delegate.newOutputFile(path);
    }

    @Override
    public void deleteFile(String path) {
      event("delete", path);
      delegate.deleteFile(path);
    }

    @Override
    public void deleteFiles(Iterable<String> paths) {
      for (String path : paths) {
        event("delete", path);
        ((SupportsBulkOperations) delegate).deleteFiles(List.of(path));
      }
    }

    @Override
    public Iterable<FileInfo> listPrefix(String prefix) {
      return ((SupportsPrefixOperations) delegate).listPrefix(prefix);
    }

    @Override
    public void deletePrefix(String prefix) {
      event("delete-prefix", prefix);
      ((SupportsPrefixOperations) delegate).deletePrefix(prefix);
    }

    @Override
    public Map<String, String> properties() {
      return delegate.properties();
    }

    @Override
    public void close() {
      delegate.close();
    }
  }
}
