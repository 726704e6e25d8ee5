package io.floe.quality;

import java.io.DataOutputStream;

/**
 * The 64-bit hashes of the keys seen and the hashes seen more than once. A repeated hash is only a
 * candidate duplicate (two keys may share a hash); the evaluator confirms candidates by re-reading
 * the actual keys, so uniqueness is exact.
 */
final class KeyState implements State {
  final LongHashSet keys;
  final LongHashSet repeated;

  KeyState(LongHashSet keys, LongHashSet repeated) {
    this.keys = keys;
    this.repeated = repeated;
  }

  static KeyState empty() {
    return new KeyState(new LongHashSet(16), new LongHashSet(16));
  }

  void add(long hash) {
    if (!keys.add(hash)) {
      repeated.add(hash);
    }
  }

  /** Merges into the larger set, so a fold over many files copies each hash about once. */
  @Override
  public State merge(State other) {
    KeyState o = (KeyState) other;
    KeyState big = keys.size() >= o.keys.size() ? this : o;
    KeyState small = big == this ? o : this;
    LongHashSet keysUnion = copy(big.keys);
    LongHashSet repeatedUnion = copy(big.repeated);
    small.repeated.forEach(repeatedUnion::add);
    small.keys.forEach(
        h -> {
          if (!keysUnion.add(h)) {
            repeatedUnion.add(h);
          }
        });
    return new KeyState(keysUnion, repeatedUnion);
  }

  /** Like {@link #merge} but reuses this state's sets; for folding states nobody else holds. */
  KeyState mergeInPlace(KeyState o) {
    KeyState big = keys.size() >= o.keys.size() ? this : o;
    KeyState small = big == this ? o : this;
    small.repeated.forEach(big.repeated::add);
    small.keys.forEach(
        h -> {
          if (!big.keys.add(h)) {
            big.repeated.add(h);
          }
        });
    return big;
  }

  private static LongHashSet copy(LongHashSet set) {
    LongHashSet copy = new LongHashSet(set.size());
    set.forEach(copy::add);
    return copy;
  }

  @Override
  public void write(DataOutputStream out) {
    throw new UnsupportedOperationException("key sets are not stored; see IncrementalUniqueness");
  }
}
