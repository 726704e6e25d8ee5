package io.floe.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.maintenance.MaintenancePolicy;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line's contract: exit codes and one-line errors, without a running stack. */
class FloeCommandTest {
  @TempDir Path dir;

  record Outcome(int exitCode, String out, String err) {}

  static Outcome floe(String... args) {
    PrintStream originalOut = System.out;
    PrintStream originalErr = System.err;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
      int code = Floe.execute(args);
      return new Outcome(
          code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(originalOut);
      System.setErr(originalErr);
    }
  }

  /** The command with the global options (config, home) in front. */
  static Outcome floe(String[] global, String... args) {
    String[] all = new String[global.length + args.length];
    System.arraycopy(global, 0, all, 0, global.length);
    System.arraycopy(args, 0, all, global.length, args.length);
    return floe(all);
  }

  @Test
  void versionAndHelpExitZero() {
    Outcome version = floe("--version");
    assertThat(version.exitCode()).isZero();
    assertThat(version.out()).startsWith("floe 0.1.0");
    Outcome help = floe("--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("up", "down", "status", "run", "Exit codes:");
    assertThat(help.out()).doesNotContain("supervise");
  }

  @Test
  void everySubcommandPrintsItsOwnHelp() {
    Outcome compact = floe("compact", "--help");
    assertThat(compact.exitCode()).isZero();
    assertThat(compact.out()).contains("Usage: floe compact", "--dry-run", "--where", "--set");
    Outcome nested = floe("orphans", "restore", "-h");
    assertThat(nested.exitCode()).isZero();
    assertThat(nested.out()).contains("Usage: floe orphans restore", "--run");
    // the parent's table is not demanded before its subcommand, and still demanded without one
    Outcome orphans = floe("orphans");
    assertThat(orphans.exitCode()).isEqualTo(2);
    assertThat(orphans.err())
        .contains("Missing required parameter: 'TABLE'", "Try 'floe orphans --help'");
    Outcome viaHelp = floe("help", "check");
    assertThat(viaHelp.exitCode()).isZero();
    assertThat(viaHelp.out()).contains("Usage: floe check");
  }

  @Test
  void aMalformedCompactionFilterIsAOneLineUsageErrorBeforeAnythingRuns() {
    Outcome outcome =
        floe("--home", dir.toString(), "compact", "shop.orders", "--where", "order_ts >=");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .isEqualTo("floe: --where: invalid expression 'order_ts >=': expected a value at the end");
  }

  @Test
  void policyOverridesAreCheckedLikeTheConfigBeforeAnythingRuns() {
    Outcome badValue =
        floe("--home", dir.toString(), "expire", "shop.orders", "--set", "snapshot-max-age=soon");
    assertThat(badValue.exitCode()).isEqualTo(2);
    assertThat(badValue.err().strip())
        .startsWith("floe: --set: snapshot-max-age: 'soon' is not a duration")
        .doesNotContain("\n");
    Outcome unknownKey =
        floe("--home", dir.toString(), "compact", "shop.orders", "--set", "colour=red");
    assertThat(unknownKey.exitCode()).isEqualTo(2);
    assertThat(unknownKey.err())
        .contains("floe: --set: colour: unknown key; allowed keys here are");
    Outcome notAnAssignment =
        floe("--home", dir.toString(), "orphans", "shop.orders", "--set", "orphan-min-age");
    assertThat(notAnAssignment.exitCode()).isEqualTo(2);
    assertThat(notAnAssignment.err()).contains("'orphan-min-age' is not KEY=VALUE");
  }

  @Test
  void policyOverridesLayerOnTheTablesPolicy() {
    PolicyOverrides overrides = new PolicyOverrides();
    overrides.assignments.addAll(
        java.util.List.of("snapshot-max-age=2d", "retention.column=ts", "retention.max-age=30d"));
    MaintenancePolicy base = MaintenancePolicy.defaults();

    MaintenancePolicy policy = overrides.apply(base);

    assertThat(policy.snapshotMaxAge()).isEqualTo(java.time.Duration.ofDays(2));
    assertThat(policy.retention())
        .contains(new MaintenancePolicy.RetentionRule("ts", java.time.Duration.ofDays(30)));
    assertThat(policy.minSnapshots()).isEqualTo(base.minSnapshots());
    assertThat(policy.orphanMinAge()).isEqualTo(base.orphanMinAge());
    assertThat(new PolicyOverrides().apply(base)).isSameAs(base);
  }

  @Test
  void aMaintenanceDryRunRunsOnce() {
    Outcome outcome = floe("--home", dir.toString(), "maintain", "--all", "--dry-run", "--daemon");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .isEqualTo("floe: --dry-run runs once; it cannot be combined with --daemon");
  }

  @Test
  void unknownOptionIsAUsageError() {
    Outcome outcome = floe("status", "--jsn");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("Unknown option: '--jsn'");
    // the hint names the subcommand whose usage helps
    assertThat(outcome.err()).contains("Try 'floe status --help' for usage.");
  }

  @Test
  void invalidConfigNamesFileKeyAndAllowedValuesInOneLine() throws Exception {
    Path config = dir.resolve("floe.yaml");
    Files.writeString(config, "catalog:\n  deployment: cloudy\n");
    Outcome outcome = floe("--config", config.toString(), "status");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err().strip())
        .isEqualTo(
            "floe: "
                + config
                + ": catalog.deployment: 'cloudy' is not allowed; allowed values are embedded, external")
        .doesNotContain("Exception")
        .doesNotContain("\n");
  }

  @Test
  void anyCommandReportsAMistakeInAnySectionOfTheConfig() throws Exception {
    Path config = dir.resolve("floe.yaml");
    // a broken suite is reported by status, which never reads suites
    Files.writeString(
        config,
        "tables:\n  silver.orders:\n    quality:\n      checks: [predicate: 'revenue >>= 0']\n");
    Outcome suite = floe("--config", config.toString(), "--home", dir.toString(), "status");
    assertThat(suite.exitCode()).isEqualTo(2);
    assertThat(suite.err().strip())
        .isEqualTo(
            "floe: "
                + config
                + ": tables.silver.orders.quality.checks[0].predicate: invalid expression"
                + " 'revenue >>= 0': expected a comparison (=, !=, <, <=, >, >=), found '>>='");
    Files.writeString(config, "pipeline:\n  bronze-namespcae: raw\n");
    Outcome pipeline = floe("--config", config.toString(), "--home", dir.toString(), "down");
    assertThat(pipeline.exitCode()).isEqualTo(2);
    assertThat(pipeline.err()).contains(": pipeline.bronze-namespcae: unknown key");
    Files.writeString(config, "maintenance:\n  snapshot-max-age: soon\n");
    Outcome maintenance = floe("--config", config.toString(), "--home", dir.toString(), "status");
    assertThat(maintenance.exitCode()).isEqualTo(2);
    assertThat(maintenance.err()).contains(": maintenance.snapshot-max-age: ");
  }

  @Test
  void missingConfigFileIsAUsageError() {
    Outcome outcome = floe("--config", dir.resolve("absent.yaml").toString(), "up");
    assertThat(outcome.exitCode()).isEqualTo(2);
    assertThat(outcome.err()).contains("absent.yaml: file not found");
  }

  @Test
  void statusWithoutAStackExitsThreeAndSaysHowToStart() {
    Outcome outcome = floe("--home", dir.toString(), "status");
    assertThat(outcome.exitCode()).isEqualTo(3);
    assertThat(outcome.out()).contains("No Floe stack is running").contains("./floe up");
    Outcome json = floe("--home", dir.toString(), "status", "--json");
    assertThat(json.exitCode()).isEqualTo(3);
    assertThat(json.out()).contains("\"running\" : false");
  }

  @Test
  void downWithoutAStackIsHarmless() {
    Outcome outcome = floe("--home", dir.toString(), "down");
    assertThat(outcome.exitCode()).isZero();
    assertThat(outcome.out()).contains("No Floe stack is running");
  }
}
