package io.floe.quality;

import java.util.function.LongConsumer;

/**
 * An open-addressing set of 64-bit key hashes: 8 bytes per key instead of a boxed object, so
 * uniqueness over tens of millions of rows fits in a modest heap.
 */
final class LongHashSet {
  private static final long EMPTY = 0L;
  private long[] slots;
  private int size;
  private boolean hasZero;

  LongHashSet(int expected) {
    slots = new long[capacityFor(expected)];
  }

  /** Slots for about {@code expected} values at most half full: a power of two, at least 32. */
  static int capacityFor(int expected) {
    return Integer.highestOneBit(Math.max(16, expected * 2 - 1)) << 1;
  }

  /** Adds {@code value}; returns false when it was already present. */
  boolean add(long value) {
    if (value == EMPTY) {
      if (hasZero) {
        return false;
      }
      hasZero = true;
      size++;
      return true;
    }
    if ((size + 1) * 2 > slots.length) {
      grow();
    }
    int mask = slots.length - 1;
    int i = (int) mix(value) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == value) {
        return false;
      }
      i = (i + 1) & mask;
    }
    slots[i] = value;
    size++;
    return true;
  }

  boolean contains(long value) {
    if (value == EMPTY) {
      return hasZero;
    }
    int mask = slots.length - 1;
    int i = (int) mix(value) & mask;
    while (slots[i] != EMPTY) {
      if (slots[i] == value) {
        return true;
      }
      i = (i + 1) & mask;
    }
    return false;
  }

  int size() {
    return size;
  }

  /** The values, in no particular order. */
  long[] toArray() {
    long[] values = new long[size];
    int[] at = {0};
    forEach(value -> values[at[0]++] = value);
    return values;
  }

  void forEach(LongConsumer action) {
    if (hasZero) {
      action.accept(EMPTY);
    }
    for (long slot : slots) {
      if (slot != EMPTY) {
        action.accept(slot);
      }
    }
  }

  private void grow() {
    long[] old = slots;
    slots = new long[old.length * 2];
    size = hasZero ? 1 : 0;
    for (long value : old) {
      if (value != EMPTY) {
        add(value);
      }
    }
  }

  /** Spreads a value's bits over the low ones, which pick its slot. */
  static long mix(long value) {
    long h = value * 0x9E3779B97F4A7C15L;
    return h ^ (h >>> 32);
  }
}
