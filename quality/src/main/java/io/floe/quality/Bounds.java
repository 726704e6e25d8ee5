package io.floe.quality;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.OptionalDouble;

/** An inclusive range a metric must fall in; either end may be open. */
public record Bounds(OptionalDouble min, OptionalDouble max) {
  public static final Bounds ANY = new Bounds(OptionalDouble.empty(), OptionalDouble.empty());

  public Bounds {
    requireNonNull(min, "min is null");
    requireNonNull(max, "max is null");
    if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
      throw new IllegalArgumentException(
          "min %s is above max %s".formatted(format(min.getAsDouble()), format(max.getAsDouble())));
    }
  }

  public static Bounds atMost(double max) {
    return new Bounds(OptionalDouble.empty(), OptionalDouble.of(max));
  }

  public static Bounds between(double min, double max) {
    return new Bounds(OptionalDouble.of(min), OptionalDouble.of(max));
  }

  public boolean contains(double value) {
    if (Double.isNaN(value)) {
      return false;
    }
    return (min.isEmpty() || value >= min.getAsDouble())
        && (max.isEmpty() || value <= max.getAsDouble());
  }

  public boolean isOpen() {
    return min.isEmpty() && max.isEmpty();
  }

  /** E.g. {@code [0, 100000]}, {@code <= 5}, {@code >= 1}, {@code any}. */
  @Override
  public String toString() {
    if (isOpen()) {
      return "any";
    }
    if (min.isEmpty()) {
      return "<= " + format(max.getAsDouble());
    }
    if (max.isEmpty()) {
      return ">= " + format(min.getAsDouble());
    }
    return "[%s, %s]".formatted(format(min.getAsDouble()), format(max.getAsDouble()));
  }

  /**
   * A value for people: whole numbers without a fraction, others to {@value #DIGITS} significant
   * digits ({@code 728.371093} for {@code 728.3710929653761}, {@code 0.3} for {@code
   * 0.30000000000000004}).
   */
  static String format(double value) {
    if (value == Math.rint(value) && Math.abs(value) < 1e15) {
      return Long.toString((long) value);
    }
    if (!Double.isFinite(value)) {
      return Double.toString(value);
    }
    return new BigDecimal(value)
        .round(new MathContext(DIGITS))
        .stripTrailingZeros()
        .toPlainString();
  }

  static final int DIGITS = 10;

  /**
   * {@link #format} of a value held to these bounds, unless rounding would put it on the other side
   * of them (a maximum of 100000 broken by 100000.00000001): then every digit.
   */
  String describe(double value) {
    String shown = format(value);
    return Double.isFinite(value) && contains(Double.parseDouble(shown)) != contains(value)
        ? Double.toString(value)
        : shown;
  }
}
