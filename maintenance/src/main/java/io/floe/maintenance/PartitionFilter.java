package io.floe.maintenance;

import io.floe.catalog.PredicateParser;
import io.floe.catalog.SqlEvaluator;
import java.time.DateTimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ExpressionVisitors;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.expressions.Projections;
import org.apache.iceberg.expressions.UnboundPredicate;
import org.apache.iceberg.types.Types;

/**
 * The partitions a compaction may touch: those whose values may hold a row matching a filter on the
 * table's partition source columns (e.g. {@code order_ts >= '2026-11-01'} on a table partitioned by
 * {@code day(order_ts)}). A partition is selected or left whole, never some of its files, so a
 * delete file is only ever dropped with every data file it applies to. Files of an older partition
 * spec that does not partition by the filter's columns are all selected: they may hold matching
 * rows.
 */
final class PartitionFilter {
  static final PartitionFilter ALL = new PartitionFilter(null, Expressions.alwaysTrue());

  private final Table table;
  private final Expression filter;
  private final Map<Integer, SqlEvaluator> evaluators = new HashMap<>();

  private PartitionFilter(Table table, Expression filter) {
    this.table = table;
    this.filter = filter;
  }

  /**
   * @throws IllegalArgumentException when the filter names a column the table lacks, a column its
   *     current spec does not partition by, or a value that does not fit the column's type
   */
  static PartitionFilter of(Table table, Expression filter) {
    Schema schema = table.schema();
    PartitionSpec spec = table.spec();
    if (spec.isUnpartitioned()) {
      throw new IllegalArgumentException(
          "%s is not partitioned: a filter selects partitions".formatted(TableNames.of(table)));
    }
    Set<Integer> sources = new LinkedHashSet<>();
    spec.fields().forEach(field -> sources.add(field.sourceId()));
    for (String column : PredicateParser.columns(filter)) {
      Types.NestedField field = schema.caseInsensitiveFindField(column);
      if (field == null) {
        throw new IllegalArgumentException(
            "%s has no column '%s'".formatted(TableNames.of(table), column));
      }
      if (!sources.contains(field.fieldId())) {
        throw new IllegalArgumentException(
            "'%s' is not a partition column of %s (partitioned by %s): a filter selects partitions"
                .formatted(column, TableNames.of(table), partitioning(schema, spec)));
      }
    }
    Expression resolved = datesAsMidnight(schema, filter);
    try {
      Binder.bind(schema.asStruct(), resolved, false);
    } catch (ValidationException | DateTimeException e) {
      // a value that does not convert to the column's type, e.g. a malformed timestamp
      throw new IllegalArgumentException(e.getMessage(), e);
    }
    return new PartitionFilter(table, resolved);
  }

  /**
   * Whether the file's partition may hold a row the filter matches. A row whose partition source is
   * null matches no comparison, so the null partition is selected only by a filter that asks for
   * nulls ({@code order_date is null}).
   */
  boolean selects(ContentFile<?> file) {
    if (table == null) {
      return true;
    }
    return evaluators
        .computeIfAbsent(
            file.specId(),
            id -> {
              PartitionSpec spec = table.specs().get(id);
              return new SqlEvaluator(
                  spec.partitionType(), Projections.inclusive(spec, false).project(filter), false);
            })
        .isTrue(file.partition());
  }

  /** The filter as written, or {@code true} for every partition. */
  @Override
  public String toString() {
    return filter.toString();
  }

  /**
   * A date written for a timestamp column ({@code order_ts >= '2026-11-01'}) means that day's
   * midnight, in UTC for a timestamp with time zone, as Trino compares a date with a timestamp.
   */
  private static Expression datesAsMidnight(Schema schema, Expression filter) {
    return ExpressionVisitors.visit(
        filter,
        new ExpressionVisitors.ExpressionVisitor<Expression>() {
          @Override
          public Expression alwaysTrue() {
            return Expressions.alwaysTrue();
          }

          @Override
          public Expression alwaysFalse() {
            return Expressions.alwaysFalse();
          }

          @Override
          public Expression not(Expression result) {
            return Expressions.not(result);
          }

          @Override
          public Expression and(Expression left, Expression right) {
            return Expressions.and(left, right);
          }

          @Override
          public Expression or(Expression left, Expression right) {
            return Expressions.or(left, right);
          }

          @Override
          public <T> Expression predicate(UnboundPredicate<T> pred) {
            Types.NestedField field = schema.caseInsensitiveFindField(pred.ref().name());
            if (field == null
                || !(field.type() instanceof Types.TimestampType timestamp)
                || pred.literals() == null) {
              return pred;
            }
            List<Object> values = new ArrayList<>();
            for (Literal<T> literal : pred.literals()) {
              Object value = literal.value();
              values.add(
                  value instanceof CharSequence text && DATE.matcher(text).matches()
                      ? text + (timestamp.shouldAdjustToUTC() ? "T00:00:00+00:00" : "T00:00:00")
                      : value);
            }
            return pred.op() == Expression.Operation.IN || pred.op() == Expression.Operation.NOT_IN
                ? Expressions.predicate(pred.op(), pred.ref().name(), values)
                : Expressions.predicate(pred.op(), pred.ref().name(), values.get(0));
          }
        });
  }

  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** E.g. {@code day(order_ts), identity(region)}. */
  private static String partitioning(Schema schema, PartitionSpec spec) {
    return String.join(
        ", ",
        spec.fields().stream()
            .map(f -> "%s(%s)".formatted(f.transform(), schema.findColumnName(f.sourceId())))
            .toList());
  }
}
