package io.floe.core.process;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;

/**
 * Runs another main class and exits the JVM as soon as standard input reaches end of file.
 *
 * <p>A parent starts each child with a pipe as the child's standard input and never writes to it.
 * When the parent dies for any reason, including {@code kill -9}, the operating system closes the
 * pipe and the child stops too, so no service outlives the process that started it.
 *
 * <p>This class uses only the JDK so it can sit on any child's classpath (S3 server, Trino, Spark
 * jobs) without bringing dependencies along.
 */
public final class ParentWatchdog {
  private ParentWatchdog() {}

  public static void main(String[] args) throws Throwable {
    if (args.length == 0) {
      System.err.println("usage: ParentWatchdog <main class> [args...]");
      System.exit(2);
    }
    Thread watcher = new Thread(ParentWatchdog::exitWhenParentGone, "floe-parent-watchdog");
    watcher.setDaemon(true);
    watcher.start();

    Class<?> mainClass = Class.forName(args[0]);
    try {
      mainClass
          .getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 1, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }

  private static void exitWhenParentGone() {
    InputStream in = System.in;
    byte[] buffer = new byte[64];
    try {
      while (in.read(buffer) >= 0) {
        // the parent never writes; anything read is ignored
      }
    } catch (IOException e) {
      // a broken pipe means the parent is gone as well
    }
    Thread halter =
        new Thread(
            () -> {
              sleepQuietly(10_000);
              Runtime.getRuntime().halt(143);
            },
            "floe-parent-watchdog-halt");
    halter.setDaemon(true);
    halter.start();
    System.exit(143);
  }

  private static void sleepQuietly(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
