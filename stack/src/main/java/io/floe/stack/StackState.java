package io.floe.stack;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.OwnerOnlyFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a running stack supervisor publishes in {@code <home>/stack.json}: its pid, the endpoints
 * and each service's process. Other {@code floe} commands read it to find the stack.
 */
public record StackState(
    long supervisorPid, Instant startedAt, StackEndpoints endpoints, List<Service> services) {
  static final String FILE_NAME = "stack.json";
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .registerModule(new Jdk8Module())
          .registerModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT);

  /** One service of the stack; {@code pid} is -1 for external services. */
  public record Service(String name, String endpoint, int port, long pid, String logFile) {
    public Service {
      requireNonNull(name, "name is null");
      requireNonNull(endpoint, "endpoint is null");
      requireNonNull(logFile, "logFile is null");
    }
  }

  public StackState {
    requireNonNull(startedAt, "startedAt is null");
    requireNonNull(endpoints, "endpoints is null");
    services = List.copyOf(services);
  }

  /** The state of a stack this process just started. */
  public static StackState of(EmbeddedStack stack) {
    List<Service> services =
        stack.services().stream()
            .map(
                s ->
                    new Service(
                        s.name(),
                        s.endpoint(),
                        s.port(),
                        s.process().map(p -> p.pid()).orElse(-1L),
                        s.process().map(p -> p.logFile().toString()).orElse("")))
            .toList();
    return new StackState(
        ProcessHandle.current().pid(), Instant.now(), stack.endpoints(), services);
  }

  /** Whether the supervisor that wrote this state still runs. */
  public boolean supervisorAlive() {
    return ProcessHandle.of(supervisorPid).map(ProcessHandle::isAlive).orElse(false);
  }

  public static Path file(Path home) {
    return home.resolve(FILE_NAME);
  }

  /** The state in {@code home}, if a stack wrote one. */
  public static Optional<StackState> read(Path home) {
    Path file = file(home);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(file.toFile(), StackState.class));
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR,
          "cannot read %s (%s); remove it if no stack runs".formatted(file, e.getMessage()),
          e);
    }
  }

  /** Writes this state atomically, readable by the owner only (it holds credentials). */
  public void write(Path home) {
    Path file = file(home);
    try {
      OwnerOnlyFiles.write(file, out -> MAPPER.writeValue(out, this));
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot write " + file + ": " + e, e);
    }
  }

  public static void delete(Path home) {
    try {
      Files.deleteIfExists(file(home));
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.INTERNAL_ERROR, "cannot remove " + file(home) + ": " + e, e);
    }
  }

  /** This state as JSON, e.g. for {@code floe status --json}. */
  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot render JSON: " + e, e);
    }
  }
}
