package io.floe.core.process;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/** Port checks for the services Floe starts on the loopback interface. */
public final class Ports {
  /** Where Linux lists the range it takes the local ports of outgoing connections from. */
  private static final Path EPHEMERAL_RANGE_FILE =
      Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  /** The IANA dynamic range, which macOS and Windows use, for systems without that file. */
  private static final PortRange DEFAULT_EPHEMERAL = new PortRange(49_152, 65_535);

  /** The lowest port {@link #anyFree} hands out: below it sit many well-known services. */
  static final int LOWEST_CHOSEN = 10_000;

  /** How many ports below the ephemeral range there must be for {@link #anyFree} to use them. */
  static final int MIN_ROOM = 1_000;

  private static final int ATTEMPTS = 50;

  // the ports handed out lately, not handed out again: services given their ports one after the
  // other bind them only later, and must not be given the same one
  private static final int RECENT_KEPT = 256;
  private static final Set<Integer> RECENT =
      Collections.newSetFromMap(
          new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Integer, Boolean> eldest) {
              return size() > RECENT_KEPT;
            }
          });

  private Ports() {}

  /** The ports from {@code low} to {@code high}, both included. */
  record PortRange(int low, int high) {}

  /**
   * A port that is free right now, below the range the system takes the local ports of outgoing
   * connections from. A service is given its port some seconds before it binds it, and a port from
   * that range can meanwhile become the local end of any connection made on the machine; a port
   * below it can only be taken by another server. Falls back to a port the system chooses when the
   * range leaves no room below it or no port tried there is free. This process is not handed the
   * same port twice in a row of {@value #RECENT_KEPT}.
   */
  public static synchronized int anyFree() {
    PortRange ephemeral = ephemeralRange();
    if (ephemeral.low() - LOWEST_CHOSEN >= MIN_ROOM) {
      for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(LOWEST_CHOSEN, ephemeral.low());
        if (!RECENT.contains(port) && canBind(port)) {
          RECENT.add(port);
          return port;
        }
      }
    }
    for (int attempt = 0; ; attempt++) {
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
        if (RECENT.add(socket.getLocalPort()) || attempt == ATTEMPTS) {
          return socket.getLocalPort();
        }
      } catch (IOException e) {
        throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot find a free port: " + e, e);
      }
    }
  }

  /** The local port range of outgoing connections on this system. */
  static PortRange ephemeralRange() {
    try {
      // read by lines: a sysctl file reports a size of 0, and Files.readString then returns only
      // its first byte ("3"), which left every port chosen from the default range, overlapping
      // Linux's own (32768-60999)
      return parseRange(String.join(" ", Files.readAllLines(EPHEMERAL_RANGE_FILE)))
          .orElse(DEFAULT_EPHEMERAL);
    } catch (IOException | RuntimeException e) {
      return DEFAULT_EPHEMERAL;
    }
  }

  /** The range in {@code ip_local_port_range}'s form ({@code "32768\t60999"}). */
  static Optional<PortRange> parseRange(String text) {
    String[] bounds = text.strip().split("\\s+");
    try {
      if (bounds.length == 2) {
        int low = Integer.parseInt(bounds[0]);
        int high = Integer.parseInt(bounds[1]);
        if (0 < low && low <= high && high <= 65_535) {
          return Optional.of(new PortRange(low, high));
        }
      }
    } catch (NumberFormatException e) {
      // not a range
    }
    return Optional.empty();
  }

  private static boolean canBind(int port) {
    if (isListening(port)) {
      return false;
    }
    try {
      bindAndRelease(port);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void bindAndRelease(int port) throws IOException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
    }
  }

  /** {@code port} itself when it is not 0, else any free port. */
  public static int resolve(int port) {
    return port == 0 ? anyFree() : port;
  }

  /**
   * Fails when something already listens on {@code port}.
   *
   * @param settingKey the configuration key that chose the port, named in the error
   */
  public static void requireFree(int port, String service, String settingKey) {
    if (isListening(port)) {
      throw new FloeException(
          ErrorCode.PORT_IN_USE,
          "port %d for %s is already in use; stop what uses it or set %s to another port (0 picks a free one)"
              .formatted(port, service, settingKey));
    }
    try {
      bindAndRelease(port);
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.PORT_IN_USE,
          "port %d for %s cannot be bound (%s); set %s to another port (0 picks a free one)"
              .formatted(port, service, e.getMessage(), settingKey),
          e);
    }
  }

  /** Whether something accepts connections on {@code port} of the loopback interface. */
  public static boolean isListening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
