package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.iceberg.expressions.Expression;

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
    for (RowPredicate leaf : leaves(this, new ArrayList<>())) {
      if (leaf instanceof Values values) {
        names.addAll(PredicateParser.columns(values.expression()));
      } else {
        ColumnComparison comparison = (ColumnComparison) leaf;
        names.add(comparison.left());
        names.add(comparison.right());
      }
    }
    return names;
  }

  /** The Iceberg expressions the condition holds, comparing columns with values, in order. */
  default List<Expression> expressions() {
    return leaves(this, new ArrayList<>()).stream()
        .filter(Values.class::isInstance)
        .map(leaf -> ((Values) leaf).expression())
        .toList();
  }

  /** The comparisons of two columns the condition holds, in order. */
  default List<ColumnComparison> comparisons() {
    return leaves(this, new ArrayList<>()).stream()
        .filter(ColumnComparison.class::isInstance)
        .map(ColumnComparison.class::cast)
        .toList();
  }

  /** The {@link Values} and {@link ColumnComparison} nodes under {@code predicate}, in order. */
  private static List<RowPredicate> leaves(RowPredicate predicate, List<RowPredicate> leaves) {
    if (predicate instanceof And and) {
      leaves(and.left(), leaves);
      leaves(and.right(), leaves);
    } else if (predicate instanceof Or or) {
      leaves(or.left(), leaves);
      leaves(or.right(), leaves);
    } else if (predicate instanceof Not not) {
      leaves(not.child(), leaves);
    } else {
      leaves.add(predicate);
    }
    return leaves;
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
}
