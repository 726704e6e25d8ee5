package io.floe.quality;

import java.util.List;

/**
 * The mean and sample standard deviation of an anomaly check's published values: what the check
 * holds the measured value to, and what the report draws its band from.
 */
record Spread(double mean, double deviation) {
  /** Of {@code values}; a deviation of 0 for fewer than two. */
  static Spread of(List<Double> values) {
    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    double squares = values.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return new Spread(mean, values.size() < 2 ? 0 : Math.sqrt(squares / (values.size() - 1)));
  }

  /** How many deviations {@code value} lies from the mean: infinite off a spread of 0. */
  double sigmas(double value) {
    if (deviation == 0) {
      return value == mean ? 0 : Double.POSITIVE_INFINITY;
    }
    return Math.abs(value - mean) / deviation;
  }
}
