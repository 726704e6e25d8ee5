package io.floe.quality;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/** Rows seen, and how many of them were null in the analyzed column. */
record CountState(long rows, long nulls) implements State {
  static final CountState EMPTY = new CountState(0, 0);

  @Override
  public State merge(State other) {
    CountState o = (CountState) other;
    return new CountState(rows + o.rows, nulls + o.nulls);
  }

  @Override
  public Optional<State> without(State removed) {
    CountState r = (CountState) removed;
    return Optional.of(new CountState(rows - r.rows, nulls - r.nulls));
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    out.writeLong(rows);
    out.writeLong(nulls);
  }
}
