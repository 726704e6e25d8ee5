package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The quantile sketch: within KLL's rank error, exact while small, and deterministic. */
class QuantileSketchTest {
  private static final double[] RANKS = {0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99};

  /** KLL at k=200 stays within 1.65% of the count 99% of the time; allow 2%. */
  private static final double RANK_ERROR = 0.02;

  @Test
  void quantilesAreWithinTheRankErrorOfTheExactOnes() {
    for (double[] values : new double[][] {shuffled(1_000_000, 1), skewed(300_000, 2)}) {
      QuantileSketch sketch = sketchOf(values, 0, values.length);
      assertThat(sketch.count()).isEqualTo(values.length);
      assertWithinRankError(sketch, values);
    }
  }

  @Test
  void mergedSketchesAreWithinTheRankErrorToo() {
    double[] values = skewed(500_000, 3);
    QuantileSketch merged = new QuantileSketch();
    // uneven parts, as files are
    int from = 0;
    for (int part = 1; from < values.length; part++) {
      int to = Math.min(values.length, from + part * 7_000);
      merged = merged.merge(sketchOf(values, from, to));
      from = to;
    }
    assertThat(merged.count()).isEqualTo(values.length);
    assertWithinRankError(merged, values);
  }

  @Test
  void aSmallSketchIsExactAndTheEndsAlwaysAre() {
    double[] values = shuffled(150, 4);
    QuantileSketch sketch = sketchOf(values, 0, values.length);
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    assertThat(sketch.quantile(0.5)).isEqualTo(sorted[74]);
    assertThat(sketch.quantile(0.9)).isEqualTo(sorted[134]);

    QuantileSketch large = sketchOf(shuffled(100_000, 5), 0, 100_000);
    assertThat(large.quantile(0)).isEqualTo(0);
    assertThat(large.quantile(1)).isEqualTo(99_999);

    QuantileSketch empty = new QuantileSketch();
    empty.update(Double.NaN);
    assertThat(empty.isEmpty()).isTrue();
    assertThat(empty.quantile(0.5)).isNaN();
    assertThat(empty.merge(sketch).quantile(0.5)).isEqualTo(sorted[74]);
  }

  @Test
  void theSameValuesInTheSameOrderGiveTheSameSketch() throws IOException {
    double[] values = skewed(200_000, 6);
    byte[][] written = new byte[2][];
    for (int run = 0; run < 2; run++) {
      QuantileSketch merged = new QuantileSketch();
      for (int part = 0; part < 4; part++) {
        merged = merged.merge(sketchOf(values, part * 50_000, (part + 1) * 50_000));
      }
      written[run] = bytes(merged);
    }
    assertThat(written[1]).isEqualTo(written[0]);
  }

  @Test
  void aWrittenSketchReadsBackAndOtherBytesAreRefused() throws IOException {
    QuantileSketch sketch = sketchOf(skewed(50_000, 7), 0, 50_000);
    byte[] bytes = bytes(sketch);
    QuantileSketch read = read(bytes);
    assertThat(read.count()).isEqualTo(50_000);
    for (double rank : RANKS) {
      assertThat(read.quantile(rank)).isEqualTo(sketch.quantile(rank));
    }
    assertThat(bytes(read)).isEqualTo(bytes);

    byte[] wrongCount = bytes.clone();
    wrongCount[1 + 4 + 7] ^= 1; // the count's lowest byte
    assertThatThrownBy(() -> read(wrongCount))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("weighs");
    byte[] otherFormat = bytes.clone();
    otherFormat[0] = 9;
    assertThatThrownBy(() -> read(otherFormat)).hasMessageContaining("format 9");
    assertThatThrownBy(() -> read(Arrays.copyOf(bytes, 40))).isInstanceOf(IOException.class);
  }

  /** A sketch of {@code values[from..to)}, updated in order. */
  private static QuantileSketch sketchOf(double[] values, int from, int to) {
    QuantileSketch sketch = new QuantileSketch();
    for (int i = from; i < to; i++) {
      sketch.update(values[i]);
    }
    return sketch;
  }

  private static void assertWithinRankError(QuantileSketch sketch, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    for (double rank : RANKS) {
      double estimate = sketch.quantile(rank);
      // the estimate's true rank: the share of values at or below it
      int at = upperBound(sorted, estimate);
      assertThat((double) at / sorted.length)
          .as("rank of the %s quantile %s", rank, estimate)
          .isBetween(rank - RANK_ERROR, rank + RANK_ERROR);
    }
  }

  private static int upperBound(double[] sorted, double value) {
    int low = 0;
    int high = sorted.length;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (sorted[middle] <= value) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    return low;
  }

  private static double[] shuffled(int count, long seed) {
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] = i;
    }
    Random random = new Random(seed);
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double swap = values[i];
      values[i] = values[j];
      values[j] = swap;
    }
    return values;
  }

  /** Log-normal, like prices, with repeats (two decimals) and an ascending run at the start. */
  private static double[] skewed(int count, long seed) {
    Random random = new Random(seed);
    double[] values = new double[count];
    for (int i = 0; i < count; i++) {
      values[i] =
          i < count / 10 ? i * 0.01 : Math.round(Math.exp(6 + random.nextGaussian()) * 100) / 100.0;
    }
    return values;
  }

  private static byte[] bytes(QuantileSketch sketch) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      sketch.write(out);
    }
    return bytes.toByteArray();
  }

  private static QuantileSketch read(byte[] bytes) throws IOException {
    return QuantileSketch.read(new DataInputStream(new ByteArrayInputStream(bytes)));
  }
}
