package io.floe.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * Merging the states of any split of the rows equals the state of all rows, in any order (Deequ's
 * state-aggregation law): what makes per-file, parallel and incremental evaluation correct.
 */
class StateMergeLawTest {
  private final Random random = new Random();

  record Row(Object value) implements StructLike {
    @Override
    public int size() {
      return 1;
    }

    @Override
    public <T> T get(int pos, Class<T> javaClass) {
      return javaClass.cast(value);
    }

    @Override
    public <T> void set(int pos, T value) {
      throw new UnsupportedOperationException();
    }
  }

  private List<Long> values() {
    List<Long> values = new ArrayList<>();
    int n = 1 + random.nextInt(2000);
    for (int i = 0; i < n; i++) {
      values.add(random.nextInt(10) == 0 ? null : (long) random.nextInt(500) - 100);
    }
    return values;
  }

  private static State compute(Analyzer analyzer, List<Long> values) {
    org.apache.iceberg.Schema projection =
        new org.apache.iceberg.Schema(Types.NestedField.optional(1, "x", Types.LongType.get()));
    Analyzer.Accumulator accumulator = analyzer.accumulator(projection);
    values.forEach(v -> accumulator.add(new Row(v), new Row(v)));
    return accumulator.result();
  }

  /** Splits {@code values} at random points, computes each part and merges in shuffled order. */
  private State splitAndMerge(Analyzer analyzer, List<Long> values) {
    List<List<Long>> parts = new ArrayList<>();
    int start = 0;
    while (start < values.size()) {
      int end = Math.min(values.size(), start + 1 + random.nextInt(values.size()));
      parts.add(values.subList(start, end));
      start = end;
    }
    parts.add(List.of());
    Collections.shuffle(parts, random);
    State total = analyzer.empty();
    for (List<Long> part : parts) {
      total = total.merge(compute(analyzer, part));
    }
    return total;
  }

  private void assertLaw(Analyzer analyzer, Function<State, Object> view) {
    List<Long> values = values();
    State whole = compute(analyzer, values);
    State merged = splitAndMerge(analyzer, values);
    assertThat(view.apply(merged)).isEqualTo(view.apply(whole));
    // commutativity and associativity on three parts
    List<Long> a = values.subList(0, values.size() / 3);
    List<Long> b = values.subList(values.size() / 3, 2 * values.size() / 3);
    List<Long> c = values.subList(2 * values.size() / 3, values.size());
    State sa = compute(analyzer, a);
    State sb = compute(analyzer, b);
    State sc = compute(analyzer, c);
    assertThat(view.apply(sa.merge(sb).merge(sc))).isEqualTo(view.apply(sc.merge(sb.merge(sa))));
  }

  @RepeatedTest(20)
  void countsNullsMinMaxAndViolationsMergeExactly() {
    assertLaw(new NullCountAnalyzer("x"), s -> s);
    assertLaw(new MinMaxAnalyzer("x", Types.LongType.get()), s -> s);
    assertLaw(
        new RuleFactory(
                new org.apache.iceberg.Schema(
                    Types.NestedField.optional(1, "x", Types.LongType.get())),
                3)
            .predicate("x >= 0"),
        s -> s);
    assertLaw(new SketchAnalyzer("x", false), s -> ((SketchState) s).distinctEstimate());
    assertLaw(new KeyAnalyzer(List.of("x")), s -> s);
  }

  @RepeatedTest(20)
  void keySetsFoldedBySizeEqualOneStateOfAllRows() {
    KeyAnalyzer analyzer = new KeyAnalyzer(List.of("x"));
    List<Long> values = values();
    KeyState.Folder folder = new KeyState.Folder();
    int start = 0;
    while (start < values.size()) {
      int end = Math.min(values.size(), start + 1 + random.nextInt(1 + values.size() / 4));
      folder.add((KeyState) compute(analyzer, values.subList(start, end)));
      start = end;
    }
    assertThat(folder.result()).isEqualTo(compute(analyzer, values));
  }

  @RepeatedTest(10)
  void keySetsFoldedInParallelBucketsEqualOneStateOfAllHashes() throws Exception {
    // enough hashes for many buckets; 0 (the free-slot marker), negatives, repeats in one part,
    // across parts, and already-merged (sorted, deduped) parts
    long[] all = new long[KeyState.Folder.PARALLEL_MIN_HASHES + random.nextInt(60_000)];
    for (int i = 0; i < all.length; i++) {
      int kind = random.nextInt(20);
      all[i] = kind == 0 ? 0 : kind == 1 ? random.nextInt(50) - 25 : random.nextLong();
    }
    for (int i = 0; i < 200; i++) {
      all[random.nextInt(all.length)] = all[random.nextInt(all.length)];
    }
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(2);
    try {
      KeyState.Folder folder = new KeyState.Folder();
      int start = 0;
      while (start < all.length) {
        int end = Math.min(all.length, start + 1 + random.nextInt(all.length / 4));
        KeyState part = KeyState.of(java.util.Arrays.copyOfRange(all, start, end), end - start);
        if (random.nextBoolean()) {
          part = (KeyState) part.merge(KeyState.empty().merge(KeyState.of(new long[0], 0)));
          part.distinct();
        }
        folder.add(part);
        start = end;
      }
      KeyState folded = folder.result(pool);
      KeyState whole = KeyState.of(all.clone(), all.length);
      assertThat(folded.repeated()).isEqualTo(whole.repeated());
      assertThat(folded.repeatedCount()).isPositive();
      assertThat(folded).isEqualTo(whole);
      assertThat(folded.distinct()).isEqualTo(whole.distinct());
    } finally {
      pool.shutdown();
    }
  }

  @RepeatedTest(5)
  void specialisedKeyHashesEqualTheGenericHashThatConfirmsCandidates() {
    org.apache.iceberg.Schema projection =
        new org.apache.iceberg.Schema(
            Types.NestedField.optional(1, "l", Types.LongType.get()),
            Types.NestedField.optional(2, "i", Types.IntegerType.get()),
            Types.NestedField.optional(3, "s", Types.StringType.get()));
    KeyAnalyzer.ColumnHash[] hashes = {
      KeyAnalyzer.columnHash(projection, "l"),
      KeyAnalyzer.columnHash(projection, "i"),
      KeyAnalyzer.columnHash(projection, "s")
    };
    for (int n = 0; n < 1000; n++) {
      Object[] values = {
        random.nextInt(5) == 0 ? null : random.nextLong(),
        random.nextInt(5) == 0 ? null : random.nextInt(),
        random.nextInt(5) == 0 ? null : Long.toString(random.nextLong(), 36)
      };
      org.apache.iceberg.data.GenericRecord row =
          org.apache.iceberg.data.GenericRecord.create(projection);
      for (int c = 0; c < values.length; c++) {
        row.set(c, values[c]);
      }
      // as a file is read: the row in its internal representation, and the row as read
      org.apache.iceberg.StructLike internal =
          new org.apache.iceberg.data.InternalRecordWrapper(projection.asStruct()).wrap(row);
      for (int c = 0; c < values.length; c++) {
        assertThat(hashes[c].hash(internal, row))
            .isEqualTo(Columns.hash(Columns.normalize(values[c])));
      }
      // an int key hashes like the same number as a long
      if (values[1] != null) {
        assertThat(hashes[1].hash(internal, row))
            .isEqualTo(Columns.hash(Columns.normalize(((Integer) values[1]).longValue())));
      }
    }
  }

  @RepeatedTest(5)
  void radixSortOrdersSignedLongsLikeArraysSort() {
    long[] values = new long[1 + random.nextInt(20000)];
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextBoolean() ? random.nextLong() : random.nextInt(100) - 50;
    }
    long[] expected = values.clone();
    java.util.Arrays.sort(expected);
    KeyState.radixSort(values, values.length);
    assertThat(values).isEqualTo(expected);
  }

  @RepeatedTest(20)
  void momentsMergeWithinRounding() {
    MomentsAnalyzer analyzer = new MomentsAnalyzer("x");
    List<Long> values = values();
    MomentsState whole = (MomentsState) compute(analyzer, values);
    MomentsState merged = (MomentsState) splitAndMerge(analyzer, values);
    assertThat(merged.count()).isEqualTo(whole.count());
    assertThat(merged.sum()).isEqualTo(whole.sum());
    assertThat(merged.mean()).isCloseTo(whole.mean(), within(1e-9));
    assertThat(merged.stddev()).isCloseTo(whole.stddev(), within(1e-9));
  }

  @Test
  void momentsOfTimestampsAreTakenInInternalMicrosNotFromTheRowAsRead() {
    org.apache.iceberg.Schema projection =
        new org.apache.iceberg.Schema(
            Types.NestedField.optional(1, "x", Types.TimestampType.withZone()));
    Analyzer.Accumulator accumulator = new MomentsAnalyzer("x").accumulator(projection);
    OffsetDateTime at = OffsetDateTime.of(2026, 11, 23, 0, 0, 0, 0, ZoneOffset.UTC);
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, at.toInstant());
    accumulator.add(new Row(micros), new Row(at));
    accumulator.add(new Row(micros + 2), new Row(at.plusNanos(2_000)));
    MomentsState moments = (MomentsState) accumulator.result();
    assertThat(moments.count()).isEqualTo(2);
    assertThat(moments.mean()).isEqualTo(micros + 1.0);
  }

  @Test
  void momentsOfNumbersSkipNullsAndNaN() {
    org.apache.iceberg.Schema projection =
        new org.apache.iceberg.Schema(Types.NestedField.optional(1, "x", Types.DoubleType.get()));
    Analyzer.Accumulator accumulator = new MomentsAnalyzer("x").accumulator(projection);
    for (Double value : java.util.Arrays.asList(1.0, null, Double.NaN, 3.0)) {
      accumulator.add(new Row(value), new Row(value));
    }
    MomentsState moments = (MomentsState) accumulator.result();
    assertThat(moments.count()).isEqualTo(2);
    assertThat(moments.sum()).isEqualTo(4.0);
    assertThat(moments.mean()).isEqualTo(2.0);
  }

  @RepeatedTest(5)
  void quantileSketchesMergeWithinTheirRankError() {
    SketchAnalyzer analyzer = new SketchAnalyzer("x", true);
    List<Long> values = new ArrayList<>();
    for (int i = 0; i < 50_000; i++) {
      values.add((long) random.nextInt(1_000_000));
    }
    SketchState merged = (SketchState) splitAndMerge(analyzer, values);
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    double exactMedian = sorted.get(sorted.size() / 2);
    // KLL k=200 has about 1.3% normalized rank error; values are uniform over 1e6
    assertThat(merged.quantile(0.5)).isCloseTo(exactMedian, within(30_000.0));
  }

  /**
   * Taking a subset of the rows out of the state of all rows gives the state of the rest, for the
   * states that can tell; the others say they cannot, exactly when the removed rows could have
   * changed what they hold (a bound they held, a rule they broke, any value of a sketch).
   */
  @RepeatedTest(20)
  void takingRowsOutOfAStateLeavesTheStateOfTheRest() {
    List<Long> values = values();
    List<Long> removed = new ArrayList<>();
    List<Long> kept = new ArrayList<>();
    // sometimes a single row, sometimes a share of them
    boolean one = random.nextBoolean();
    for (int i = 0; i < values.size(); i++) {
      if (one ? i == values.size() / 2 : random.nextInt(4) == 0) {
        removed.add(values.get(i));
      } else {
        kept.add(values.get(i));
      }
    }
    org.apache.iceberg.Schema schema =
        new org.apache.iceberg.Schema(Types.NestedField.optional(1, "x", Types.LongType.get()));
    List<Analyzer> exact =
        List.of(new NullCountAnalyzer("x"), new RuleFactory(schema, 3).predicate("x >= 0"));
    for (Analyzer analyzer : exact) {
      State rest = compute(analyzer, values).without(compute(analyzer, removed)).orElse(null);
      if (analyzer instanceof NullCountAnalyzer) {
        assertThat(rest).isEqualTo(compute(analyzer, kept));
      } else if (((ViolationState) compute(analyzer, removed)).violations() == 0) {
        assertThat(rest).isEqualTo(compute(analyzer, kept));
      } else {
        assertThat(rest).isNull();
      }
    }

    MinMaxAnalyzer bounds = new MinMaxAnalyzer("x", Types.LongType.get());
    MinMaxState all = (MinMaxState) compute(bounds, values);
    MinMaxState gone = (MinMaxState) compute(bounds, removed);
    boolean inside =
        gone.min() == null
            || ((Long) gone.min() > (Long) all.min() && (Long) gone.max() < (Long) all.max());
    assertThat(all.without(gone)).isEqualTo(inside ? Optional.of(all) : Optional.empty());
    if (inside) {
      assertThat(all).isEqualTo(compute(bounds, kept));
    }

    MomentsAnalyzer moments = new MomentsAnalyzer("x");
    MomentsState rest =
        (MomentsState) compute(moments, values).without(compute(moments, removed)).orElseThrow();
    MomentsState expected = (MomentsState) compute(moments, kept);
    assertThat(rest.count()).isEqualTo(expected.count());
    assertThat(rest.sum()).isCloseTo(expected.sum(), within(1e-6));
    assertThat(rest.mean()).isCloseTo(expected.mean(), within(1e-9));
    assertThat(rest.stddev()).isCloseTo(expected.stddev(), within(1e-7));

    SketchAnalyzer sketch = new SketchAnalyzer("x", false);
    boolean noValue = removed.stream().allMatch(java.util.Objects::isNull);
    assertThat(compute(sketch, values).without(compute(sketch, removed)).isPresent())
        .isEqualTo(noValue);
  }

  /**
   * Replacing some rows by others gives the state of the rows left and added whenever it gives one;
   * for bounds it gives one exactly when, for each bound, the removed rows lie strictly inside it
   * (a row left holds it) or the added rows reach it: an update that rewrites the row holding the
   * smallest value, keeping the value, keeps the bound.
   */
  @RepeatedTest(40)
  void replacingRowsGivesTheStateOfTheRowsLeftAndAdded() {
    List<Long> values = values();
    List<Long> removed = new ArrayList<>();
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      (random.nextInt(4) == 0 ? removed : kept).add(values.get(i));
    }
    // the added rows: some of the removed values again (an update keeping them), some new
    List<Long> added = new ArrayList<>();
    for (Long value : removed) {
      int choice = random.nextInt(3);
      if (choice == 0) {
        added.add(value);
      } else if (choice == 1) {
        added.add(value == null ? null : value + random.nextInt(21) - 10);
      }
    }
    List<Long> after = new ArrayList<>(kept);
    after.addAll(added);
    MinMaxAnalyzer bounds = new MinMaxAnalyzer("x", Types.LongType.get());
    MinMaxState all = (MinMaxState) compute(bounds, values);
    MinMaxState gone = (MinMaxState) compute(bounds, removed);
    MinMaxState put = (MinMaxState) compute(bounds, added);
    MinMaxState expected = (MinMaxState) compute(bounds, after);
    Optional<State> replaced = all.replacing(gone, put);

    // a bound a row left holds is known only when the removed rows do not hold it too
    boolean leftHoldsMin = gone.min() != null && (Long) gone.min() > (Long) all.min();
    boolean leftHoldsMax = gone.max() != null && (Long) gone.max() < (Long) all.max();
    boolean reached =
        (gone.min() == null
                || leftHoldsMin
                || (put.min() != null && (Long) put.min() <= (Long) all.min()))
            && (gone.max() == null
                || leftHoldsMax
                || (put.max() != null && (Long) put.max() >= (Long) all.max()));
    assertThat(replaced.isPresent()).isEqualTo(reached);
    replaced.ifPresent(state -> assertThat(state).isEqualTo(expected));

    // the default for the other states: take out, then merge in
    MomentsAnalyzer moments = new MomentsAnalyzer("x");
    MomentsState moved =
        (MomentsState)
            compute(moments, values)
                .replacing(compute(moments, removed), compute(moments, added))
                .orElseThrow();
    assertThat(moved.count()).isEqualTo(((MomentsState) compute(moments, after)).count());
    assertThat(moved.sum()).isCloseTo(((MomentsState) compute(moments, after)).sum(), within(1e-6));
  }
}
