package io.floe.examples;

import java.util.SplittableRandom;

/**
 * Independent, reproducible random streams: one per (seed, stream, id), so generating one part of
 * the data (say, with defects on) never shifts the values of another.
 */
final class ShopRandom {
  static final long USERS = 1;
  static final long PRODUCTS = 2;
  static final long ORDERS = 3;
  static final long UPDATES = 4;
  static final long SESSIONS = 5;
  static final long INVENTORY = 6;
  static final long DEFECTS = 7;
  static final long INVENTORY_DEFECTS = 8;
  static final long TWEETS = 9;

  private ShopRandom() {}

  static SplittableRandom of(long seed, long stream, long id) {
    return new SplittableRandom(mix(seed ^ mix(stream * 0x9E3779B97F4A7C15L + id)));
  }

  /** MurmurHash3's 64-bit finalizer: spreads nearby inputs over the whole range. */
  static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb9fe1a85ec53L;
    return z ^ (z >>> 33);
  }
}
