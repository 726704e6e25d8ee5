package io.floe.catalog;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.ExpressionVisitors;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.UnboundPredicate;

/**
 * Parses a predicate such as {@code revenue >= 0}, {@code quantity between 1 and 100} or {@code
 * status in ('paid', 'shipped') or status is null}: into an Iceberg expression for the partitions a
 * compaction may touch ({@code floe compact --where}), or into a {@link RowPredicate} for a quality
 * rule, checked against file statistics and against rows, which may also compare two columns
 * ({@code shipped_at >= ordered_at}).
 *
 * <p>Grammar: {@code or} of {@code and} of ({@code not} term | {@code (} expr {@code )} | column
 * comparison (literal | column) | column [not] between literal and literal | column is [not] null |
 * column [not] in (literal, ...)). Comparisons are {@code = != <> < <= > >=}; literals are numbers,
 * quoted strings, {@code true} and {@code false}. A column is a name, a dotted path to a struct's
 * field ({@code address.city}), or a name in double quotes or backquotes. A comparison with a null
 * value is unknown (see {@link SqlEvaluator}).
 */
public final class PredicateParser {
  private static final Pattern IDENTIFIER =
      Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*");

  private final List<String> tokens;
  private final String text;
  private int position;

  private PredicateParser(String text) {
    this.text = text;
    this.tokens = tokenize(text);
  }

  /**
   * A predicate on values, as a filter on partitions or files takes it.
   *
   * @throws IllegalArgumentException naming what is wrong and where, or a comparison of two
   *     columns, which only a row can answer
   */
  public static Expression parse(String text) {
    RowPredicate predicate = parseRow(text);
    return predicate
        .asExpression()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "invalid expression '%s': %s compares two columns, which only a row's values"
                            .formatted(text, predicate.comparisons().get(0))
                        + " can answer; compare a column with a value"));
  }

  /**
   * A predicate on a row, which may also compare two of its columns ({@code shipped_at >=
   * ordered_at}).
   *
   * @throws IllegalArgumentException naming what is wrong and where
   */
  public static RowPredicate parseRow(String text) {
    PredicateParser parser = new PredicateParser(text);
    RowPredicate predicate = parser.or();
    if (parser.position < parser.tokens.size()) {
      throw parser.fail("unexpected '" + parser.tokens.get(parser.position) + "'");
    }
    return predicate;
  }

  /** {@code left and right}, one Iceberg expression when both are. */
  private static RowPredicate conjunction(RowPredicate left, RowPredicate right) {
    if (left instanceof RowPredicate.Values l && right instanceof RowPredicate.Values r) {
      return new RowPredicate.Values(Expressions.and(l.expression(), r.expression()));
    }
    return new RowPredicate.And(left, right);
  }

  /** {@code left or right}, one Iceberg expression when both are. */
  private static RowPredicate disjunction(RowPredicate left, RowPredicate right) {
    if (left instanceof RowPredicate.Values l && right instanceof RowPredicate.Values r) {
      return new RowPredicate.Values(Expressions.or(l.expression(), r.expression()));
    }
    return new RowPredicate.Or(left, right);
  }

  /** {@code not child}, one Iceberg expression when the child is. */
  private static RowPredicate negation(RowPredicate child) {
    if (child instanceof RowPredicate.Values values) {
      return new RowPredicate.Values(Expressions.not(values.expression()));
    }
    return new RowPredicate.Not(child);
  }

  /** The column names {@code expression}, as {@link #parse} returns it, refers to, in order. */
  public static Set<String> columns(Expression expression) {
    Set<String> names = new LinkedHashSet<>();
    predicates(expression).forEach(predicate -> names.add(predicate.ref().name()));
    return names;
  }

  /** The comparisons {@code expression}, as {@link #parse} returns it, is made of, in order. */
  public static List<UnboundPredicate<?>> predicates(Expression expression) {
    List<UnboundPredicate<?>> predicates = new ArrayList<>();
    ExpressionVisitors.visit(
        expression,
        new ExpressionVisitors.ExpressionVisitor<Void>() {
          @Override
          public <T> Void predicate(UnboundPredicate<T> predicate) {
            predicates.add(predicate);
            return null;
          }
        });
    return predicates;
  }

  private RowPredicate or() {
    RowPredicate left = and();
    while (acceptWord("or")) {
      left = disjunction(left, and());
    }
    return left;
  }

  private RowPredicate and() {
    RowPredicate left = unary();
    while (acceptWord("and")) {
      left = conjunction(left, unary());
    }
    return left;
  }

  private RowPredicate unary() {
    if (acceptWord("not")) {
      return negation(unary());
    }
    if (accept("(")) {
      RowPredicate inner = or();
      expect(")");
      return inner;
    }
    return comparison();
  }

  private RowPredicate comparison() {
    String column = column(next("a column name"));
    if (acceptWord("is")) {
      boolean negated = acceptWord("not");
      expectWord("null");
      return new RowPredicate.Values(
          negated ? Expressions.notNull(column) : Expressions.isNull(column));
    }
    boolean negated = acceptWord("not");
    if (acceptWord("between")) {
      Object low = literal();
      expectWord("and");
      Object high = literal();
      Expression between =
          Expressions.and(
              Expressions.greaterThanOrEqual(column, low),
              Expressions.lessThanOrEqual(column, high));
      return new RowPredicate.Values(negated ? Expressions.not(between) : between);
    }
    if (acceptWord("in")) {
      expect("(");
      List<Object> values = new ArrayList<>();
      do {
        values.add(literal());
      } while (accept(","));
      expect(")");
      return new RowPredicate.Values(
          negated ? Expressions.notIn(column, values) : Expressions.in(column, values));
    }
    if (negated) {
      throw fail("expected 'between' or 'in' after 'not'");
    }
    RowPredicate.Comparison comparison = comparison(next("a comparison"));
    if (position < tokens.size() && isColumn(tokens.get(position))) {
      return new RowPredicate.ColumnComparison(column, comparison, column(next("a column")));
    }
    Object value = literal();
    return new RowPredicate.Values(
        switch (comparison) {
          case EQ -> Expressions.equal(column, value);
          case NOT_EQ -> Expressions.notEqual(column, value);
          case LT -> Expressions.lessThan(column, value);
          case LT_EQ -> Expressions.lessThanOrEqual(column, value);
          case GT -> Expressions.greaterThan(column, value);
          case GT_EQ -> Expressions.greaterThanOrEqual(column, value);
        });
  }

  private RowPredicate.Comparison comparison(String operator) {
    return switch (operator) {
      case "=", "==" -> RowPredicate.Comparison.EQ;
      case "!=", "<>" -> RowPredicate.Comparison.NOT_EQ;
      case "<" -> RowPredicate.Comparison.LT;
      case "<=" -> RowPredicate.Comparison.LT_EQ;
      case ">" -> RowPredicate.Comparison.GT;
      case ">=" -> RowPredicate.Comparison.GT_EQ;
      default ->
          throw fail("expected a comparison (=, !=, <, <=, >, >=), found '" + operator + "'");
    };
  }

  /**
   * Whether a token after a comparison names a column rather than giving a value: a quoted name, or
   * a bare name that is not {@code true}, {@code false} or {@code null}.
   */
  private static boolean isColumn(String token) {
    char first = token.charAt(0);
    if (first == '"' || first == '`') {
      return true;
    }
    return IDENTIFIER.matcher(token).matches()
        && !token.equalsIgnoreCase("true")
        && !token.equalsIgnoreCase("false")
        && !token.equalsIgnoreCase("null");
  }

  /**
   * A column name: a name or a dotted path to a field of a struct ({@code address.city}), or any
   * name quoted as Trino ({@code "order-id"}) or Spark ({@code `order-id`}) quote them.
   */
  private String column(String token) {
    char first = token.charAt(0);
    if (first == '"' || first == '`') {
      String name = unquote(token);
      if (name.isEmpty()) {
        throw fail("expected a column name, found " + token);
      }
      return name;
    }
    if (!IDENTIFIER.matcher(token).matches()) {
      throw fail("expected a column name, found '" + token + "'");
    }
    return token;
  }

  /** A quoted token's text: without its quotes, a doubled quote read as one. */
  private static String unquote(String token) {
    String quote = token.substring(0, 1);
    return token.substring(1, token.length() - 1).replace(quote + quote, quote);
  }

  private Object literal() {
    String token = next("a value");
    if (token.startsWith("'")) {
      return unquote(token);
    }
    if (token.startsWith("\"") || token.startsWith("`")) {
      throw fail("expected a value, found the column name " + token);
    }
    String lower = token.toLowerCase(Locale.ROOT);
    if (lower.equals("null")) {
      throw fail("a comparison with null holds for no row; write 'is null' or 'is not null'");
    }
    if (lower.equals("true") || lower.equals("false")) {
      return Boolean.parseBoolean(lower);
    }
    try {
      BigDecimal number = new BigDecimal(token);
      if (number.scale() <= 0) {
        return number.longValueExact();
      }
      return number.doubleValue();
    } catch (NumberFormatException | ArithmeticException e) {
      throw fail("expected a number, a quoted string, true or false, found '" + token + "'");
    }
  }

  private boolean accept(String symbol) {
    if (position < tokens.size() && tokens.get(position).equals(symbol)) {
      position++;
      return true;
    }
    return false;
  }

  private boolean acceptWord(String word) {
    if (position < tokens.size() && tokens.get(position).equalsIgnoreCase(word)) {
      position++;
      return true;
    }
    return false;
  }

  private void expect(String symbol) {
    if (!accept(symbol)) {
      throw fail("expected '" + symbol + "'");
    }
  }

  private void expectWord(String word) {
    if (!acceptWord(word)) {
      throw fail("expected '" + word + "'");
    }
  }

  private String next(String what) {
    if (position >= tokens.size()) {
      throw fail("expected " + what + " at the end");
    }
    return tokens.get(position++);
  }

  private IllegalArgumentException fail(String problem) {
    return new IllegalArgumentException("invalid expression '%s': %s".formatted(text, problem));
  }

  private static List<String> tokenize(String text) {
    List<String> tokens = new ArrayList<>();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (c == '\'' || c == '"' || c == '`') {
        // a string, or a quoted column name; a doubled quote stands for one
        int end = i + 1;
        while (true) {
          if (end >= text.length()) {
            throw new IllegalArgumentException(
                "invalid expression '%s': unterminated %s"
                    .formatted(text, c == '\'' ? "string" : "column name"));
          }
          if (text.charAt(end) == c) {
            if (end + 1 < text.length() && text.charAt(end + 1) == c) {
              end += 2;
              continue;
            }
            break;
          }
          end++;
        }
        tokens.add(text.substring(i, end + 1));
        i = end + 1;
      } else if ("(),".indexOf(c) >= 0) {
        tokens.add(String.valueOf(c));
        i++;
      } else if ("<>=!".indexOf(c) >= 0) {
        int end = i + 1;
        while (end < text.length() && "<>=".indexOf(text.charAt(end)) >= 0) {
          end++;
        }
        tokens.add(text.substring(i, end));
        i = end;
      } else {
        int end = i;
        while (end < text.length()
            && !Character.isWhitespace(text.charAt(end))
            && "(),<>=!'\"`".indexOf(text.charAt(end)) < 0) {
          end++;
        }
        tokens.add(text.substring(i, end));
        i = end;
      }
    }
    return tokens;
  }
}
