package io.floe.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs a job's independent tasks a few at once in its one Spark session (each writing tables of its
 * own): one task's planning, reads and catalog commits overlap another's Spark tasks, which a job
 * of many small tables otherwise spends waiting.
 */
public final class Concurrently {
  private Concurrently() {}

  /**
   * Runs every task, {@code parallelism} at once on daemon threads named {@code name}, and returns
   * their results in the tasks' order once all are done. A failed task does not stop the others:
   * once all are done, the first failure (in the tasks' order) is thrown with the later ones
   * suppressed.
   */
  public static <T> List<T> run(String name, int parallelism, List<? extends Callable<T>> tasks)
      throws Exception {
    if (parallelism < 1) {
      throw new IllegalArgumentException("parallelism must be positive: " + parallelism);
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.max(1, Math.min(parallelism, tasks.size())),
            task -> {
              Thread thread = new Thread(task, name);
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<T>> running = new ArrayList<>();
      for (Callable<T> task : tasks) {
        running.add(pool.submit(task));
      }
      List<T> results = new ArrayList<>();
      Throwable failure = null;
      for (Future<T> task : running) {
        try {
          results.add(task.get());
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          } else {
            failure.addSuppressed(e.getCause());
          }
        }
      }
      if (failure instanceof Exception exception) {
        throw exception;
      }
      if (failure != null) {
        throw (Error) failure;
      }
      return results;
    } finally {
      pool.shutdownNow();
    }
  }
}
