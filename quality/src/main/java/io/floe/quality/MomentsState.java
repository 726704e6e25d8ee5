package io.floe.quality;

import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Optional;

/**
 * Count, sum, mean and sum of squared deviations of the non-null values, merged with Chan et al.'s
 * pairwise update so standard deviations stay accurate for large counts.
 */
record MomentsState(long count, double sum, double mean, double m2) implements State {
  static final MomentsState EMPTY = new MomentsState(0, 0, 0, 0);

  MomentsState add(double value) {
    long n = count + 1;
    double delta = value - mean;
    double newMean = mean + delta / n;
    return new MomentsState(n, sum + value, newMean, m2 + delta * (value - newMean));
  }

  @Override
  public State merge(State other) {
    MomentsState o = (MomentsState) other;
    if (o.count == 0) {
      return this;
    }
    if (count == 0) {
      return o;
    }
    long n = count + o.count;
    double delta = o.mean - mean;
    double newMean = (mean * count + o.mean * o.count) / n;
    double newM2 = m2 + o.m2 + delta * delta * ((double) count * o.count / n);
    return new MomentsState(n, sum + o.sum, newMean, newM2);
  }

  /**
   * The inverse of {@link #merge}: the moments of the rows {@code removed} was not computed over.
   */
  @Override
  public Optional<State> without(State removed) {
    MomentsState r = (MomentsState) removed;
    if (r.count == 0) {
      return Optional.of(this);
    }
    long n = count - r.count;
    if (n == 0) {
      return Optional.of(EMPTY);
    }
    double keptMean = (mean * count - r.mean * r.count) / n;
    double delta = r.mean - keptMean;
    double keptM2 = m2 - r.m2 - delta * delta * ((double) n * r.count / count);
    return Optional.of(new MomentsState(n, sum - r.sum, keptMean, Math.max(0, keptM2)));
  }

  double stddev() {
    return count < 2 ? 0 : Math.sqrt(m2 / (count - 1));
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    out.writeLong(count);
    out.writeDouble(sum);
    out.writeDouble(mean);
    out.writeDouble(m2);
  }
}
