package io.floe.bench.maintenance;

import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code ./floe} launcher of the repository, pointed at a running stack through a floe.yaml of
 * external endpoints: runs commands the way a user or a scheduler does, each in its own JVM.
 */
final class FloeCommand {
  private final Path launcher;
  private final Path config;
  private final Path dir;

  private FloeCommand(Path launcher, Path config, Path dir) {
    this.launcher = launcher;
    this.config = config;
    this.dir = dir;
  }

  /** Writes a floe.yaml naming the stack's endpoints; needs the repository root as working dir. */
  static FloeCommand configure(StackEndpoints endpoints) throws IOException {
    Path launcher = Path.of("floe").toAbsolutePath();
    if (!Files.isExecutable(launcher)) {
      throw new IllegalStateException("run the benchmark from the repository root: no ./floe");
    }
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-cli-");
    Path config = dir.resolve("floe.yaml");
    Files.writeString(config, "home: '%s'%n".formatted(dir) + endpoints.externalConfig());
    return new FloeCommand(launcher, config, dir);
  }

  /** Runs {@code ./floe -c floe.yaml <arguments>}; fails with its output when it exits non-zero. */
  void run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(launcher.toString(), "-c", config.toString()));
    command.addAll(List.of(arguments));
    Path log = Files.createTempFile(dir, "floe-", ".log");
    Process process =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    int exit = process.waitFor();
    if (exit != 0) {
      throw new IllegalStateException(
          "%s exited %d: %s".formatted(String.join(" ", arguments), exit, Files.readString(log)));
    }
  }
}
