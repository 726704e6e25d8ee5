package io.floe.app;

import io.floe.core.config.FloeConfig;
import io.floe.stack.StackHealth;
import io.floe.stack.StackState;
import java.io.PrintWriter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** Reports each part of the stack; exits 0 only when every part is healthy. */
@Command(
    name = "status",
    description = "Show each part of the stack and whether it is healthy (exit 3 when not).")
final class StatusCommand implements Callable<Integer> {
  @ParentCommand Floe floe;
  @Spec CommandSpec spec;

  @Option(names = "--json", description = "Print the status as JSON for scripts.")
  boolean json;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    FloeConfig config = floe.options.load();
    Optional<StackState> state = StackSupervisor.running(config.home().toAbsolutePath());
    List<StackHealth.ServiceHealth> health = state.map(StackHealth::check).orElse(List.of());
    boolean healthy =
        state.isPresent() && health.stream().allMatch(StackHealth.ServiceHealth::healthy);
    if (json) {
      Map<String, Object> report = new LinkedHashMap<>();
      report.put("running", state.isPresent());
      report.put("healthy", healthy);
      report.put("home", config.home().toAbsolutePath().toString());
      state.ifPresent(
          s -> {
            report.put("supervisorPid", s.supervisorPid());
            report.put("startedAt", s.startedAt().toString());
            Map<String, Object> users = new LinkedHashMap<>();
            users.put("trino", s.endpoints().trinoUser());
            users.put("s3AccessKey", s.endpoints().s3AccessKey());
            report.put("users", users);
            Map<String, Object> endpoints = new LinkedHashMap<>();
            endpoints.put("s3", s.endpoints().s3Endpoint());
            endpoints.put("catalog", s.endpoints().catalogUri());
            endpoints.put("trinoJdbc", s.endpoints().trinoJdbcUrl());
            endpoints.put("warehouse", s.endpoints().warehouse());
            report.put("endpoints", endpoints);
          });
      report.put("services", health);
      out.println(StackState.toJson(report));
    } else if (state.isEmpty()) {
      out.println("No Floe stack is running for " + config.home() + ". Start it with: ./floe up");
    } else {
      out.printf(
          "Floe stack in %s (supervisor pid %d, up since %s)%n",
          config.home(),
          state.get().supervisorPid(),
          state.get().startedAt().truncatedTo(ChronoUnit.SECONDS));
      for (StackHealth.ServiceHealth service : health) {
        out.printf(
            "  %-8s %-9s %-32s pid %-7s %s%n",
            service.name(),
            service.healthy() ? "healthy" : "UNHEALTHY",
            service.endpoint(),
            service.pid() > 0 ? Long.toString(service.pid()) : "-",
            service.detail());
      }
    }
    return healthy ? Floe.EXIT_OK : Floe.EXIT_EXTERNAL;
  }
}
