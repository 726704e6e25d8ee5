package io.floe.quality;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.hll.Union;

/**
 * Approximate summaries: a {@link QuantileSketch} (KLL, k=200: about 1.3% rank error) for quantiles
 * and an Apache DataSketches HLL sketch (lg_k=14: about 0.8% relative error) for distinct counts.
 * Both give the same answer for the same values, however often they are evaluated: the quantile
 * sketch flips its own coins, and an HLL union keeps each register's maximum.
 */
final class SketchState implements State {
  static final int KLL_K = 200;
  static final int HLL_LG_K = 14;

  private final QuantileSketch quantiles;
  private final HllSketch distinct;

  private SketchState(QuantileSketch quantiles, HllSketch distinct) {
    this.quantiles = quantiles;
    this.distinct = distinct;
  }

  static SketchState quantiles() {
    return new SketchState(new QuantileSketch(KLL_K), null);
  }

  static SketchState distinct() {
    return new SketchState(null, new HllSketch(HLL_LG_K, TgtHllType.HLL_8));
  }

  void add(double value) {
    quantiles.update(value);
  }

  void addDistinct(long hash) {
    distinct.update(hash);
  }

  void addDistinct(String value) {
    distinct.update(value);
  }

  double quantile(double rank) {
    return quantiles.quantile(rank);
  }

  /** This state, when the removed rows held no value: a sketch cannot take values out. */
  @Override
  public java.util.Optional<State> without(State removed) {
    return ((SketchState) removed).isEmpty()
        ? java.util.Optional.of(this)
        : java.util.Optional.empty();
  }

  boolean isEmpty() {
    return quantiles != null ? quantiles.isEmpty() : distinct.isEmpty();
  }

  double distinctEstimate() {
    return Math.rint(distinct.getEstimate());
  }

  @Override
  public State merge(State other) {
    SketchState o = (SketchState) other;
    if (quantiles != null) {
      return new SketchState(quantiles.merge(o.quantiles), null);
    }
    Union union = new Union(HLL_LG_K);
    union.update(distinct);
    union.update(o.distinct);
    return new SketchState(null, union.getResult(TgtHllType.HLL_8));
  }

  @Override
  public void write(DataOutputStream out) throws IOException {
    byte[] bytes = quantiles != null ? bytes(quantiles) : distinct.toCompactByteArray();
    out.writeBoolean(quantiles != null);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  static SketchState read(boolean isQuantiles, byte[] bytes) {
    return isQuantiles
        ? new SketchState(quantiles(bytes), null)
        : new SketchState(null, HllSketch.heapify(bytes));
  }

  private static byte[] bytes(QuantileSketch sketch) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      sketch.write(out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static QuantileSketch quantiles(byte[] bytes) {
    try {
      return QuantileSketch.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable quantile sketch", e);
    }
  }
}
