package io.floe.core.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Free ports come from below the range outgoing connections take their local ports from. */
class PortsTest {
  @Test
  void aFreePortIsBelowTheEphemeralRangeAndCanBeBound() throws IOException {
    Ports.PortRange ephemeral = Ports.ephemeralRange();
    // a system whose range starts lower leaves the choice to the system
    boolean roomBelow = ephemeral.low() - Ports.LOWEST_CHOSEN >= Ports.MIN_ROOM;
    for (int i = 0; i < 20; i++) {
      int port = Ports.anyFree();
      if (roomBelow) {
        assertThat(port).isBetween(Ports.LOWEST_CHOSEN, ephemeral.low() - 1);
      } else {
        assertThat(port).isPositive();
      }
      try (ServerSocket bound = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(bound.getLocalPort()).isEqualTo(port);
      }
    }
  }

  @Test
  void takesTheRangeTheSystemLists() throws IOException {
    Path file = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
    if (Files.exists(file)) {
      // read here as a stream, independently of how Ports reads it
      String[] listed;
      try (InputStream in = Files.newInputStream(file)) {
        listed = new String(in.readAllBytes(), StandardCharsets.US_ASCII).strip().split("\\s+");
      }
      assertThat(Ports.ephemeralRange())
          .isEqualTo(new Ports.PortRange(Integer.parseInt(listed[0]), Integer.parseInt(listed[1])));
    } else {
      assertThat(Ports.ephemeralRange()).isEqualTo(new Ports.PortRange(49_152, 65_535));
    }
  }

  @Test
  void neverHandsOutTheSamePortTwiceInARow() {
    // drawn at random from about 20,000 ports, 200 would repeat one more often than not
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      ports.add(Ports.anyFree());
    }
    assertThat(ports).hasSize(200);
  }

  @Test
  void readsTheRangeInTheFormLinuxListsIt() {
    assertThat(Ports.parseRange("32768\t60999\n")).contains(new Ports.PortRange(32_768, 60_999));
    assertThat(Ports.parseRange("1024 65535")).contains(new Ports.PortRange(1_024, 65_535));
    assertThat(Ports.parseRange("")).isEmpty();
    assertThat(Ports.parseRange("60999 32768")).isEmpty();
    assertThat(Ports.parseRange("a b")).isEmpty();
    assertThat(Ports.parseRange("1 2 3")).isEmpty();
  }

  @Test
  void aPortSomethingListensOnIsNotFree() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> Ports.requireFree(taken.getLocalPort(), "S3 server", "storage.port"))
          .isInstanceOfSatisfying(
              FloeException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.PORT_IN_USE))
          .hasMessageContaining("port " + taken.getLocalPort() + " for S3 server is already in use")
          .hasMessageContaining("storage.port");
    }
  }
}
