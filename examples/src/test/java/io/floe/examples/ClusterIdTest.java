package io.floe.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClusterIdTest {
  /** A random base64 id starts with a dash once in 64; Kafka's command-line tools refuse those. */
  @Test
  void newClusterIdsNeverStartWithADash() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 2_000; i++) {
      String id = EcommerceUpstream.newClusterId();
      assertThat(id).hasSize(22).doesNotStartWith("-");
      ids.add(id);
    }
    assertThat(ids).hasSize(2_000);
  }
}
