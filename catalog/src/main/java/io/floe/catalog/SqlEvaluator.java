package io.floe.catalog;

import java.util.Comparator;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.And;
import org.apache.iceberg.expressions.Binder;
import org.apache.iceberg.expressions.BoundPredicate;
import org.apache.iceberg.expressions.BoundReference;
import org.apache.iceberg.expressions.BoundTerm;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.Literal;
import org.apache.iceberg.expressions.Not;
import org.apache.iceberg.expressions.Or;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.NaNUtil;

/**
 * Decides whether an Iceberg expression is true of a row the way SQL decides a {@code WHERE}
 * clause: a comparison with a null value is unknown, {@code not} of unknown is unknown, {@code and}
 * and {@code or} follow three-valued logic, and only a true expression selects the row.
 *
 * <p>Iceberg's own {@code Evaluator} orders a null before every value, so {@code price < 10} is
 * true of a row whose price is null while {@code price >= 10} is false, and {@code price != 10} is
 * true. A quality rule, a retention cut-off or a partition filter must not let a null pass or
 * select depending on which way the comparison points. Values compare as Iceberg orders them (NaN
 * above every number, as Spark orders it). Safe to use from several threads.
 */
public final class SqlEvaluator {
  private static final int FALSE = 0;
  private static final int TRUE = 1;
  private static final int UNKNOWN = 2;

  /** One node of the compiled expression: TRUE, FALSE or UNKNOWN for a row. */
  private interface Node {
    int eval(StructLike row);
  }

  private final Node root;

  /**
   * @throws org.apache.iceberg.exceptions.ValidationException when the expression does not bind to
   *     {@code struct}
   */
  public SqlEvaluator(Types.StructType struct, Expression unbound, boolean caseSensitive) {
    this.root = compile(Binder.bind(struct, unbound, caseSensitive));
  }

  /**
   * Evaluates a row predicate, which may compare two columns: they compare when they are of the
   * same type, both numbers (as exact decimals, or as doubles when either is a float or a double),
   * or both timestamps with or both without a time zone (at any precision).
   *
   * @throws org.apache.iceberg.exceptions.ValidationException when the predicate does not bind to
   *     {@code struct}
   * @throws IllegalArgumentException when it compares two columns of types that do not compare
   */
  public SqlEvaluator(Types.StructType struct, RowPredicate predicate, boolean caseSensitive) {
    this.root = compile(struct, predicate, caseSensitive);
  }

  /** Whether the expression is true of {@code row}: false when it is false or unknown. */
  public boolean isTrue(StructLike row) {
    return root.eval(row) == TRUE;
  }

  private static Node compile(
      Types.StructType struct, RowPredicate predicate, boolean caseSensitive) {
    if (predicate instanceof RowPredicate.Values values) {
      return compile(Binder.bind(struct, values.expression(), caseSensitive));
    }
    if (predicate instanceof RowPredicate.ColumnComparison comparison) {
      return columns(struct, comparison, caseSensitive);
    }
    if (predicate instanceof RowPredicate.And and) {
      Node left = compile(struct, and.left(), caseSensitive);
      Node right = compile(struct, and.right(), caseSensitive);
      return row -> and(left.eval(row), right.eval(row));
    }
    if (predicate instanceof RowPredicate.Or or) {
      Node left = compile(struct, or.left(), caseSensitive);
      Node right = compile(struct, or.right(), caseSensitive);
      return row -> or(left.eval(row), right.eval(row));
    }
    Node child = compile(struct, ((RowPredicate.Not) predicate).child(), caseSensitive);
    return row -> not(child.eval(row));
  }

  private static Node columns(
      Types.StructType struct, RowPredicate.ColumnComparison comparison, boolean caseSensitive) {
    BoundReference<?> left = Expressions.ref(comparison.left()).bind(struct, caseSensitive);
    BoundReference<?> right = Expressions.ref(comparison.right()).bind(struct, caseSensitive);
    Comparator<Object> order =
        ColumnOrder.of(left.type(), right.type())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "%s (%s) cannot be compared with %s (%s)"
                            .formatted(
                                comparison.left(), left.type(), comparison.right(), right.type())));
    RowPredicate.Comparison holds = comparison.comparison();
    return row -> {
      Object l = left.eval(row);
      Object r = right.eval(row);
      return l == null || r == null ? UNKNOWN : of(holds.holds(order.compare(l, r)));
    };
  }

  private static Node compile(Expression bound) {
    switch (bound.op()) {
      case TRUE:
        return row -> TRUE;
      case FALSE:
        return row -> FALSE;
      case NOT:
        Node child = compile(((Not) bound).child());
        return row -> not(child.eval(row));
      case AND:
        Node andLeft = compile(((And) bound).left());
        Node andRight = compile(((And) bound).right());
        return row -> and(andLeft.eval(row), andRight.eval(row));
      case OR:
        Node orLeft = compile(((Or) bound).left());
        Node orRight = compile(((Or) bound).right());
        return row -> or(orLeft.eval(row), orRight.eval(row));
      default:
        if (bound instanceof BoundPredicate<?> predicate) {
          return predicate(predicate);
        }
        throw new IllegalArgumentException("cannot evaluate " + bound);
    }
  }

  private static int not(int value) {
    return value == UNKNOWN ? UNKNOWN : TRUE - value;
  }

  private static int and(int left, int right) {
    if (left == FALSE || right == FALSE) {
      return FALSE;
    }
    return left == UNKNOWN || right == UNKNOWN ? UNKNOWN : TRUE;
  }

  private static int or(int left, int right) {
    if (left == TRUE || right == TRUE) {
      return TRUE;
    }
    return left == UNKNOWN || right == UNKNOWN ? UNKNOWN : FALSE;
  }

  private static int of(boolean value) {
    return value ? TRUE : FALSE;
  }

  private static <T> Node predicate(BoundPredicate<T> predicate) {
    BoundTerm<T> term = predicate.term();
    switch (predicate.op()) {
      case IS_NULL:
        return row -> of(term.eval(row) == null);
      case NOT_NULL:
        return row -> of(term.eval(row) != null);
      case IS_NAN:
        return row -> known(term.eval(row), value -> NaNUtil.isNaN(value));
      case NOT_NAN:
        return row -> known(term.eval(row), value -> !NaNUtil.isNaN(value));
      case IN:
        Set<T> in = predicate.asSetPredicate().literalSet();
        return row -> known(term.eval(row), in::contains);
      case NOT_IN:
        Set<T> notIn = predicate.asSetPredicate().literalSet();
        return row -> known(term.eval(row), value -> !notIn.contains(value));
      default:
        return comparison(predicate, term);
    }
  }

  private static <T> Node comparison(BoundPredicate<T> predicate, BoundTerm<T> term) {
    Literal<T> literal = predicate.asLiteralPredicate().literal();
    Comparator<T> comparator = literal.comparator();
    T bound = literal.value();
    switch (predicate.op()) {
      case LT:
        return row -> known(term.eval(row), value -> comparator.compare(value, bound) < 0);
      case LT_EQ:
        return row -> known(term.eval(row), value -> comparator.compare(value, bound) <= 0);
      case GT:
        return row -> known(term.eval(row), value -> comparator.compare(value, bound) > 0);
      case GT_EQ:
        return row -> known(term.eval(row), value -> comparator.compare(value, bound) >= 0);
      case EQ:
        return row -> known(term.eval(row), value -> comparator.compare(value, bound) == 0);
      case NOT_EQ:
        return row -> known(term.eval(row), value -> comparator.compare(value, bound) != 0);
      case STARTS_WITH:
        return row -> known(term.eval(row), value -> value.toString().startsWith(bound.toString()));
      case NOT_STARTS_WITH:
        return row ->
            known(term.eval(row), value -> !value.toString().startsWith(bound.toString()));
      default:
        throw new IllegalArgumentException("cannot evaluate " + predicate);
    }
  }

  /** UNKNOWN for a null value, else whether {@code test} holds. */
  private static <T> int known(T value, Predicate<T> test) {
    return value == null ? UNKNOWN : of(test.test(value));
  }
}
