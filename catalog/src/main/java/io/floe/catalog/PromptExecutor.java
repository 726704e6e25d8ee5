package io.floe.catalog;

import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RunnableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs tasks on {@code delegate}; the futures it returns answer {@link FutureTask#isDone} once
 * their task has finished, waiting for it if need be. Shutting it down is refused: the delegate is
 * shared.
 *
 * <p>Iceberg's {@code Tasks} waits for the tasks it hands an executor by checking their futures and
 * sleeping 10 ms while any is unfinished: a commit's manifest work, the loading of a data file's
 * delete files. Behind this executor the check finds them finished the moment they are, and they
 * still run in parallel. The caller must not be a thread of {@code delegate} whose tasks queue
 * behind it.
 */
public final class PromptExecutor extends AbstractExecutorService {
  private final ExecutorService delegate;

  public PromptExecutor(ExecutorService delegate) {
    this.delegate = delegate;
  }

  @Override
  protected <V> RunnableFuture<V> newTaskFor(Callable<V> callable) {
    return new AwaitingTask<>(callable);
  }

  @Override
  protected <V> RunnableFuture<V> newTaskFor(Runnable runnable, V value) {
    return new AwaitingTask<>(Executors.callable(runnable, value));
  }

  @Override
  public void execute(Runnable command) {
    delegate.execute(command);
  }

  @Override
  public void shutdown() {
    throw new UnsupportedOperationException("a shared pool is not shut down by its users");
  }

  @Override
  public List<Runnable> shutdownNow() {
    throw new UnsupportedOperationException("a shared pool is not shut down by its users");
  }

  @Override
  public boolean isShutdown() {
    return delegate.isShutdown();
  }

  @Override
  public boolean isTerminated() {
    return delegate.isTerminated();
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    return delegate.awaitTermination(timeout, unit);
  }

  private static final class AwaitingTask<V> extends FutureTask<V> {
    AwaitingTask(Callable<V> callable) {
      super(callable);
    }

    /**
     * Waits for the task, then answers true; interrupted, it answers whether the task is done and
     * leaves the interrupt set, so a polling caller sees the interrupt on its next wait.
     */
    @Override
    public boolean isDone() {
      try {
        get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return super.isDone();
      } catch (ExecutionException | CancellationException finished) {
        // finished all the same
      }
      return true;
    }
  }
}
