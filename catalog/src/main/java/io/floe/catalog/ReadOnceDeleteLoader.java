package io.floe.catalog;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.iceberg.data.BaseDeleteLoader;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.util.ThreadPools;

/**
 * Iceberg's loader of row-level deletes, keeping what each delete file holds once it is read, up to
 * a budget: the reads of one evaluation (a file read for several checks, a delete file that applies
 * to every data file of its partition) load each delete file once rather than once per read. Safe
 * to share between threads; the delete files of one data file load in parallel on Iceberg's delete
 * worker pool, through a {@link PromptExecutor}.
 */
public final class ReadOnceDeleteLoader extends BaseDeleteLoader {
  /**
   * The deletes kept, in Iceberg's estimate of their size: about a byte per deleted position, and
   * the size of a row of the columns an equality delete compares per deleted row.
   */
  public static final long DEFAULT_BUDGET_BYTES = 64L << 20;

  /**
   * Iceberg's delete worker pool, without the 10 ms polls its loader waits for each load in: a data
   * file's delete files load in parallel on it.
   */
  private static final ExecutorService DELETE_WORKERS =
      new PromptExecutor(ThreadPools.getDeleteWorkerPool());

  private final Map<String, Object> read = new ConcurrentHashMap<>();
  private final AtomicLong kept = new AtomicLong();
  private final long budget;

  public ReadOnceDeleteLoader(FileIO io) {
    this(io, DEFAULT_BUDGET_BYTES);
  }

  public ReadOnceDeleteLoader(FileIO io, long budgetBytes) {
    super(io::newInputFile, DELETE_WORKERS);
    this.budget = budgetBytes;
  }

  @Override
  protected boolean canCache(long size) {
    return kept.get() + size <= budget;
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <V> V getOrLoad(String key, Supplier<V> valueSupplier, long valueSize) {
    return (V)
        read.computeIfAbsent(
            key,
            k -> {
              kept.addAndGet(valueSize);
              return valueSupplier.get();
            });
  }
}
