package io.floe.quality;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Optional;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;

/** The smallest and largest non-null value of a column (null when there was none). */
final class MinMaxState implements State {
  private final Type.PrimitiveType type;
  private final Object min;
  private final Object max;

  MinMaxState(Type.PrimitiveType type, Object min, Object max) {
    this.type = type;
    this.min = min;
    this.max = max;
  }

  static MinMaxState empty(Type.PrimitiveType type) {
    return new MinMaxState(type, null, null);
  }

  Object min() {
    return min;
  }

  Object max() {
    return max;
  }

  @Override
  public State merge(State other) {
    MinMaxState o = (MinMaxState) other;
    Comparator<Object> order = comparator();
    return new MinMaxState(type, pick(min, o.min, order, -1), pick(max, o.max, order, 1));
  }

  /**
   * This state, when the removed rows held neither its smallest nor its largest value (theirs lie
   * strictly inside): another row still holds both. Otherwise the rows left may have other bounds,
   * which only reading them tells.
   */
  @Override
  public Optional<State> without(State removed) {
    MinMaxState r = (MinMaxState) removed;
    if (r.min == null) {
      return Optional.of(this);
    }
    if (min == null) {
      return Optional.empty(); // not a state of rows the removed ones were among
    }
    Comparator<Object> order = comparator();
    return order.compare(min, r.min) < 0 && order.compare(r.max, max) < 0
        ? Optional.of(this)
        : Optional.empty();
  }

  /**
   * Each bound: this one when the removed rows lie strictly inside it, so a row left holds it, with
   * the added rows' merged in; the added rows' when they reach it or beyond, for then no row left
   * goes past theirs. Otherwise the rows left may have another bound, which only reading them
   * tells.
   */
  @Override
  public Optional<State> replacing(State removed, State added) {
    MinMaxState r = (MinMaxState) removed;
    MinMaxState a = (MinMaxState) added;
    if (r.min == null) {
      return Optional.of(merge(a));
    }
    if (min == null) {
      return Optional.empty(); // not a state of rows the removed ones were among
    }
    Comparator<Object> order = comparator();
    Object newMin = bound(min, r.min, a.min, order, -1);
    Object newMax = bound(max, r.max, a.max, order, 1);
    return newMin == null || newMax == null
        ? Optional.empty()
        : Optional.of(new MinMaxState(type, newMin, newMax));
  }

  /**
   * The bound (the smallest at {@code sign} -1, the largest at 1) of the rows left and added, or
   * null when the rows left could have another: {@code stored} of all rows before, {@code removed}
   * of the rows taken out, {@code added} (may be null) of the rows put in.
   */
  private static Object bound(
      Object stored, Object removed, Object added, Comparator<Object> order, int sign) {
    if (Integer.signum(order.compare(stored, removed)) == sign) {
      return pick(stored, added, order, sign); // a row left holds the stored bound
    }
    return added != null && Integer.signum(order.compare(added, stored)) != -sign ? added : null;
  }

  @SuppressWarnings("unchecked")
  Comparator<Object> comparator() {
    return (Comparator<Object>) Comparators.forType(type);
  }

  private static Object pick(Object a, Object b, Comparator<Object> order, int sign) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return Integer.signum(order.compare(a, b)) == sign ? a : b;
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    writeValue(out, min);
    writeValue(out, max);
  }

  private void writeValue(DataOutputStream out, Object value) throws IOException {
    if (value == null) {
      out.writeInt(-1);
      return;
    }
    ByteBuffer buffer = Conversions.toByteBuffer(type, value);
    byte[] bytes = new byte[buffer.remaining()];
    buffer.duplicate().get(bytes);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  @Override
  public boolean equals(Object other) {
    if (!(other instanceof MinMaxState o)) {
      return false;
    }
    Comparator<Object> order = comparator();
    return same(min, o.min, order) && same(max, o.max, order);
  }

  private static boolean same(Object a, Object b, Comparator<Object> order) {
    return a == null ? b == null : b != null && order.compare(a, b) == 0;
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return "MinMaxState[" + min + ", " + max + "]";
  }
}
