package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.stack.StackEndpoints;
import io.floe.stack.StackState;
import io.floe.trino.AccessConfig;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Starts the embedded stack in the background and prints how to reach it. */
@Command(
    name = "up",
    description = "Start the embedded stack (S3, REST catalog, Trino) and print its endpoints.")
final class UpCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig config = floe.options.load();
    Optional<StackState> running = StackSupervisor.running(config.home().toAbsolutePath());
    if (running.isPresent()) {
      out.printf(
          "Floe stack already running (supervisor pid %d) in %s%n",
          running.get().supervisorPid(), config.home());
      print(out, running.get().endpoints());
      printServingUsers(out, config);
      return Floe.EXIT_OK;
    }
    out.printf("Starting the Floe stack in %s ...%n", config.home());
    out.flush();
    StackState state = StackSupervisor.startDetached(config, floe.options);
    out.printf("Floe stack running (supervisor pid %d).%n", state.supervisorPid());
    print(out, state.endpoints());
    printServingUsers(out, config);
    out.println("Stop it with: ./floe down");
    return Floe.EXIT_OK;
  }

  /** Who else may connect to Trino, and to what (no passwords: the embedded Trino is local). */
  static void printServingUsers(PrintWriter out, FloeConfig config) {
    AccessConfig access = AccessConfig.read(config);
    if (!access.enabled()) {
      out.println(
          "  Trino access    rules off (access.enabled: false): every user may do anything");
      return;
    }
    out.printf(
        "  Trino users     %s (admin); %s (bi: %s.interface views only); %s (auditor: read-only"
            + " catalog %s)%n",
        String.join(", ", access.admins()),
        String.join(", ", access.bi().users()),
        config.trino().catalog(),
        String.join(", ", access.auditor().users()),
        access.auditCatalog());
  }

  static void print(PrintWriter out, StackEndpoints endpoints) {
    out.printf(
        "  S3 endpoint     %s  (access key %s, secret key %s, region %s, path-style)%n",
        endpoints.s3Endpoint(),
        endpoints.s3AccessKey(),
        endpoints.s3SecretKey(),
        endpoints.s3Region());
    out.printf(
        "  REST catalog    %s  (warehouse %s%s)%n",
        endpoints.catalogUri(),
        endpoints.warehouse(),
        endpoints.catalogToken().map(t -> ", bearer token " + t).orElse(""));
    out.printf(
        "  Trino JDBC      %s  (user %s, catalog %s)%n",
        endpoints.trinoJdbcUrl(), endpoints.trinoUser(), endpoints.trinoCatalog());
  }
}
