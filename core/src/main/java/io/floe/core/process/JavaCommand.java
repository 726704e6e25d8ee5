package io.floe.core.process;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A Java program to run in a child JVM: which JDK, JVM options, classpath, main class and
 * arguments. The child always runs under {@link ParentWatchdog} so it dies with its parent.
 */
public record JavaCommand(
    Path javaHome,
    List<String> jvmOptions,
    List<Path> classpath,
    String mainClass,
    List<String> arguments,
    Map<String, String> environment) {

  public JavaCommand {
    requireNonNull(javaHome, "javaHome is null");
    jvmOptions = List.copyOf(jvmOptions);
    classpath = List.copyOf(classpath);
    requireNonNull(mainClass, "mainClass is null");
    arguments = List.copyOf(arguments);
    environment = Map.copyOf(environment);
  }

  private static final String SERIAL_GC = "-XX:+UseSerialGC";
  private static final String EARLY_COMPILES = "-XX:CompileThresholdScaling=0.2";
  // class metadata first triggers a (full) collection at 128 MB instead of 21 MB and each
  // threshold after it
  private static final String METADATA_THRESHOLD = "-XX:MetaspaceSize=128m";

  /**
   * JVM options for a small, busy child (the embedded S3 and catalog servers), as the {@code floe}
   * launcher gives Floe's own commands: the serial collector and C1 only, compiling after a fifth
   * of its usual thresholds, so neither G1's nor C2's threads compete for the cores with the work,
   * and no full collection only because classes were loaded, below 128 MB of class metadata.
   */
  public static final List<String> QUICK_JIT_OPTIONS =
      List.of(SERIAL_GC, "-XX:TieredStopAtLevel=1", EARLY_COMPILES, METADATA_THRESHOLD);

  /**
   * {@link #QUICK_JIT_OPTIONS}, except that C2 also compiles the methods a compiler-directives file
   * leaves to it (one that excludes C2 from every other method keeps the rest C1 only).
   */
  public static List<String> quickJitOptions(Path c2Directives) {
    return List.of(
        SERIAL_GC,
        EARLY_COMPILES,
        METADATA_THRESHOLD,
        "-XX:+UnlockDiagnosticVMOptions",
        "-XX:CompilerDirectivesFile=" + c2Directives.toAbsolutePath());
  }

  /** A command for {@code mainClass} on the JDK that runs this process. */
  public static JavaCommand of(List<Path> classpath, String mainClass, String... arguments) {
    return new JavaCommand(
        JavaRuntimes.current(), List.of(), classpath, mainClass, List.of(arguments), Map.of());
  }

  public JavaCommand withJavaHome(Path home) {
    return new JavaCommand(home, jvmOptions, classpath, mainClass, arguments, environment);
  }

  public JavaCommand withJvmOptions(List<String> options) {
    List<String> all = new ArrayList<>(jvmOptions);
    all.addAll(options);
    return new JavaCommand(javaHome, all, classpath, mainClass, arguments, environment);
  }

  public JavaCommand withEnvironment(Map<String, String> env) {
    Map<String, String> all = new java.util.HashMap<>(environment);
    all.putAll(env);
    return new JavaCommand(javaHome, jvmOptions, classpath, mainClass, arguments, all);
  }

  /** The full command line, with the watchdog in front of the main class. */
  List<String> commandLine() {
    List<Path> fullClasspath = new ArrayList<>();
    fullClasspath.add(JavaRuntimes.codeSourceOf(ParentWatchdog.class));
    fullClasspath.addAll(classpath);
    List<String> line = new ArrayList<>();
    line.add(javaHome.resolve("bin").resolve("java").toString());
    line.addAll(jvmOptions);
    line.add("-cp");
    line.add(
        String.join(
            java.io.File.pathSeparator, fullClasspath.stream().map(Path::toString).toList()));
    line.add(ParentWatchdog.class.getName());
    line.add(mainClass);
    line.addAll(arguments);
    return line;
  }
}
