package io.floe.core.concurrent;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Independent tasks a few at once, their results taken in order: the tables of one publish wave, of
 * one maintenance pass. (Spark jobs have their own, {@code io.floe.spark.Concurrently}, as this
 * module's dependencies stay off Spark's classpath.)
 */
public final class AtOnce {
  private AtOnce() {}

  /**
   * Runs every task, {@code parallelism} at once on daemon threads named {@code name}, and hands
   * each result to {@code done} on this thread in the tasks' order, as soon as it and those before
   * it are done. A failed task does not stop the others and has no result: once all are done, the
   * first failure (in the tasks' order) is thrown with the later ones suppressed.
   */
  public static <T> void run(
      String name, int parallelism, List<? extends Supplier<T>> tasks, Consumer<? super T> done) {
    requireNonNull(done, "done is null");
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
      for (Supplier<T> task : tasks) {
        running.add(pool.submit(task::get));
      }
      Throwable failure = null;
      for (Future<T> task : running) {
        T result;
        try {
          result = task.get();
        } catch (ExecutionException e) {
          if (failure == null) {
            failure = e.getCause();
          } else {
            failure.addSuppressed(e.getCause());
          }
          continue;
        }
        done.accept(result);
      }
      if (failure instanceof RuntimeException runtime) {
        throw runtime;
      }
      if (failure instanceof Error error) {
        throw error;
      }
      if (failure != null) {
        throw new IllegalStateException(failure);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    } finally {
      pool.shutdownNow();
    }
  }
}
