package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;

/**
 * A condition on a row as {@link PredicateParser#parseRow} reads it: Iceberg expressions, which
 * compare a column with values, and comparisons of two columns of the row ({@code shipped_at >=
 * ordered_at}), which Iceberg's expressions cannot state, joined by {@code and}, {@code or} and
 * {@code not}. A condition without column comparisons is one {@link Values} node.
 */
public sealed interface RowPredicate {
  /** The condition as one Iceberg expression, when it compares no two columns. */
  default Optional<Expression> asExpression() {
    return this instanceof Values values ? Optional.of(values.expression()) : Optional.empty();
  }

  /** The column names the condition refers to, in order. */
  default Set<String> columns() {
    Set<String> names = new LinkedHashSet<>();
    collectColumns(this, names);
    return names;
  }

  /** The Iceberg expressions the condition holds, comparing columns with values, in order. */
  default List<Expression> expressions() {
    if (this instanceof Values values) {
      return List.of(values.expression());
    }
    List<Expression> expressions = new ArrayList<>();
    if (this instanceof And and) {
      expressions.addAll(and.left().expressions());
      expressions.addAll(and.right().expressions());
    } else if (this instanceof Or or) {
      expressions.addAll(or.left().expressions());
      expressions.addAll(or.right().expressions());
    } else if (this instanceof Not not) {
      expressions.addAll(not.child().expressions());
    }
    return expressions;
  }

  private static void collectColumns(RowPredicate predicate, Set<String> names) {
    if (predicate instanceof Values values) {
      names.addAll(PredicateParser.columns(values.expression()));
    } else if (predicate instanceof ColumnComparison comparison) {
      names.add(comparison.left());
      names.add(comparison.right());
    } else if (predicate instanceof And and) {
      collectColumns(and.left(), names);
      collectColumns(and.right(), names);
    } else if (predicate instanceof Or or) {
      collectColumns(or.left(), names);
      collectColumns(or.right(), names);
    } else {
      collectColumns(((Not) predicate).child(), names);
    }
  }

  /** Comparisons of columns with values. */
  record Values(Expression expression) implements RowPredicate {
    public Values {
      requireNonNull(expression, "expression is null");
    }
  }

  /** {@code left <operator> right}, two columns of the row. */
  record ColumnComparison(String left, Comparison comparison, String right)
      implements RowPredicate {
    public ColumnComparison {
      requireNonNull(left, "left is null");
      requireNonNull(comparison, "comparison is null");
      requireNonNull(right, "right is null");
    }

    @Override
    public String toString() {
      return left + " " + comparison.symbol() + " " + right;
    }
  }

  record And(RowPredicate left, RowPredicate right) implements RowPredicate {
    public And {
      requireNonNull(left, "left is null");
      requireNonNull(right, "right is null");
    }
  }

  record Or(RowPredicate left, RowPredicate right) implements RowPredicate {
    public Or {
      requireNonNull(left, "left is null");
      requireNonNull(right, "right is null");
    }
  }

  record Not(RowPredicate child) implements RowPredicate {
    public Not {
      requireNonNull(child, "child is null");
    }
  }

  /** The comparisons two columns can be joined by. */
  enum Comparison {
    EQ("="),
    NOT_EQ("!="),
    LT("<"),
    LT_EQ("<="),
    GT(">"),
    GT_EQ(">=");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** Whether a comparator's answer {@code compared} (negative, zero, positive) satisfies it. */
    public boolean holds(int compared) {
      return switch (this) {
        case EQ -> compared == 0;
        case NOT_EQ -> compared != 0;
        case LT -> compared < 0;
        case LT_EQ -> compared <= 0;
        case GT -> compared > 0;
        case GT_EQ -> compared >= 0;
      };
    }
  }

  /** {@code left and right}, one Iceberg expression when both are. */
  public static RowPredicate and(RowPredicate left, RowPredicate right) {
    if (left instanceof Values l && right instanceof Values r) {
      return new Values(Expressions.and(l.expression(), r.expression()));
    }
    return new And(left, right);
  }

  /** {@code left or right}, one Iceberg expression when both are. */
  public static RowPredicate or(RowPredicate left, RowPredicate right) {
    if (left instanceof Values l && right instanceof Values r) {
      return new Values(Expressions.or(l.expression(), r.expression()));
    }
    return new Or(left, right);
  }

  /** {@code not child}, one Iceberg expression when the child is. */
  public static RowPredicate not(RowPredicate child) {
    if (child instanceof Values values) {
      return new Values(Expressions.not(values.expression()));
    }
    return new Not(child);
  }
}
