package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.maintenance.MaintenancePolicy;
import io.floe.pipeline.PipelineConfig;
import io.floe.quality.Suites;
import io.floe.trino.AccessConfig;
import io.floe.trino.InterfaceViews;
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

  /** The configuration, parsed once per command, every section of it checked. */
  FloeConfig load() {
    FloeConfig loaded =
        config == null
            ? FloeConfig.loadOrDefaults(Path.of(FloeConfig.DEFAULT_FILE))
            : FloeConfig.load(config);
    checkModuleSections(loaded);
    return home == null ? loaded : loaded.withHome(home.toAbsolutePath().normalize());
  }

  /**
   * Reads each module's sections once, so any command reports a mistake anywhere in the file (a
   * broken suite fails {@code floe health} too, not only the next {@code floe check}); the commands
   * read the sections they use again.
   */
  private static void checkModuleSections(FloeConfig config) {
    Suites.load(config); // tables.<t>.quality, quality (and the suite files it names)
    MaintenancePolicy.read(config); // maintenance, tables.<t>.maintenance
    PipelineConfig.of(config);
    InterfaceViews.read(config);
    AccessConfig.read(config);
  }
}
