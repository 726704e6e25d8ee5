package io.floe.quality;

import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A partial metric computed over some rows (one data file, or a stored snapshot). States of
 * disjoint row sets merge into the state of their union; merging is associative and commutative, so
 * files can be evaluated in any order, in parallel, and incrementally.
 */
interface State {
  /** The state of this state's rows together with {@code other}'s; neither is modified. */
  State merge(State other);

  /** Writes this state for incremental evaluation; see the analyzer's {@code read}. */
  void write(DataOutputStream out) throws IOException;
}
