package io.floe.quality;

import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.LongPredicate;

/**
 * The 64-bit hashes of the keys seen, sorted and distinct, and the sorted hashes seen more than
 * once. A repeated hash is only a candidate duplicate (two keys may share a hash); the evaluator
 * confirms candidates by re-reading the actual keys, so uniqueness is exact.
 *
 * <p>A state is built unsorted and sorted only when something needs the sorted hashes (merge,
 * contains, distinct, equality): a full evaluation needs just the repeated hashes, which {@link
 * Folder} finds without sorting, so sorting tens of millions of hashes is skipped there. Sorting is
 * a radix sort and merging a linear pass, so every step walks memory in order instead of missing
 * the cache on each row as inserts into a table of millions of slots do.
 */
final class KeyState implements State {
  private static final long[] NONE = new long[0];
  private static final KeyState EMPTY = new KeyState(NONE, NONE);

  // sorted and distinct once canonical; before that the raw hashes [0, count), repeats included
  private long[] hashes;
  private int count;
  // sorted; null while unknown (a raw state not yet sorted)
  private long[] repeated;
  private boolean canonical;

  private KeyState(long[] hashes, long[] repeated) {
    this.hashes = hashes;
    this.count = hashes.length;
    this.repeated = repeated;
    this.canonical = true;
  }

  private KeyState(long[] raw, int count, long[] repeated) {
    this.hashes = raw;
    this.count = count;
    this.repeated = repeated;
    this.canonical = false;
  }

  static KeyState empty() {
    return EMPTY;
  }

  /** The state of {@code count} hashes of {@code buffer}, which it keeps and may sort in place. */
  static KeyState of(long[] buffer, int count) {
    return new KeyState(buffer, count, null);
  }

  /** Sorts and dedupes the raw hashes, once; the repeated ones found here when still unknown. */
  private synchronized void canonicalize() {
    if (canonical) {
      return;
    }
    long[] buffer = hashes;
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
    hashes = distinct == buffer.length ? buffer : Arrays.copyOf(buffer, distinct);
    count = distinct;
    if (repeated == null) {
      repeated = Arrays.copyOf(repeatedOut, repeats);
    }
    canonical = true;
  }

  private synchronized long[] sortedRepeated() {
    if (repeated == null) {
      canonicalize();
    }
    return repeated;
  }

  private long[] sortedHashes() {
    canonicalize();
    synchronized (this) {
      return hashes;
    }
  }

  private synchronized boolean isCanonical() {
    return canonical;
  }

  /** Number of distinct hashes. */
  int distinct() {
    return sortedHashes().length;
  }

  boolean contains(long hash) {
    return Arrays.binarySearch(sortedHashes(), hash) >= 0;
  }

  /** {@link #contains} for many hashes in turn, as a scan's filter: without a lock per hash. */
  LongPredicate members() {
    long[] sorted = sortedHashes();
    return hash -> Arrays.binarySearch(sorted, hash) >= 0;
  }

  /** The hashes seen more than once, sorted; a copy. */
  long[] repeated() {
    return sortedRepeated().clone();
  }

  int repeatedCount() {
    return sortedRepeated().length;
  }

  /** A linear merge of the two sorted hash lists; a hash in both becomes a repeated one. */
  @Override
  public State merge(State other) {
    KeyState o = (KeyState) other;
    long[] a = sortedHashes();
    long[] b = o.sortedHashes();
    long[] repeatedHere = sortedRepeated();
    long[] repeatedThere = o.sortedRepeated();
    if (b.length == 0 && repeatedThere.length == 0) {
      return this;
    }
    if (a.length == 0 && repeatedHere.length == 0) {
      return o;
    }
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
    long[] repeatedUnion =
        union(union(repeatedHere, repeatedThere), Arrays.copyOf(common, commons));
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
   * Folds many states into one without sorting: the hashes of all parts are scattered into buckets
   * by their top bits (each bucket small enough for the cache), and each bucket finds its repeated
   * hashes with a small hash table, buckets in parallel on a pool when one is given. The folded
   * state keeps the hashes unsorted and sorts them only if they are asked for.
   */
  static final class Folder {
    /** About this many hashes per bucket: a bucket's table (4x as many slots) stays in L2. */
    private static final int BUCKET_TARGET = 2048;

    private static final int MAX_BUCKET_BITS = 12;

    private final List<long[]> arrays = new ArrayList<>();
    private final List<Integer> counts = new ArrayList<>();
    private final List<long[]> knownRepeats = new ArrayList<>();
    // each part's file (-1 when not told); the files of parts carrying known repeats; and, once
    // folded, the files holding a repeated hash
    private final List<Integer> files = new ArrayList<>();
    private final BitSet carryingRepeats = new BitSet();
    private BitSet holdingRepeats = new BitSet();
    private long hashes;

    void add(KeyState next) {
      add(next, -1);
    }

    /** Adds the state of the file at {@code file} of the files folded. */
    void add(KeyState next, int file) {
      long[] array;
      int size;
      long[] repeats;
      synchronized (next) {
        array = next.hashes;
        size = next.count;
        repeats = next.repeated;
      }
      if (size == 0 && (repeats == null || repeats.length == 0)) {
        return;
      }
      arrays.add(array);
      counts.add(size);
      files.add(file);
      // a canonical part lost its own repeats to dedupe, so they are carried over; a raw part
      // still holds them and the fold finds them
      if (repeats != null && repeats.length > 0) {
        knownRepeats.add(repeats);
        if (file >= 0) {
          carryingRepeats.set(file);
        }
      }
      hashes += size;
    }

    KeyState result() {
      return result(null);
    }

    /**
     * Below this many hashes the fold runs on the calling thread: handing its steps to a pool costs
     * more than they take (an incremental check's added files).
     */
    static final int PARALLEL_MIN_HASHES = 1 << 17;

    /**
     * The folded state, with the buckets spread over {@code pool} when it is not null and there are
     * at least {@link #PARALLEL_MIN_HASHES} hashes.
     */
    KeyState result(ExecutorService pool) {
      int parts = arrays.size();
      int total = Math.toIntExact(hashes);
      ExecutorService workers = total < PARALLEL_MIN_HASHES ? null : pool;
      int bits = bucketBits(total);
      int buckets = 1 << bits;
      int shift = 64 - bits;
      // per part and bucket: how many hashes, then where the part writes into the bucket
      int[][] histogram = new int[parts][];
      run(
          workers,
          parts,
          p -> {
            int[] h = new int[buckets];
            long[] array = arrays.get(p);
            int size = counts.get(p);
            for (int i = 0; i < size; i++) {
              h[bucket(array[i], shift)]++;
            }
            histogram[p] = h;
          });
      int[] bucketStart = new int[buckets + 1];
      int[][] offsets = new int[parts][buckets];
      int position = 0;
      for (int b = 0; b < buckets; b++) {
        bucketStart[b] = position;
        for (int p = 0; p < parts; p++) {
          offsets[p][b] = position;
          position += histogram[p][b];
        }
      }
      bucketStart[buckets] = position;
      long[] all = new long[total];
      run(
          workers,
          parts,
          p -> {
            int[] at = offsets[p];
            long[] array = arrays.get(p);
            int size = counts.get(p);
            for (int i = 0; i < size; i++) {
              long h = array[i];
              all[at[bucket(h, shift)]++] = h;
            }
          });
      int tasks = workers == null ? 1 : Math.min(buckets, 64);
      long[][] found = new long[tasks][];
      run(
          workers,
          tasks,
          t -> {
            int from = (int) ((long) buckets * t / tasks);
            int to = (int) ((long) buckets * (t + 1) / tasks);
            found[t] = repeatsIn(all, bucketStart, from, to);
          });
      long[] repeats = NONE;
      for (long[] part : found) {
        repeats = concat(repeats, part);
      }
      for (long[] part : knownRepeats) {
        repeats = concat(repeats, part);
      }
      long[] sortedRepeats = distinctSorted(repeats);
      holdingRepeats = (BitSet) carryingRepeats.clone();
      markFilesHolding(sortedRepeats, workers);
      arrays.clear();
      counts.clear();
      files.clear();
      carryingRepeats.clear();
      knownRepeats.clear();
      hashes = 0;
      return new KeyState(all, total, sortedRepeats);
    }

    /**
     * The files (as told to {@link #add(KeyState, int)}) that hold a hash repeated in the folded
     * state, known once {@link #result} has run: the keys behind those hashes lie in them alone.
     */
    BitSet filesHoldingRepeats() {
      return (BitSet) holdingRepeats.clone();
    }

    private void markFilesHolding(long[] sortedRepeats, ExecutorService workers) {
      if (sortedRepeats.length == 0) {
        return;
      }
      boolean[] holds = new boolean[arrays.size()];
      run(
          workers,
          arrays.size(),
          p -> {
            long[] array = arrays.get(p);
            int size = counts.get(p);
            for (int i = 0; i < size && !holds[p]; i++) {
              holds[p] = Arrays.binarySearch(sortedRepeats, array[i]) >= 0;
            }
          });
      for (int p = 0; p < holds.length; p++) {
        if (holds[p] && files.get(p) >= 0) {
          holdingRepeats.set(files.get(p));
        }
      }
    }

    private static int bucketBits(int total) {
      int wanted = 64 - Long.numberOfLeadingZeros(Math.max(1, total / BUCKET_TARGET));
      return Math.max(1, Math.min(MAX_BUCKET_BITS, wanted));
    }

    private static int bucket(long hash, int shift) {
      return (int) ((hash ^ Long.MIN_VALUE) >>> shift);
    }

    /** The hashes occurring more than once in buckets [from, to) of {@code all}, each once. */
    private static long[] repeatsIn(long[] all, int[] bucketStart, int from, int to) {
      int largest = 0;
      for (int b = from; b < to; b++) {
        largest = Math.max(largest, bucketStart[b + 1] - bucketStart[b]);
      }
      int capacity = Integer.highestOneBit(Math.max(8, largest * 2 - 1)) << 1;
      long[] slots = new long[capacity];
      // 0 marks a free slot, so a hash of 0 is tracked by its count
      long[] out = NONE;
      int n = 0;
      for (int b = from; b < to; b++) {
        int begin = bucketStart[b];
        int end = bucketStart[b + 1];
        if (end - begin < 2) {
          continue;
        }
        int mask = Integer.highestOneBit(Math.max(8, (end - begin) * 2 - 1)) * 2 - 1;
        Arrays.fill(slots, 0, mask + 1, 0L);
        int zeros = 0;
        for (int i = begin; i < end; i++) {
          long h = all[i];
          if (h == 0) {
            if (++zeros == 2) {
              out = append(out, n++, h);
            }
            continue;
          }
          int slot = (int) ((h * 0x9E3779B97F4A7C15L) >>> 32) & mask;
          while (true) {
            long there = slots[slot];
            if (there == 0) {
              slots[slot] = h;
              break;
            }
            if (there == h) {
              // a third sighting appends it again; distinctSorted drops the copies
              out = append(out, n++, h);
              break;
            }
            slot = (slot + 1) & mask;
          }
        }
      }
      return Arrays.copyOf(out, n);
    }

    private static long[] append(long[] out, int n, long value) {
      long[] grown = n == out.length ? Arrays.copyOf(out, Math.max(16, n * 2)) : out;
      grown[n] = value;
      return grown;
    }

    private static long[] concat(long[] a, long[] b) {
      if (a.length == 0) {
        return b;
      }
      if (b.length == 0) {
        return a;
      }
      long[] out = Arrays.copyOf(a, a.length + b.length);
      System.arraycopy(b, 0, out, a.length, b.length);
      return out;
    }

    private static long[] distinctSorted(long[] values) {
      long[] sorted = values.clone();
      Arrays.sort(sorted);
      int n = 0;
      for (int i = 0; i < sorted.length; i++) {
        if (n == 0 || sorted[n - 1] != sorted[i]) {
          sorted[n++] = sorted[i];
        }
      }
      return Arrays.copyOf(sorted, n);
    }

    private interface Task {
      void run(int index);
    }

    private static void run(ExecutorService pool, int count, Task task) {
      if (pool == null || count <= 1) {
        for (int i = 0; i < count; i++) {
          task.run(i);
        }
        return;
      }
      List<Future<?>> futures = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        int index = i;
        futures.add(pool.submit(() -> task.run(index)));
      }
      for (Future<?> future : futures) {
        try {
          future.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          futures.forEach(f -> f.cancel(true));
          throw new IllegalStateException("interrupted while folding key sets", e);
        } catch (ExecutionException e) {
          throw e.getCause() instanceof RuntimeException r
              ? r
              : new IllegalStateException(e.getCause());
        }
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof KeyState o
        && Arrays.equals(sortedHashes(), o.sortedHashes())
        && Arrays.equals(sortedRepeated(), o.sortedRepeated());
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(sortedHashes()) * 31 + Arrays.hashCode(sortedRepeated());
  }

  @Override
  public void write(DataOutputStream out) {
    throw new UnsupportedOperationException("key sets are not stored; see IncrementalUniqueness");
  }
}
