package io.floe.core.process;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** Port checks for the services Floe starts on the loopback interface. */
public final class Ports {
  private Ports() {}

  /** A port that is free right now, chosen by the operating system. */
  public static int anyFree() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot find a free port: " + e, e);
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
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
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
