package io.floe.stack;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Optional;

/** Probes each service of a running stack. */
public final class StackHealth {
  private StackHealth() {}

  /** The health of one service, as {@code floe status} reports it. */
  public record ServiceHealth(
      String name, String endpoint, int port, long pid, boolean healthy, String detail) {
    public ServiceHealth {
      requireNonNull(name, "name is null");
      requireNonNull(endpoint, "endpoint is null");
      requireNonNull(detail, "detail is null");
    }
  }

  public static List<ServiceHealth> check(StackState state) {
    return state.services().stream().map(s -> check(s, state.endpoints())).toList();
  }

  private static ServiceHealth check(StackState.Service service, StackEndpoints endpoints) {
    if (service.pid() > 0 && ProcessHandle.of(service.pid()).map(p -> !p.isAlive()).orElse(true)) {
      return health(
          service,
          false,
          "process %d is not running; see %s".formatted(service.pid(), service.logFile()));
    }
    return switch (service.name()) {
      case "s3" ->
          HttpProbe.status(service.endpoint(), Optional.empty()).isPresent()
              ? health(service, true, "answering")
              : health(service, false, "not answering at " + service.endpoint());
      case "catalog" -> {
        Optional<Integer> status =
            HttpProbe.status(service.endpoint() + "/v1/config", endpoints.catalogToken());
        if (status.isEmpty()) {
          yield health(service, false, "not answering at " + service.endpoint());
        }
        yield status.get() == 200
            ? health(service, true, "answering")
            : health(service, false, "answered HTTP " + status.get() + " to /v1/config");
      }
      case "trino" -> trino(service);
      default -> health(service, false, "unknown service");
    };
  }

  private static ServiceHealth trino(StackState.Service service) {
    String http = service.endpoint().replace("jdbc:trino://", "http://");
    int query = http.indexOf('?');
    String base = query < 0 ? http : http.substring(0, query);
    return HttpProbe.get(base + "/v1/info", Optional.empty())
        .map(
            response -> {
              if (response.statusCode() != 200) {
                return health(
                    service, false, "answered HTTP " + response.statusCode() + " to /v1/info");
              }
              boolean starting = response.body().replace(" ", "").contains("\"starting\":true");
              return starting
                  ? health(service, false, "starting")
                  : health(service, true, "answering");
            })
        .orElseGet(() -> health(service, false, "not answering at " + base));
  }

  private static ServiceHealth health(StackState.Service service, boolean healthy, String detail) {
    return new ServiceHealth(
        service.name(), service.endpoint(), service.port(), service.pid(), healthy, detail);
  }
}
