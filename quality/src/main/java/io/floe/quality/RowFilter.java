package io.floe.quality;

import io.floe.catalog.PredicateParser;
import io.floe.catalog.RowPredicate;
import io.floe.catalog.SqlEvaluator;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.expressions.StrictMetricsEvaluator;
import org.apache.iceberg.expressions.UnboundPredicate;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;

/**
 * A condition on a snapshot's rows ({@link PredicateParser#parseRow}), bound to its schema: the
 * rule of a {@code predicate} check, and a check's {@code where}. A row meets it only where it is
 * true, as SQL's {@code WHERE} decides: a comparison with a null is unknown, so the row does not.
 *
 * <p>A file's statistics can decide the condition for all of its rows: that it holds for none
 * (Iceberg's inclusive metrics evaluation finds no row that might match) or for every one (strict
 * evaluation, with the columns free of nulls). Iceberg orders NaN differently from SQL, so neither
 * is concluded for a condition comparing a floating-point column with a value; the rows decide it.
 * Statistics decide no comparison of two columns, but the rest of the condition still may.
 */
final class RowFilter {
  private final Schema schema;
  private final String text;
  private final RowPredicate predicate;
  private final List<String> columns;
  private final Optional<Expression> provable;

  /** Whether file statistics may decide it: not when it compares a floating-point column. */
  private final boolean decidable;

  // bound when a file is first asked about: a predicate check's rule never is
  private volatile Decision decision;

  /** The evaluators that decide the condition for a whole file; safe from any thread. */
  private record Decision(
      Optional<InclusiveMetricsEvaluator> mayMatch, Optional<StrictMetricsEvaluator> allMatch) {}

  private RowFilter(
      Schema schema,
      String text,
      RowPredicate predicate,
      List<String> columns,
      Optional<Expression> provable,
      boolean decidable) {
    this.schema = schema;
    this.text = text;
    this.predicate = predicate;
    this.columns = columns;
    this.provable = provable;
    this.decidable = decidable;
  }

  /**
   * The condition {@code text} on rows of {@code schema}.
   *
   * @throws IllegalArgumentException when it does not parse, names a missing column, or compares a
   *     column with a value or a column it cannot be compared with
   */
  static RowFilter bind(Schema schema, String text) {
    RowPredicate predicate = PredicateParser.parseRow(text);
    Set<Integer> ids = new LinkedHashSet<>();
    for (String name : predicate.columns()) {
      Types.NestedField field = schema.findField(name);
      if (field == null) {
        throw new IllegalArgumentException(Columns.notInSchema(schema, name));
      }
      ids.add(field.fieldId());
    }
    try {
      new SqlEvaluator(schema.asStruct(), predicate, true);
    } catch (ValidationException | DateTimeParseException e) {
      throw new IllegalArgumentException(
          unbindable(schema, text, predicate).orElse(e.getMessage()), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("in '%s', %s".formatted(text, e.getMessage()), e);
    }
    // top-level columns in the table's order, then fields of structs as the condition names them
    List<String> columns = new ArrayList<>();
    schema.columns().stream()
        .filter(f -> ids.contains(f.fieldId()))
        .forEach(f -> columns.add(f.name()));
    for (int id : ids) {
      String name = schema.findColumnName(id);
      if (!columns.contains(name)) {
        Columns.path(schema, name); // refuses a field inside a list or a map
        columns.add(name);
      }
    }
    // Iceberg's strict metrics evaluation takes a null as differing from every value (a column of
    // nulls proves "status != 'x'"), so a file proves the condition only where the columns it
    // compares with values hold no null. No file's statistics prove a comparison of two columns:
    // the rest of the condition must prove it alone.
    Set<String> compared = new LinkedHashSet<>();
    predicate.expressions().forEach(e -> compared.addAll(PredicateParser.columns(e)));
    Expression proven = holds(predicate, false, true);
    for (String column : compared) {
      proven = Expressions.and(proven, Expressions.notNull(column));
    }
    Optional<Expression> provable =
        proven.op() == Expression.Operation.FALSE ? Optional.empty() : Optional.of(proven);
    boolean floating =
        compared.stream()
            .map(name -> schema.findField(name).type().typeId())
            .anyMatch(t -> t == Type.TypeID.FLOAT || t == Type.TypeID.DOUBLE);
    return new RowFilter(schema, text, predicate, List.copyOf(columns), provable, !floating);
  }

  /**
   * An Iceberg expression for the rows where {@code predicate} is true ({@code negated}: false),
   * with each comparison of two columns replaced: by what every row it selects meets, both columns
   * not null, when {@code strict} is false (so the result selects at least those rows, and a file
   * no row of which it may select has none); by nothing when {@code strict} is true (so the result
   * selects at most those rows, and a file every row of which it selects has only those).
   */
  private static Expression holds(RowPredicate predicate, boolean negated, boolean strict) {
    if (predicate instanceof RowPredicate.Values values) {
      return negated ? Expressions.not(values.expression()) : values.expression();
    }
    if (predicate instanceof RowPredicate.ColumnComparison comparison) {
      return strict
          ? Expressions.alwaysFalse()
          : Expressions.and(
              Expressions.notNull(comparison.left()), Expressions.notNull(comparison.right()));
    }
    if (predicate instanceof RowPredicate.Not not) {
      return holds(not.child(), !negated, strict);
    }
    // not (a and b) is (not a) or (not b), and not (a or b) is (not a) and (not b)
    if (predicate instanceof RowPredicate.And and) {
      Expression l = holds(and.left(), negated, strict);
      Expression r = holds(and.right(), negated, strict);
      return negated ? Expressions.or(l, r) : Expressions.and(l, r);
    }
    RowPredicate.Or or = (RowPredicate.Or) predicate;
    Expression l = holds(or.left(), negated, strict);
    Expression r = holds(or.right(), negated, strict);
    return negated ? Expressions.and(l, r) : Expressions.or(l, r);
  }

  /** The condition as written. */
  String text() {
    return text;
  }

  /** The columns it reads: top-level ones in the table's order, then fields of structs. */
  List<String> columns() {
    return columns;
  }

  /**
   * An Iceberg expression that a file's statistics prove only when every row meets the condition:
   * the condition, its columns free of nulls, where it compares columns with values; empty when
   * nothing but a comparison of two columns could prove it.
   */
  Optional<Expression> provable() {
    return provable;
  }

  /** The test of a row read with {@code projection}, in Iceberg's internal representation. */
  Predicate<StructLike> on(Schema projection) {
    SqlEvaluator evaluator = new SqlEvaluator(projection.asStruct(), predicate, true);
    return evaluator::isTrue;
  }

  /** Whether the file's statistics prove that no row of it meets the condition. */
  boolean matchesNone(DataFile file) {
    Optional<InclusiveMetricsEvaluator> mayMatch = decision().mayMatch();
    return mayMatch.isPresent() && !mayMatch.get().eval(file);
  }

  /** Whether the file's statistics prove that every row of it meets the condition. */
  boolean matchesAll(DataFile file) {
    Optional<StrictMetricsEvaluator> allMatch = decision().allMatch();
    return allMatch.isPresent() && allMatch.get().eval(file);
  }

  private Decision decision() {
    Decision bound = decision;
    if (bound == null) {
      bound =
          decidable
              ? new Decision(
                  Optional.of(
                      new InclusiveMetricsEvaluator(schema, holds(predicate, false, false))),
                  provable.map(e -> new StrictMetricsEvaluator(schema, e)))
              : new Decision(Optional.empty(), Optional.empty());
      decision = bound;
    }
    return bound;
  }

  /**
   * Which comparison of a condition the schema cannot take, e.g. {@code in 'status > 5', status
   * (string) cannot be compared with 5}: Iceberg's own message names the conversion, not the
   * column.
   */
  private static Optional<String> unbindable(Schema schema, String text, RowPredicate row) {
    List<UnboundPredicate<?>> predicates = new ArrayList<>();
    row.expressions().forEach(e -> predicates.addAll(PredicateParser.predicates(e)));
    for (UnboundPredicate<?> predicate : predicates) {
      try {
        predicate.bind(schema.asStruct(), true);
      } catch (ValidationException | DateTimeParseException e) {
        String column = predicate.ref().name();
        Types.NestedField field = schema.caseInsensitiveFindField(column);
        List<String> values =
            predicate.literals() == null
                ? List.of()
                : predicate.literals().stream()
                    .map(
                        l ->
                            l.value() instanceof CharSequence chars
                                ? "'" + chars + "'"
                                : String.valueOf(l.value()))
                    .toList();
        boolean zoned =
            field != null
                && (field.type() instanceof Types.TimestampType micros && micros.shouldAdjustToUTC()
                    || field.type() instanceof Types.TimestampNanoType nanos
                        && nanos.shouldAdjustToUTC());
        return Optional.of(
            "in '%s', %s (%s) cannot be compared with %s%s"
                .formatted(
                    text,
                    column,
                    field == null ? "?" : field.type(),
                    values.size() == 1 ? values.get(0) : values,
                    zoned
                        ? " (a timestamp with time zone is written with its offset, e.g."
                            + " '2026-01-31T08:30:00+00:00')"
                        : ""));
      }
    }
    return Optional.empty();
  }
}
