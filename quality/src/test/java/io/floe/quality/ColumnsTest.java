package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ColumnsTest {
  static long hash(Object value) {
    return Columns.hash(Columns.normalize(value));
  }

  @Test
  void valuesEqualAcrossThePromotionsOfTheirColumnHashTheSame() {
    assertThat(hash(7)).isEqualTo(hash(7L));
    assertThat(hash((short) 7)).isEqualTo(hash(7L));
    assertThat(hash(1.5f)).isEqualTo(hash(1.5d));
    assertThat(hash(1.1f)).isEqualTo(hash((double) 1.1f)).isNotEqualTo(hash(1.1d));
    assertThat(hash(new BigDecimal("1.50"))).isEqualTo(hash(new BigDecimal("1.5")));
    assertThat(hash(ByteBuffer.wrap("ab".getBytes(StandardCharsets.ISO_8859_1))))
        .isEqualTo(hash("ab"));
  }

  @Test
  void zeroAndNegativeZeroAreOneValueAsSqlComparesThem() {
    assertThat(hash(-0.0d)).isEqualTo(hash(0.0d));
    assertThat(hash(-0.0f)).isEqualTo(hash(0.0d));
    assertThat(hash(Double.NaN)).isEqualTo(hash(Float.NaN));
  }

  /**
   * Stored distinct-count sketches are merged by evaluations in other processes, so a value's hash
   * must not depend on the JVM: these are the hashes every JVM computes. A hash mixing in something
   * the JVM picks (a class's identity hash code) fails this in all but a fluke run.
   */
  @Test
  void hashesAreTheSameInEveryJvm() {
    assertThat(hash(1.5d)).isEqualTo(2484043851931644024L);
    assertThat(hash(new BigDecimal("12.25"))).isEqualTo(-8277743617726009798L);
    assertThat(hash(true)).isEqualTo(-1332398705405684497L);
    assertThat(hash(UUID.fromString("6f1c9c1e-2b7a-4f5e-9a51-0d3c2e1b4a77")))
        .isEqualTo(4441597523834277112L);
    assertThat(hash(42L)).isEqualTo(-6387817139659442654L);
    assertThat(hash("paid")).isEqualTo(5738322239754292266L);
  }
}
