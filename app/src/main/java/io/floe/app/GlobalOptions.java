package io.floe.app;

import io.floe.core.config.FloeConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes, before or after the command name: which configuration file and which
 * home.
 */
final class GlobalOptions {
  @Option(
      names = {"-c", "--config"},
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Configuration file (default: ./floe.yaml when it exists, else built-in defaults).")
  Path config;

  @Option(
      names = "--home",
      scope = ScopeType.INHERIT,
      paramLabel = "DIR",
      description =
          "Where the embedded stack keeps its state and logs (default: the configuration's"
              + " home, else $FLOE_HOME, else .floe; relative to the configuration file's"
              + " directory).")
  Path home;

  /** The configuration, parsed once per command. */
  FloeConfig load() {
    FloeConfig loaded =
        config == null
            ? FloeConfig.loadOrDefaults(Path.of(FloeConfig.DEFAULT_FILE))
            : FloeConfig.load(config);
    return home == null ? loaded : loaded.withHome(home.toAbsolutePath().normalize());
  }
}
