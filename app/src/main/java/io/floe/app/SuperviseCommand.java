package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.stack.EmbeddedStack;
import io.floe.stack.StackState;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * Runs the embedded stack in the foreground until stopped (SIGTERM or Ctrl-C). {@code floe up}
 * starts this detached; it can also run under systemd or a terminal of its own.
 */
@Command(
    name = "supervise",
    hidden = true,
    description = "Run the embedded stack in the foreground.")
final class SuperviseCommand implements Callable<Integer> {
  @ParentCommand Floe floe;

  @Override
  public Integer call() throws Exception {
    FloeConfig config = floe.options.load();
    Path home = config.home().toAbsolutePath();
    java.nio.file.Files.createDirectories(home);
    try (FileChannel channel =
            FileChannel.open(
                home.resolve(StackSupervisor.LOCK_FILE),
                StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        throw new FloeException(
            ErrorCode.INVALID_ARGUMENT, "a Floe stack already runs for " + home);
      }
      EmbeddedStack stack;
      try {
        stack = EmbeddedStack.builder(config).start();
      } catch (FloeException e) {
        StackSupervisor.recordFailure(home, e);
        throw e;
      }
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    StackState.delete(home);
                    stack.close();
                    stopped.countDown();
                  },
                  "floe-stack-shutdown"));
      StackState.of(stack).write(home);
      stopped.await();
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR, "cannot lock " + home + ": " + e.getMessage(), e);
    }
    return Floe.EXIT_OK;
  }
}
