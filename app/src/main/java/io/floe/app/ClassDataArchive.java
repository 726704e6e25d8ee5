package io.floe.app;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Supplier;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's class-data archive of a subcommand, from the inside of a run: how many classes the
 * run loaded, and whether it outgrew the archive it started with.
 *
 * <p>An archive holds the classes its writing run loaded. A first {@code floe compact} on a table
 * with nothing to compact loads about 7,000 classes; one that rewrites files loads about 9,500, and
 * would load the other 2,500 from their jars, verifying each, on every later run (1,000 small files
 * compacted in 3.2-4.3 s with such an archive, 2.5-3.1 s with one written by a run that compacted).
 * So the run that writes an archive records its class count beside it, and a run that loads over a
 * tenth more classes than that leaves a marker listing the classes it loaded. The launcher then
 * writes the archive anew on the next run, which loads the listed classes before it exits (without
 * initialising them), so the new archive holds them whatever that run did itself: archives only
 * grow, and a workload alternating small and large runs settles after one rewrite.
 *
 * <p>The launcher names the files in system properties; without them (FLOE_CDS=false, a class
 * directory on the class path, Floe run from a test) this does nothing.
 */
final class ClassDataArchive {
  /** Where a run writing the archive records its class count. */
  static final String COUNT_FILE_PROPERTY = "floe.cds.count-file";

  /** The class count of the run that wrote the archive this run started with. */
  static final String ARCHIVED_PROPERTY = "floe.cds.archived";

  /**
   * The marker a run creates when it outgrew the archive it started with: the names of the classes
   * it loaded, one per line.
   */
  static final String OUTGROWN_FILE_PROPERTY = "floe.cds.outgrown-file";

  /** Classes a run writing the archive loads before it exits: an outgrown archive's marker. */
  static final String PRELOAD_FILE_PROPERTY = "floe.cds.preload-file";

  private ClassDataArchive() {}

  /**
   * When the launcher asked for it, has this run, at exit, load the classes to archive, record its
   * class count, or mark the archive it started with outgrown.
   */
  static void recordAtExit() {
    Properties properties = System.getProperties();
    if (!requested(properties)) {
      return;
    }
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  preload(properties, ClassLoader.getSystemClassLoader());
                  record(
                      properties,
                      ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount(),
                      ClassDataArchive::loadedClassNames);
                },
                "floe-class-data-archive"));
  }

  /**
   * Sets up, when the launcher asked for a count, the JVM's class-loading bean the exit's count
   * reads: made there, it cost every command some 20-30 ms at exit (its native library loads).
   * Called from the start-up warm-up, off the main thread.
   */
  static void warmUp() {
    if (requested(System.getProperties())) {
      ManagementFactory.getClassLoadingMXBean();
    }
  }

  private static boolean requested(Properties properties) {
    return properties.getProperty(COUNT_FILE_PROPERTY) != null
        || properties.getProperty(OUTGROWN_FILE_PROPERTY) != null;
  }

  /**
   * Loads, without initialising, the classes the preload file lists; those that cannot be loaded
   * (generated at run time, or gone from the class path) are skipped. Returns how many loaded.
   */
  static int preload(Properties properties, ClassLoader loader) {
    String preloadFile = properties.getProperty(PRELOAD_FILE_PROPERTY);
    if (preloadFile == null) {
      return 0;
    }
    int loaded = 0;
    try {
      for (String name : Files.readAllLines(Path.of(preloadFile))) {
        try {
          Class.forName(name.trim(), false, loader);
          loaded++;
        } catch (ClassNotFoundException | LinkageError e) {
          // not loadable by name: a hidden class, or one no longer on the class path
        }
      }
    } catch (IOException | RuntimeException e) {
      log().debug("cannot read the classes to archive from {}", preloadFile, e);
    }
    return loaded;
  }

  /**
   * Writes {@code loadedClasses} to the count file, or, when {@code loadedClasses} exceeds the
   * archived count by more than a tenth (an unreadable count counts as none, so an archive without
   * one is written anew), writes the outgrown marker with the {@code classNames}. Failing to is
   * only logged: the archive is an optimisation, never a reason for a command to fail.
   */
  static void record(Properties properties, long loadedClasses, Supplier<List<String>> classNames) {
    try {
      String countFile = properties.getProperty(COUNT_FILE_PROPERTY);
      if (countFile != null) {
        Files.writeString(Path.of(countFile), Long.toString(loadedClasses));
      }
      String outgrownFile = properties.getProperty(OUTGROWN_FILE_PROPERTY);
      if (outgrownFile != null
          && outgrown(archivedCount(properties.getProperty(ARCHIVED_PROPERTY)), loadedClasses)) {
        Files.write(Path.of(outgrownFile), classNames.get());
      }
    } catch (IOException | RuntimeException e) {
      log().debug("cannot record the classes for the class-data archive", e);
    }
  }

  /**
   * The names of the classes this JVM has loaded, from the JVM's class hierarchy diagnostic (the
   * one {@code jcmd <pid> VM.class_hierarchy} prints), without hidden classes.
   */
  static List<String> loadedClassNames() {
    try {
      Object hierarchy =
          ManagementFactory.getPlatformMBeanServer()
              .invoke(
                  new ObjectName("com.sun.management:type=DiagnosticCommand"),
                  "vmClassHierarchy",
                  new Object[] {null},
                  new String[] {String[].class.getName()});
      return classNames(String.valueOf(hierarchy));
    } catch (JMException e) {
      throw new IllegalStateException("no class hierarchy from the JVM: " + e.getMessage(), e);
    }
  }

  /**
   * The class names of a class hierarchy listing: one class a line, indented by {@code |}, {@code
   * -} and spaces, as {@code name/loader} (the boot loader printed as {@code null}, others by
   * address), or {@code name/0x<address>/loader} for a hidden class.
   */
  static List<String> classNames(String hierarchy) {
    List<String> names = new ArrayList<>();
    for (String line : hierarchy.split("\n")) {
      // an interface's line ends in " (intf)"
      String[] entry = line.replaceFirst("^[|\\s-]+", "").split(" ", 2)[0].split("/");
      if (entry.length == 2 && !entry[0].isEmpty()) {
        names.add(entry[0]);
      }
    }
    return names;
  }

  /** The logger, made only when needed: at start, logging is set up off the main thread. */
  private static Logger log() {
    return LoggerFactory.getLogger(ClassDataArchive.class);
  }

  static boolean outgrown(long archivedClasses, long loadedClasses) {
    return loadedClasses > archivedClasses + archivedClasses / 10;
  }

  private static long archivedCount(String value) {
    try {
      return value == null ? 0 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
