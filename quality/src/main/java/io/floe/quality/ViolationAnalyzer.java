package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.StrictMetricsEvaluator;

/**
 * Counts rows that break a row rule (accepted values, pattern, length, predicate, reference) and
 * keeps a few samples. When the rule is also an Iceberg expression, a file whose statistics prove
 * that every row satisfies it (strict metrics evaluation) is answered without reading it; a rule
 * over one string column is also answered from that column's dictionaries when every distinct value
 * passes.
 */
final class ViolationAnalyzer implements Analyzer {
  /** Tests one row; returns a sample text when the row breaks the rule. */
  interface RowRule {
    Optional<String> violation(StructLike row, StructLike raw);
  }

  private final String key;

  /** The columns the rule tests. */
  private final List<String> ruleColumns;

  /** Those and the columns that identify a failing row in its sample, which are read with them. */
  private final List<String> columns;

  private final List<String> identity;
  private final Function<Schema, RowRule> rule;
  private final Optional<Expression> provable;
  private final int samples;
  // bound once per evaluation schema, not once per file: binding is most of a file's proof
  private volatile Proof proof;

  /** The provable expression, bound to a schema; evaluating it is safe from any thread. */
  private record Proof(Schema schema, StrictMetricsEvaluator evaluator) {}

  /**
   * @param rule builds the row test for a projection
   * @param provable the same rule as an expression, when metadata can prove it for a whole file
   * @param identity columns whose values start each failing row's sample ({@code order_id=42:
   *     ...}), so the row can be found; none keeps the rule's own sample
   */
  ViolationAnalyzer(
      String key,
      List<String> columns,
      Function<Schema, RowRule> rule,
      Optional<Expression> provable,
      int samples,
      List<String> identity) {
    this.key = key;
    this.ruleColumns = List.copyOf(columns);
    List<String> read = new ArrayList<>(columns);
    identity.stream().filter(c -> !read.contains(c)).forEach(read::add);
    this.columns = List.copyOf(read);
    this.identity = List.copyOf(identity);
    this.rule = rule;
    this.provable = provable;
    this.samples = samples;
  }

  @Override
  public String key() {
    return key;
  }

  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public State empty() {
    return ViolationState.empty(samples);
  }

  @Override
  public Optional<State> fromMetadata(DataFile file, FileStatistics statistics) {
    if (provable.isEmpty()) {
      return Optional.empty();
    }
    try {
      Proof bound = proof;
      if (bound == null || bound.schema() != statistics.schema()) {
        bound =
            new Proof(
                statistics.schema(),
                new StrictMetricsEvaluator(statistics.schema(), provable.get()));
        proof = bound;
      }
      boolean allRowsMatch = bound.evaluator().eval(file);
      return allRowsMatch
          ? Optional.of(new ViolationState(file.recordCount(), 0, List.of(), samples))
          : Optional.empty();
    } catch (RuntimeException cannotBind) {
      return Optional.empty();
    }
  }

  /**
   * A rule over one string column holds for every row of the file when it holds for each distinct
   * value in the column's dictionaries, and for null when the column may hold nulls: the rule tests
   * only that column's value, so rows with equal values get equal answers. A value that breaks it
   * answers nothing here; reading the rows then counts the failing rows and keeps samples.
   */
  @Override
  public Optional<State> fromDictionaries(DataFile file, ColumnDictionaries dictionaries)
      throws IOException {
    if (ruleColumns.size() != 1) {
      return Optional.empty();
    }
    Optional<ColumnDictionaries.Values> values = dictionaries.strings(ruleColumns.get(0));
    if (values.isEmpty()) {
      return Optional.empty();
    }
    Schema projection = dictionaries.schema().select(ruleColumns);
    RowRule test = rule.apply(projection);
    GenericRecord row = GenericRecord.create(projection);
    List<String> tested = new ArrayList<>(values.get().distinct());
    if (values.get().mayHoldNulls()) {
      tested.add(null);
    }
    for (String value : tested) {
      row.set(0, value);
      if (test.violation(row, row).isPresent()) {
        return Optional.empty();
      }
    }
    return Optional.of(new ViolationState(file.recordCount(), 0, List.of(), samples));
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    RowRule rowTest = rule.apply(projection);
    RowRule test = identity.isEmpty() ? rowTest : identified(rowTest, projection);
    return new Accumulator() {
      long rows;
      long violations;
      final TreeSet<String> kept = new TreeSet<>();

      @Override
      public void add(StructLike row, StructLike raw) {
        rows++;
        Optional<String> broken = test.violation(row, raw);
        if (broken.isPresent()) {
          violations++;
          if (samples > 0) {
            kept.add(broken.get());
            if (kept.size() > samples) {
              kept.pollLast();
            }
          }
        }
      }

      @Override
      public State result() {
        return new ViolationState(rows, violations, new ArrayList<>(kept), samples);
      }
    };
  }

  /** {@code test}, its samples starting with the values of the identifying columns. */
  private RowRule identified(RowRule test, Schema projection) {
    Columns.Path[] paths = KeyAnalyzer.paths(projection, identity);
    return (row, raw) ->
        test.violation(row, raw)
            .map(sample -> RuleFactory.sample(raw, identity, paths) + ": " + sample);
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    long rows = in.readLong();
    long violations = in.readLong();
    int limit = in.readInt();
    int count = in.readInt();
    List<String> kept = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      kept.add(in.readUTF());
    }
    return new ViolationState(rows, violations, kept, limit);
  }
}
