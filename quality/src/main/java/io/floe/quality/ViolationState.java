package io.floe.quality;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Rows checked, rows that broke a row rule, and up to {@code limit} sample values. The samples kept
 * are the smallest by text, so merging stays commutative and associative.
 */
record ViolationState(long rows, long violations, List<String> samples, int limit)
    implements State {
  ViolationState {
    samples = List.copyOf(samples);
  }

  static ViolationState empty(int limit) {
    return new ViolationState(0, 0, List.of(), limit);
  }

  @Override
  public State merge(State other) {
    ViolationState o = (ViolationState) other;
    TreeSet<String> kept = new TreeSet<>(samples);
    kept.addAll(o.samples);
    while (kept.size() > limit) {
      kept.pollLast();
    }
    return new ViolationState(rows + o.rows, violations + o.violations, List.copyOf(kept), limit);
  }

  /**
   * This state less rows that broke no rule: its samples are still rows that are there. Removed
   * rows that broke it may be among the samples, so those need a read of the rows left.
   */
  @Override
  public Optional<State> without(State removed) {
    ViolationState r = (ViolationState) removed;
    return r.violations == 0
        ? Optional.of(new ViolationState(rows - r.rows, violations, samples, limit))
        : Optional.empty();
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    out.writeLong(rows);
    out.writeLong(violations);
    out.writeInt(limit);
    out.writeInt(samples.size());
    for (String sample : samples) {
      out.writeUTF(sample.length() > 200 ? sample.substring(0, 200) : sample);
    }
  }
}
