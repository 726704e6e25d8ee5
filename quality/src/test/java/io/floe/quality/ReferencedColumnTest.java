package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

class ReferencedColumnTest {
  /**
   * Each slice of the value space takes about its share of the values, for dense ids, sparse ones
   * and strings alike: a slice that took most of them would hold most of them in memory at once.
   */
  @Test
  void valuesSpreadEvenlyOverTheSlices() {
    assertSpread(id -> id, 64);
    assertSpread(id -> id << 20, 64); // ids that differ only in high bits
    assertSpread(id -> "customer-" + id, 64);
    assertSpread(id -> BigDecimal.valueOf(id, 2), 8);
    assertSpread(id -> id, 1 << 10);
  }

  private static void assertSpread(LongFunction<Object> value, int slices) {
    int perSlice = 1_000;
    int[] counts = new int[slices];
    for (long id = 0; id < (long) perSlice * slices; id++) {
      counts[ReferencedColumn.sliceOf(value.apply(id), slices)]++;
    }
    for (int slice = 0; slice < slices; slice++) {
      assertThat(counts[slice]).as("slice %d of %d", slice, slices).isBetween(850, 1_150);
    }
  }

  /** Equal normalized values lie in one slice, whichever way they were read. */
  @Test
  void equalValuesLieInOneSlice() {
    assertThat(ReferencedColumn.sliceOf(Columns.normalize(42), 16))
        .isEqualTo(ReferencedColumn.sliceOf(42L, 16));
    assertThat(ReferencedColumn.sliceOf(Columns.normalize(new BigDecimal("7.50")), 16))
        .isEqualTo(ReferencedColumn.sliceOf(Columns.normalize(new BigDecimal("7.5")), 16));
    assertThat(ReferencedColumn.sliceOf(Columns.normalize(new StringBuilder("b-17")), 16))
        .isEqualTo(ReferencedColumn.sliceOf("b-17", 16));
  }
}
