package io.floe.quality;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * A partial metric computed over some rows (one data file, or a stored snapshot). States of
 * disjoint row sets merge into the state of their union; merging is associative and commutative, so
 * files can be evaluated in any order, in parallel, and incrementally.
 */
interface State {
  /** The state of this state's rows together with {@code other}'s; neither is modified. */
  State merge(State other);

  /**
   * The state of this state's rows less {@code removed}'s, which must be among them; empty when
   * this kind of state cannot tell from the two alone (a sketch; a smallest value the removed rows
   * may have held). An incremental check takes the rows of files a delete or an overwrite removed
   * out of its stored states this way.
   */
  default Optional<State> without(State removed) {
    return Optional.empty();
  }

  /**
   * The state of this state's rows less {@code removed}'s, which must be among them, together with
   * {@code added}'s: {@link #without} then {@link #merge}, unless the added rows settle what the
   * removed ones leave open (a smallest value they reach again). An update rewrites rows this way.
   */
  default Optional<State> replacing(State removed, State added) {
    return without(removed).map(left -> left.merge(added));
  }

  /** Writes this state for incremental evaluation; see the analyzer's {@code read}. */
  void write(DataOutputStream out) throws IOException;
}
