package io.floe.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Type;

/** Builds the {@link ViolationAnalyzer}s of the row-level check types. */
final class RuleFactory {
  private final Schema schema;
  private final int samples;
  private final List<String> sampleColumns;

  RuleFactory(Schema schema, int samples) {
    this(schema, samples, List.of());
  }

  /**
   * @param sampleColumns columns whose values start each failing row's sample, to identify it
   */
  RuleFactory(Schema schema, int samples, List<String> sampleColumns) {
    this.schema = schema;
    this.samples = samples;
    this.sampleColumns = List.copyOf(sampleColumns);
  }

  /**
   * The columns that identify a failing row in a sample, each one a column of the schema that holds
   * one value per row.
   *
   * @throws IllegalArgumentException naming one that is not
   */
  private List<String> identity() {
    for (String column : sampleColumns) {
      if (schema.findField(column) == null) {
        throw new IllegalArgumentException(
            "sample-columns: " + Columns.notInSchema(schema, column));
      }
      Columns.path(schema, column); // refuses a column inside a list or a map
    }
    return sampleColumns;
  }

  /**
   * Non-null values of {@code column} outside {@code values}, which are read in the column's type:
   * {@code 1.5} accepts a decimal 1.50, {@code 2026-01-31} a date.
   *
   * @throws IllegalArgumentException naming an accepted value that is not a value of that type
   */
  ViolationAnalyzer acceptedValues(String column, List<String> values) {
    Type type = schema.findField(column).type();
    String name =
        "accepted(" + column + "|" + String.join("|", values.stream().sorted().toList()) + ")";
    if (type.typeId() == Type.TypeID.STRING) {
      AcceptedStrings accepted = new AcceptedStrings(values);
      return textRule(
          name,
          column,
          accepted::contains,
          Optional.of(
              Expressions.or(
                  Expressions.isNull(column), Expressions.in(column, List.copyOf(values)))));
    }
    if (!type.isPrimitiveType()) {
      throw new IllegalArgumentException(
          "%s is %s; accepted values are values of a column of one type".formatted(column, type));
    }
    Type.PrimitiveType primitive = type.asPrimitiveType();
    SuiteValues.example(primitive); // refuses a type a suite cannot write values of
    List<Object> typed = new ArrayList<>();
    for (String value : values) {
      try {
        typed.add(SuiteValues.parse(value, primitive));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "accepted value %s, and %s is %s".formatted(e.getMessage(), column, type), e);
      }
    }
    Set<Object> accepted = new HashSet<>();
    typed.forEach(value -> accepted.add(Columns.normalize(value)));
    return new ViolationAnalyzer(
        name,
        List.of(column),
        projection -> {
          Columns.Path path = Columns.path(projection, column);
          return (row, raw) -> {
            Object value = path.get(row, Object.class);
            if (value == null || accepted.contains(Columns.normalize(value))) {
              return Optional.empty();
            }
            return Optional.of(SuiteValues.show(value, primitive));
          };
        },
        Optional.of(Expressions.or(Expressions.isNull(column), Expressions.in(column, typed))),
        samples,
        identity());
  }

  ViolationAnalyzer pattern(String column, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return textRule(
        "pattern(" + column + "|" + regex + ")",
        column,
        text -> pattern.matcher(text).matches(),
        Optional.empty());
  }

  ViolationAnalyzer length(String column, Bounds bounds) {
    return textRule(
        "length(" + column + "|" + bounds + ")",
        column,
        text -> bounds.contains(text.codePointCount(0, text.length())),
        Optional.empty());
  }

  /**
   * A rule on one column's non-null values as text: a value for which {@code holds} fails; {@code
   * provable} is the rule as an expression file statistics may prove.
   */
  private ViolationAnalyzer textRule(
      String name, String column, Predicate<String> holds, Optional<Expression> provable) {
    return new ViolationAnalyzer(
        name,
        List.of(column),
        projection -> {
          Columns.Path path = Columns.path(projection, column);
          return (row, raw) -> {
            Object value = path.get(raw, Object.class);
            if (value == null) {
              return Optional.empty();
            }
            String text = value.toString();
            return holds.test(text) ? Optional.empty() : Optional.of(text);
          };
        },
        provable,
        samples,
        identity());
  }

  /**
   * @throws IllegalArgumentException when the expression names a missing column or a value that
   *     does not fit the column's type
   */
  ViolationAnalyzer predicate(String text) {
    RowFilter rule = RowFilter.bind(schema, text);
    List<String> columns = rule.columns();
    // a row passes only where the predicate is true: a comparison with a null is unknown, as in
    // SQL, so it fails unless the predicate allows the null ("or discount is null")
    return new ViolationAnalyzer(
        "predicate(" + text + ")",
        columns,
        projection -> {
          Predicate<StructLike> holds = rule.on(projection);
          Columns.Path[] paths = KeyAnalyzer.paths(projection, columns);
          return (row, raw) ->
              holds.test(row) ? Optional.empty() : Optional.of(sample(raw, columns, paths));
        },
        rule.provable(),
        samples,
        identity());
  }

  /** Values of {@code column} missing from {@code allowed} (normalized values); nulls pass. */
  ViolationAnalyzer references(
      String column, String target, long targetSnapshot, ReferencedColumn allowed) {
    return new ViolationAnalyzer(
        "references(" + column + "|" + target + "@" + targetSnapshot + ")",
        List.of(column),
        projection -> {
          Columns.Path path = Columns.path(projection, column);
          return (row, raw) -> {
            Object value = path.get(row, Object.class);
            if (value == null || allowed.allows(Columns.normalize(value))) {
              return Optional.empty();
            }
            return Optional.of(String.valueOf(path.get(raw, Object.class)));
          };
        },
        Optional.empty(),
        samples,
        identity());
  }

  /**
   * Membership in a fixed set of strings, tested on values decoded afresh for every row, whose hash
   * is not cached: a set lookup would hash each of them in full. Here a value is first told apart
   * by its length, and compared only with the accepted values of that length, usually one or none.
   * Sets with many values of one length, or with long values, are looked up by hash instead.
   */
  static final class AcceptedStrings {
    /** The longest accepted value, and the most of one length, that are compared one by one. */
    private static final int LONGEST_COMPARED = 64;

    private static final int MOST_OF_ONE_LENGTH = 8;

    private final Set<String> all;
    private final String[][] byLength;

    AcceptedStrings(List<String> values) {
      this.all = Set.copyOf(values);
      this.byLength = byLength(all);
    }

    /** The values by their length, or null when a set lookup is the cheaper test. */
    private static String[][] byLength(Set<String> values) {
      int longest = values.stream().mapToInt(String::length).max().orElse(0);
      if (longest > LONGEST_COMPARED) {
        return null;
      }
      String[][] byLength = new String[longest + 1][];
      for (String value : values) {
        String[] same = byLength[value.length()];
        same = same == null ? new String[1] : Arrays.copyOf(same, same.length + 1);
        if (same.length > MOST_OF_ONE_LENGTH) {
          return null;
        }
        same[same.length - 1] = value;
        byLength[value.length()] = same;
      }
      return byLength;
    }

    boolean contains(String text) {
      if (byLength == null) {
        return all.contains(text);
      }
      int length = text.length();
      String[] same = length < byLength.length ? byLength[length] : null;
      if (same == null) {
        return false;
      }
      for (String value : same) {
        if (value.equals(text)) {
          return true;
        }
      }
      return false;
    }
  }

  static String sample(StructLike raw, List<String> columns, Columns.Path[] paths) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < paths.length; i++) {
      if (i > 0) {
        text.append(", ");
      }
      text.append(columns.get(i)).append('=').append(paths[i].get(raw, Object.class));
    }
    return text.toString();
  }

  static Set<Object> newAllowedSet() {
    return new HashSet<>();
  }
}
