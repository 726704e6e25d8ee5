package io.floe.quality;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A mergeable quantile sketch after Karnin, Lang and Liberty's KLL: a stack of compactors, level h
 * holding items of weight 2^h; a level over its capacity is sorted and every other item, starting
 * at a coin-flipped offset, moves up a level. With {@code k = 200} a quantile's rank is off by
 * about 1.3% of the count at most (99% of the time), as with Apache DataSketches' KLL.
 *
 * <p>Unlike that library's sketch, whose coin flips come from one generator shared by the whole
 * JVM, the coins here are drawn from the sketch's own state and the items being compacted: the same
 * values in the same order, merged in the same order, give the same sketch. So the same snapshot's
 * median is the same every time it is checked. Different files flip different coins, since their
 * items differ, so their errors do not add up in step.
 */
final class QuantileSketch {
  static final int DEFAULT_K = 200;
  private static final int MIN_CAPACITY = 8;
  private static final double DECAY = 2.0 / 3.0;
  private static final long GOLDEN_GAMMA = 0x9E3779B97F4A7C15L;
  private static final byte FORMAT = 1;

  private final int k;
  private final List<Level> levels = new ArrayList<>();
  private long count;
  private double min = Double.NaN;
  private double max = Double.NaN;
  private long coins;
  // items held, and how many all levels may hold together
  private int retained;
  private int capacity;
  private int[] capacities = new int[0];

  QuantileSketch(int k) {
    if (k < MIN_CAPACITY) {
      throw new IllegalArgumentException("k must be at least " + MIN_CAPACITY + ": " + k);
    }
    this.k = k;
    levels.add(new Level());
    recount();
  }

  QuantileSketch() {
    this(DEFAULT_K);
  }

  /** Adds a value; NaN is not a value and is ignored. */
  void update(double value) {
    if (Double.isNaN(value)) {
      return;
    }
    if (count++ == 0) {
      min = value;
      max = value;
    } else if (value < min) {
      min = value;
    } else if (value > max) {
      max = value;
    }
    levels.get(0).add(value);
    retained++;
    if (retained >= capacity) {
      compress();
    }
  }

  long count() {
    return count;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /**
   * The smallest retained value whose rank (the weight of the values at or below it) reaches {@code
   * rank * count}; the exact minimum at 0 and the exact maximum at 1; NaN when empty.
   */
  double quantile(double rank) {
    if (rank < 0 || rank > 1) {
      throw new IllegalArgumentException("rank must be between 0 and 1: " + rank);
    }
    if (count == 0) {
      return Double.NaN;
    }
    if (rank == 0) {
      return min;
    }
    if (rank == 1) {
      return max;
    }
    double[] values = new double[retained];
    long[] weights = new long[retained];
    int at = 0;
    for (int h = 0; h < levels.size(); h++) {
      Level level = levels.get(h);
      for (int i = 0; i < level.size; i++) {
        values[at] = level.items[i];
        weights[at++] = 1L << h;
      }
    }
    Integer[] order = new Integer[retained];
    for (int i = 0; i < retained; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double target = rank * count;
    long cumulative = 0;
    for (int i : order) {
      cumulative += weights[i];
      if (cumulative >= target) {
        return values[i];
      }
    }
    return max;
  }

  /** A new sketch of both sketches' values; neither is changed. */
  QuantileSketch merge(QuantileSketch other) {
    if (other.k != k) {
      throw new IllegalArgumentException(
          "cannot merge sketches of k %d and %d".formatted(k, other.k));
    }
    QuantileSketch merged = new QuantileSketch(k);
    merged.levels.clear();
    for (int h = 0; h < Math.max(levels.size(), other.levels.size()); h++) {
      Level level = new Level();
      if (h < levels.size()) {
        level.addAll(levels.get(h));
      }
      if (h < other.levels.size()) {
        level.addAll(other.levels.get(h));
      }
      merged.levels.add(level);
    }
    merged.count = count + other.count;
    merged.min = other.count == 0 ? min : count == 0 ? other.min : Math.min(min, other.min);
    merged.max = other.count == 0 ? max : count == 0 ? other.max : Math.max(max, other.max);
    merged.coins = mix(coins ^ Long.rotateLeft(other.coins, 17) ^ GOLDEN_GAMMA);
    merged.recount();
    merged.compress();
    return merged;
  }

  void write(DataOutputStream out) throws IOException {
    out.writeByte(FORMAT);
    out.writeInt(k);
    out.writeLong(count);
    out.writeDouble(min);
    out.writeDouble(max);
    out.writeLong(coins);
    out.writeInt(levels.size());
    for (Level level : levels) {
      out.writeInt(level.size);
      for (int i = 0; i < level.size; i++) {
        out.writeDouble(level.items[i]);
      }
    }
  }

  /** The sketch {@link #write} wrote; throws {@link IOException} on any other bytes. */
  static QuantileSketch read(DataInputStream in) throws IOException {
    byte format = in.readByte();
    if (format != FORMAT) {
      throw new IOException("unknown quantile sketch format " + format);
    }
    int k = in.readInt();
    if (k < MIN_CAPACITY || k > 1 << 16) {
      throw new IOException("implausible quantile sketch k " + k);
    }
    QuantileSketch sketch = new QuantileSketch(k);
    sketch.count = in.readLong();
    sketch.min = in.readDouble();
    sketch.max = in.readDouble();
    sketch.coins = in.readLong();
    int height = in.readInt();
    if (height < 1 || height > 64) {
      throw new IOException("implausible quantile sketch height " + height);
    }
    sketch.levels.clear();
    long weight = 0;
    for (int h = 0; h < height; h++) {
      int size = in.readInt();
      if (size < 0 || size > 4 * k) {
        throw new IOException("implausible quantile sketch level size " + size);
      }
      Level level = new Level();
      for (int i = 0; i < size; i++) {
        level.add(in.readDouble());
      }
      sketch.levels.add(level);
      weight += (long) size << h;
    }
    sketch.recount();
    if (weight != sketch.count) {
      throw new IOException(
          "quantile sketch weighs %d but counts %d values".formatted(weight, sketch.count));
    }
    return sketch;
  }

  /** Level h may hold this many items before it is compacted: k at the top, less below. */
  private int capacity(int h) {
    if (capacities.length != levels.size()) {
      capacities = new int[levels.size()];
      for (int level = 0; level < capacities.length; level++) {
        int depth = capacities.length - 1 - level;
        capacities[level] = Math.max(MIN_CAPACITY, (int) Math.ceil(k * Math.pow(DECAY, depth)));
      }
    }
    return capacities[h];
  }

  /**
   * Compacts lazily, as KLL does: only once the sketch holds as many items as all its levels may
   * hold together, and then only the lowest level over its own capacity, until it holds fewer. The
   * levels below their capacities keep their items unhalved, which is where the accuracy comes
   * from.
   */
  private void compress() {
    while (retained >= capacity) {
      int h = 0;
      while (levels.get(h).size < capacity(h)) {
        h++; // some level is over its capacity, since all together are
      }
      compact(h);
    }
  }

  private void recount() {
    retained = 0;
    capacity = 0;
    for (int h = 0; h < levels.size(); h++) {
      retained += levels.get(h).size;
      capacity += capacity(h);
    }
  }

  /**
   * Sorts level h and moves every other item, from a coin-flipped offset, to level h + 1 with twice
   * the weight; of an odd number of items the largest stays.
   */
  private void compact(int h) {
    if (h + 1 == levels.size()) {
      levels.add(new Level());
    }
    Level level = levels.get(h);
    Level above = levels.get(h + 1);
    Arrays.sort(level.items, 0, level.size);
    int pairs = level.size / 2;
    coins = mix(coins + GOLDEN_GAMMA ^ Double.doubleToRawLongBits(level.items[pairs]));
    int offset = (int) (coins & 1);
    for (int i = 0; i < pairs; i++) {
      above.add(level.items[2 * i + offset]);
    }
    boolean odd = level.size % 2 == 1;
    double kept = level.items[level.size - 1];
    level.size = 0;
    if (odd) {
      level.add(kept);
    }
    recount();
  }

  /** SplitMix64's finalizer: spreads every input bit over the output. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static final class Level {
    private double[] items = new double[16];
    private int size;

    void add(double value) {
      if (size == items.length) {
        items = Arrays.copyOf(items, size * 2);
      }
      items[size++] = value;
    }

    void addAll(Level other) {
      if (size + other.size > items.length) {
        items = Arrays.copyOf(items, Math.max(size + other.size, items.length * 2));
      }
      System.arraycopy(other.items, 0, items, size, other.size);
      size += other.size;
    }
  }
}
