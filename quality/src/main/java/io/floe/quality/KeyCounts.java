package io.floe.quality;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ObjLongConsumer;

/**
 * How many rows hold each key, for the rows whose key hash is a candidate duplicate. A key is found
 * by that 64-bit hash, so keys whose own {@code hashCode} clusters (a composite key of sequential
 * ids hashes to a few of a table's buckets) still spread evenly, and is then compared whole, so two
 * keys that share a hash are told apart. Rows may be added from several threads at once: each locks
 * one of several stripes, chosen by the hash.
 */
final class KeyCounts {
  private static final int STRIPE_BITS = 6;

  private final Stripe[] stripes = new Stripe[1 << STRIPE_BITS];

  /** Counts for about {@code expectedKeys} keys. */
  KeyCounts(int expectedKeys) {
    for (int s = 0; s < stripes.length; s++) {
      stripes[s] = new Stripe(expectedKeys >> STRIPE_BITS);
    }
  }

  /** Counts a row holding {@code key}, whose hash is {@code hash}. */
  void add(long hash, List<Object> key) {
    stripes[(int) (hash >>> (64 - STRIPE_BITS))].add(hash, key);
  }

  /** Whether a row holding {@code key}, whose hash is {@code hash}, was counted. */
  boolean holds(long hash, List<Object> key) {
    return stripes[(int) (hash >>> (64 - STRIPE_BITS))].holds(hash, key);
  }

  /** Each key more than one row holds, with how many; not while rows are still being added. */
  void forEachRepeated(ObjLongConsumer<List<Object>> action) {
    for (Stripe stripe : stripes) {
      stripe.forEachRepeated(action);
    }
  }

  /** An open-addressing table of hashes, each with the first key seen under it and its count. */
  private static final class Stripe {
    private long[] hashes;
    private Object[] keys;
    private long[] counts;
    private int size;

    /** Keys whose hash an earlier, different key holds in the table (vanishingly rare). */
    private final Map<List<Object>, long[]> sharingAHash = new HashMap<>();

    Stripe(int expected) {
      int capacity = LongHashSet.capacityFor(expected);
      hashes = new long[capacity];
      keys = new Object[capacity];
      counts = new long[capacity];
    }

    synchronized void add(long hash, List<Object> key) {
      if ((size + 1) * 2 > keys.length) {
        grow();
      }
      int mask = keys.length - 1;
      int i = slot(hash, mask);
      while (keys[i] != null) {
        if (hashes[i] == hash) {
          if (keys[i].equals(key)) {
            counts[i]++;
          } else {
            sharingAHash.computeIfAbsent(key, k -> new long[1])[0]++;
          }
          return;
        }
        i = (i + 1) & mask;
      }
      hashes[i] = hash;
      keys[i] = key;
      counts[i] = 1;
      size++;
    }

    synchronized boolean holds(long hash, List<Object> key) {
      int mask = keys.length - 1;
      for (int i = slot(hash, mask); keys[i] != null; i = (i + 1) & mask) {
        if (hashes[i] == hash && keys[i].equals(key)) {
          return true;
        }
      }
      return sharingAHash.containsKey(key);
    }

    @SuppressWarnings("unchecked")
    synchronized void forEachRepeated(ObjLongConsumer<List<Object>> action) {
      for (int i = 0; i < keys.length; i++) {
        if (keys[i] != null && counts[i] > 1) {
          action.accept((List<Object>) keys[i], counts[i]);
        }
      }
      sharingAHash.forEach(
          (key, count) -> {
            if (count[0] > 1) {
              action.accept(key, count[0]);
            }
          });
    }

    private void grow() {
      long[] oldHashes = hashes;
      Object[] oldKeys = keys;
      long[] oldCounts = counts;
      hashes = new long[oldKeys.length * 2];
      keys = new Object[oldKeys.length * 2];
      counts = new long[oldKeys.length * 2];
      int mask = keys.length - 1;
      for (int o = 0; o < oldKeys.length; o++) {
        if (oldKeys[o] != null) {
          int i = slot(oldHashes[o], mask);
          while (keys[i] != null) {
            i = (i + 1) & mask;
          }
          hashes[i] = oldHashes[o];
          keys[i] = oldKeys[o];
          counts[i] = oldCounts[o];
        }
      }
    }

    /** The stripe took the hash's top bits; its slot comes from all of them, mixed. */
    private static int slot(long hash, int mask) {
      return (int) LongHashSet.mix(hash) & mask;
    }
  }
}
