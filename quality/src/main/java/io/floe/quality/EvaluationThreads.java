package io.floe.quality;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads evaluations read and load on: one pool per {@code parallelism}, shared by every
 * evaluation of the process, so checks running at once use that many threads between them.
 *
 * <p>A pool per evaluation started a thread for each of its first tasks and stopped them all at the
 * end: about 0.6 ms of an incremental check's 11 ms at 1M rows. These threads are daemons, started
 * on first use and ended after {@value #IDLE_SECONDS} s without work.
 *
 * <p>A task on the pool may wait for another (the states probe waits for the states table's load),
 * but only for one submitted before it. Tasks start in submission order, so the oldest unfinished
 * task always runs or can start, and sharing cannot deadlock.
 *
 * <p>Evaluations do not shut the pool down. Work they leave queued when they end early (a failed
 * scan's cancelled files, a preload no one waits for) does nothing or only reads.
 */
final class EvaluationThreads {
  static final int IDLE_SECONDS = 30;

  private static final ConcurrentMap<Integer, ExecutorService> POOLS = new ConcurrentHashMap<>();

  private EvaluationThreads() {}

  /**
   * The result of a task on the pool, waited for; the task's own runtime exception is rethrown as
   * it is, so a failure reads the same whichever thread met it.
   */
  static <T> T await(Future<T> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the evaluation's threads", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }

  /** The shared pool of {@code threads} threads. */
  static ExecutorService pool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be positive: " + threads);
    }
    return POOLS.computeIfAbsent(threads, EvaluationThreads::start);
  }

  private static ExecutorService start(int threads) {
    ThreadPoolExecutor pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            IDLE_SECONDS,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            new Daemons(threads));
    pool.allowCoreThreadTimeOut(true);
    // callers cannot resize a pool others use
    return Executors.unconfigurableExecutorService(pool);
  }

  private static final class Daemons implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger count = new AtomicInteger();

    Daemons(int threads) {
      this.prefix = "floe-quality-" + threads + "-";
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, prefix + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    }
  }
}
