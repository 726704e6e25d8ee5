package io.floe.quality;

import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 64-bit hashes of the keys seen, sorted and distinct, and the sorted hashes seen more than
 * once. A repeated hash is only a candidate duplicate (two keys may share a hash); the evaluator
 * confirms candidates by re-reading the actual keys, so uniqueness is exact.
 *
 * <p>Sorted arrays rather than a hash set: a file's hashes are appended sequentially and radix
 * sorted once, and states merge by a linear pass, so every step walks memory in order instead of
 * missing the cache on each row as inserts into a table of millions of slots do.
 */
final class KeyState implements State {
  private static final long[] NONE = new long[0];
  private static final KeyState EMPTY = new KeyState(NONE, NONE);

  private final long[] hashes;
  private final long[] repeated;

  private KeyState(long[] hashes, long[] repeated) {
    this.hashes = hashes;
    this.repeated = repeated;
  }

  static KeyState empty() {
    return EMPTY;
  }

  /** The state of {@code count} hashes of {@code buffer}, which it sorts in place and keeps. */
  static KeyState of(long[] buffer, int count) {
    radixSort(buffer, count);
    int distinct = 0;
    int repeats = 0;
    long[] repeatedOut = NONE;
    for (int i = 0; i < count; ) {
      long h = buffer[i];
      int end = i + 1;
      while (end < count && buffer[end] == h) {
        end++;
      }
      if (end - i > 1) {
        if (repeats == repeatedOut.length) {
          repeatedOut = Arrays.copyOf(repeatedOut, Math.max(16, repeats * 2));
        }
        repeatedOut[repeats++] = h;
      }
      buffer[distinct++] = h;
      i = end;
    }
    return new KeyState(
        distinct == buffer.length ? buffer : Arrays.copyOf(buffer, distinct),
        Arrays.copyOf(repeatedOut, repeats));
  }

  /** Number of distinct hashes. */
  int distinct() {
    return hashes.length;
  }

  boolean contains(long hash) {
    return Arrays.binarySearch(hashes, hash) >= 0;
  }

  /** The hashes seen more than once, sorted; a copy. */
  long[] repeated() {
    return repeated.clone();
  }

  int repeatedCount() {
    return repeated.length;
  }

  /** A linear merge of the two sorted hash lists; a hash in both becomes a repeated one. */
  @Override
  public State merge(State other) {
    KeyState o = (KeyState) other;
    if (o.hashes.length == 0 && o.repeated.length == 0) {
      return this;
    }
    if (hashes.length == 0 && repeated.length == 0) {
      return o;
    }
    long[] a = hashes;
    long[] b = o.hashes;
    long[] out = new long[a.length + b.length];
    long[] common = NONE;
    int commons = 0;
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length && j < b.length) {
      long x = a[i];
      long y = b[j];
      if (x < y) {
        out[n++] = x;
        i++;
      } else if (x > y) {
        out[n++] = y;
        j++;
      } else {
        out[n++] = x;
        if (commons == common.length) {
          common = Arrays.copyOf(common, Math.max(16, commons * 2));
        }
        common[commons++] = x;
        i++;
        j++;
      }
    }
    System.arraycopy(a, i, out, n, a.length - i);
    n += a.length - i;
    System.arraycopy(b, j, out, n, b.length - j);
    n += b.length - j;
    long[] merged = n == out.length ? out : Arrays.copyOf(out, n);
    long[] repeatedUnion = union(union(repeated, o.repeated), Arrays.copyOf(common, commons));
    return new KeyState(merged, repeatedUnion);
  }

  private static long[] union(long[] a, long[] b) {
    if (b.length == 0) {
      return a;
    }
    if (a.length == 0) {
      return b;
    }
    long[] out = new long[a.length + b.length];
    int i = 0;
    int j = 0;
    int n = 0;
    while (i < a.length || j < b.length) {
      long next;
      if (j == b.length || (i < a.length && a[i] < b[j])) {
        next = a[i++];
      } else if (i == a.length || b[j] < a[i]) {
        next = b[j++];
      } else {
        next = a[i++];
        j++;
      }
      out[n++] = next;
    }
    return n == out.length ? out : Arrays.copyOf(out, n);
  }

  /**
   * Sorts {@code a[0..count)} as signed longs: least significant digit first, 11 bits a pass, the
   * top digit's sign bit flipped. Linear time, which matters for millions of hashes per file.
   */
  static void radixSort(long[] a, int count) {
    if (count < 256) {
      Arrays.sort(a, 0, count);
      return;
    }
    long[] src = a;
    long[] dst = new long[count];
    int[] counts = new int[1 << 11];
    for (int shift = 0; shift < 64; shift += 11) {
      int bits = Math.min(11, 64 - shift);
      int mask = (1 << bits) - 1;
      long flip = shift + bits == 64 ? 1L << (bits - 1) : 0;
      Arrays.fill(counts, 0);
      for (int i = 0; i < count; i++) {
        counts[(int) (((src[i] >>> shift) ^ flip) & mask)]++;
      }
      int sum = 0;
      for (int d = 0; d <= mask; d++) {
        int c = counts[d];
        counts[d] = sum;
        sum += c;
      }
      for (int i = 0; i < count; i++) {
        long v = src[i];
        dst[counts[(int) (((v >>> shift) ^ flip) & mask)]++] = v;
      }
      long[] swap = src;
      src = dst;
      dst = swap;
    }
    if (src != a) {
      System.arraycopy(src, 0, a, 0, count);
    }
  }

  /**
   * Folds many states into one: their hashes are concatenated and radix sorted once at the end, a
   * few linear passes over all hashes, where merging sorted lists pairwise copies each hash
   * log2(files) times with an unpredictable branch per element.
   */
  static final class Folder {
    private final List<KeyState> parts = new ArrayList<>();
    private long hashes;

    void add(KeyState next) {
      parts.add(next);
      hashes += next.hashes.length;
    }

    KeyState result() {
      if (parts.size() <= 1) {
        return parts.isEmpty() ? EMPTY : parts.get(0);
      }
      long[] all = new long[Math.toIntExact(hashes)];
      int n = 0;
      int repeats = 0;
      for (KeyState part : parts) {
        System.arraycopy(part.hashes, 0, all, n, part.hashes.length);
        n += part.hashes.length;
        repeats += part.repeated.length;
      }
      long[] partRepeats = new long[repeats];
      int r = 0;
      for (KeyState part : parts) {
        System.arraycopy(part.repeated, 0, partRepeats, r, part.repeated.length);
        r += part.repeated.length;
      }
      parts.clear();
      // a hash in two parts repeats across files; one repeated within a part stays repeated
      KeyState combined = of(all, n);
      KeyState within = of(partRepeats, repeats);
      return new KeyState(combined.hashes, union(combined.repeated, within.hashes));
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyState o
        && Arrays.equals(hashes, o.hashes)
        && Arrays.equals(repeated, o.repeated);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(hashes) * 31 + Arrays.hashCode(repeated);
  }

  @Override
  public void write(DataOutputStream out) {
    throw new UnsupportedOperationException("key sets are not stored; see IncrementalUniqueness");
  }
}
