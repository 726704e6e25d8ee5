package io.floe.quality;

import static io.floe.core.text.Counts.counted;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.stream.Collectors;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * A first suite for a table that has none, drawn from one snapshot's data: one read of its columns
 * (statistics and dictionaries first) profiles each column of a primitive type, top-level or a
 * field of a struct ({@code address.city}; not inside a list or a map), the checks that profile
 * supports are written as YAML, and the suite is then evaluated against the same snapshot so that
 * only checks that pass there are suggested. The profile decides:
 *
 * <ul>
 *   <li>{@code row-count: {min: 1}} when the snapshot has rows, and {@code schema} with every
 *       top-level column's type;
 *   <li>{@code not-null} for each optional column without a null (a field of an optional struct is
 *       optional: it reads null when the struct is);
 *   <li>{@code unique} for a column whose distinct-count estimate is within {@value #UNIQUE_SHARE}
 *       of the row count (not floating-point or boolean); the evaluation then decides it exactly;
 *   <li>{@code accepted-values} for a string column of at most {@value #MAX_CATEGORIES} distinct
 *       values, each held by {@value #ROWS_PER_CATEGORY} rows or more on average;
 *   <li>{@code min: {column: x, min: 0}} for a numeric column whose smallest value is not negative
 *       (nulls aside).
 * </ul>
 *
 * A timestamp or date column gets a {@code freshness} check written as a comment, with its newest
 * value: how old is too old is the owner's call.
 */
public final class SuiteSuggestion {
  static final int MAX_CATEGORIES = 20;
  static final int ROWS_PER_CATEGORY = 5;
  static final double UNIQUE_SHARE = 0.97;
  private static final int ALIGNED = 72;

  /**
   * @param entry the suite as an entry of a {@code tables:} section, with comments on how it was
   *     drawn: {@link #yaml} is the section of this table alone
   * @param suite the same suite, parsed
   * @param rejected checks the profile proposed that the snapshot does not pass, with why
   */
  public record Suggestion(
      TableRef table,
      long snapshotId,
      long rows,
      String entry,
      Suite suite,
      Map<String, String> rejected) {
    public Suggestion {
      requireNonNull(table, "table is null");
      requireNonNull(entry, "entry is null");
      requireNonNull(suite, "suite is null");
      rejected = Map.copyOf(rejected);
    }

    /** The suite as a {@code tables:} section to paste into {@code floe.yaml}. */
    public String yaml() {
      return TABLES + entry;
    }
  }

  /** What every suggestion's YAML starts with; the entries of several tables follow it. */
  public static final String TABLES = "tables:\n";

  /** One proposed check: its YAML item and why it is proposed. */
  private record Proposal(String item, String reason) {}

  private SuiteSuggestion() {}

  /**
   * Profiles {@code ref}'s {@code branch} head (or main's) and suggests the checks it passes.
   *
   * @throws FloeException when the table or the branch does not exist, or the branch has no
   *     snapshot
   */
  public static Suggestion suggest(
      Catalog catalog, TableRef ref, Optional<String> branch, QualityConfig config) {
    return suggest(catalog, ref, QualityGate.load(catalog, ref), branch, config);
  }

  /**
   * Like {@link #suggest(Catalog, TableRef, Optional, QualityConfig)}, for {@code table} as the
   * caller loaded it from {@code catalog}, so a caller that loaded it already does not load it
   * again.
   */
  public static Suggestion suggest(
      Catalog catalog, TableRef ref, Table table, Optional<String> branch, QualityConfig config) {
    String name = branch.orElse(Refs.MAIN);
    Snapshot snapshot = table.snapshot(name);
    if (snapshot == null) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s has no snapshot on '%s' to draw a suite from (%s)"
              .formatted(ref, name, Refs.describe(table.refs())));
    }
    Schema schema = SnapshotUtil.schemaFor(table, snapshot.snapshotId());
    ExecutorService pool = EvaluationThreads.pool(config.threads());
    Clock clock = Clock.systemUTC();

    List<Analyzer> analyzers = new ArrayList<>();
    analyzers.add(new RowCountAnalyzer());
    for (Leaf leaf : leaves(schema)) {
      analyzers.addAll(profiled(leaf));
    }
    Map<String, State> profile =
        new SnapshotAudit(catalog, table, ref, config, List.of(), ResultStore.NONE, pool, clock)
            .measure(snapshot, analyzers);
    if (!(profile.get(new RowCountAnalyzer().key()) instanceof CountState counted)) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "cannot read the data files of %s's snapshot %d (see the log)"
              .formatted(ref, snapshot.snapshotId()));
    }
    long rows = counted.rows();
    List<Proposal> proposals = proposals(schema, profile, rows);

    Suite proposed = parse(ref, proposals);
    Verdict verdict =
        new Evaluation(
                catalog, ref, proposed, config, ResultStore.NONE, pool, clock, Optional.empty())
            .evaluate(table, snapshot, Optional.empty(), false, Optional.empty());
    // each proposal is one check, and the verdict has a result per check, in order
    List<Proposal> passed = new ArrayList<>();
    List<Check> kept = new ArrayList<>();
    Map<String, String> rejected = new LinkedHashMap<>();
    for (int i = 0; i < proposals.size(); i++) {
      CheckResult result = verdict.results().get(i);
      if (result.status() == CheckStatus.PASS) {
        passed.add(proposals.get(i));
        kept.add(result.check());
      } else {
        rejected.put(result.check().name(), result.message());
      }
    }
    List<String> comments = new ArrayList<>();
    comments.add(
        "# drawn by floe suggest from %s, snapshot %d on %s (%,d rows): every check passes there"
            .formatted(ref, snapshot.snapshotId(), name, rows));
    rejected.forEach((check, why) -> comments.add("# not suggested, %s: %s".formatted(check, why)));
    String entry = render(ref, passed, comments, freshness(schema, profile));
    return new Suggestion(
        ref, snapshot.snapshotId(), rows, entry, new Suite(ref, kept, proposed.source()), rejected);
  }

  /**
   * A column a profile measures: a top-level column of a primitive type, or such a field of a
   * struct (by its dotted name, {@code address.city}); optional when it or a struct above it is, so
   * it may read null. Lists and maps hold any number of values a row, which checks do not take.
   */
  private record Leaf(String name, Type.PrimitiveType type, boolean optional) {}

  private static List<Leaf> leaves(Schema schema) {
    List<Leaf> leaves = new ArrayList<>();
    schema.columns().forEach(field -> addLeaves(field, "", false, leaves));
    return leaves;
  }

  private static void addLeaves(
      Types.NestedField field, String prefix, boolean underOptional, List<Leaf> leaves) {
    String name = prefix + field.name();
    boolean optional = underOptional || field.isOptional();
    if (field.type().isPrimitiveType()) {
      leaves.add(new Leaf(name, field.type().asPrimitiveType(), optional));
    } else if (field.type().isStructType()) {
      for (Types.NestedField child : field.type().asStructType().fields()) {
        addLeaves(child, name + ".", optional, leaves);
      }
    }
  }

  /** What profiling {@code leaf} takes. */
  private static List<Analyzer> profiled(Leaf leaf) {
    String column = leaf.name();
    Type.PrimitiveType type = leaf.type();
    List<Analyzer> analyzers = new ArrayList<>();
    if (leaf.optional()) {
      analyzers.add(new NullCountAnalyzer(column));
    }
    if (mayBeUnique(type)) {
      analyzers.add(new SketchAnalyzer(column, false));
    }
    if (Columns.isNumeric(type) || isTime(type)) {
      analyzers.add(new MinMaxAnalyzer(column, type));
    }
    if (type.typeId() == Type.TypeID.STRING) {
      analyzers.add(new DistinctValuesAnalyzer(column, MAX_CATEGORIES));
    }
    return analyzers;
  }

  private static List<Proposal> proposals(Schema schema, Map<String, State> profile, long rows) {
    List<Proposal> proposals = new ArrayList<>();
    if (rows == 0) {
      return proposals;
    }
    proposals.add(new Proposal("row-count: {min: 1}", "%,d rows".formatted(rows)));
    proposals.add(
        new Proposal(
            "schema: {expect: {%s}}"
                .formatted(
                    schema.columns().stream()
                        .map(f -> yaml(f.name()) + ": " + yaml(typeName(f.type())))
                        .collect(Collectors.joining(", "))),
            "the columns and their types"));
    List<Leaf> leaves = leaves(schema);
    for (Leaf leaf : leaves) {
      String column = leaf.name();
      State nulls = profile.get(new NullCountAnalyzer(column).key());
      if (nulls instanceof CountState count && count.nulls() == 0) {
        proposals.add(new Proposal("not-null: " + yaml(column), "no null"));
      }
    }
    for (Leaf leaf : leaves) {
      State sketch = profile.get(new SketchAnalyzer(leaf.name(), false).key());
      if (rows > 1
          && sketch instanceof SketchState distinct
          && distinct.distinctEstimate() >= UNIQUE_SHARE * rows) {
        proposals.add(
            new Proposal(
                "unique: " + yaml(leaf.name()),
                "about %,d distinct values".formatted(Math.round(distinct.distinctEstimate()))));
      }
    }
    for (Leaf leaf : leaves) {
      State found = profile.get(new DistinctValuesAnalyzer(leaf.name(), MAX_CATEGORIES).key());
      if (found instanceof DistinctValuesAnalyzer.Values values
          && !values.more()
          && !values.values().isEmpty()
          && rows >= (long) ROWS_PER_CATEGORY * values.values().size()) {
        proposals.add(
            new Proposal(
                "accepted-values: {column: %s, values: [%s]}"
                    .formatted(
                        yaml(leaf.name()),
                        new TreeSet<>(values.values())
                            .stream().map(SuiteSuggestion::yaml).collect(Collectors.joining(", "))),
                counted(values.values().size(), "distinct value")));
      }
    }
    for (Leaf leaf : leaves) {
      if (!Columns.isNumeric(leaf.type())) {
        continue;
      }
      State minMax = profile.get(new MinMaxAnalyzer(leaf.name(), leaf.type()).key());
      if (minMax instanceof MinMaxState range
          && range.min() != null
          && Columns.toDouble(range.min()) >= 0) {
        proposals.add(
            new Proposal(
                "min: {column: %s, min: 0}".formatted(yaml(leaf.name())),
                "smallest value " + SuiteValues.show(range.min(), leaf.type())));
      }
    }
    return proposals;
  }

  /** A freshness check per timestamp or date column, to be uncommented once its age is chosen. */
  private static List<String> freshness(Schema schema, Map<String, State> profile) {
    List<String> lines = new ArrayList<>();
    for (Leaf leaf : leaves(schema)) {
      if (!isTime(leaf.type())) {
        continue;
      }
      State minMax = profile.get(new MinMaxAnalyzer(leaf.name(), leaf.type()).key());
      if (minMax instanceof MinMaxState range && range.max() != null) {
        lines.add(
            "# - freshness: {column: %s, max-age: 1d}   # newest %s"
                .formatted(yaml(leaf.name()), SuiteValues.show(range.max(), leaf.type())));
      }
    }
    return lines;
  }

  private static Suite parse(TableRef ref, List<Proposal> proposals) {
    StringBuilder yaml = new StringBuilder("checks:\n");
    proposals.forEach(p -> yaml.append("  - ").append(p.item()).append('\n'));
    if (proposals.isEmpty()) {
      yaml.setLength(0);
      yaml.append("checks: []\n");
    }
    return Suites.parse(ref, ConfigNode.parse("floe suggest", yaml.toString(), name -> null));
  }

  private static String render(
      TableRef ref, List<Proposal> proposals, List<String> comments, List<String> freshness) {
    StringBuilder out = new StringBuilder();
    comments.forEach(c -> out.append("  ").append(c).append('\n'));
    out.append("  ").append(yaml(ref.toString())).append(":\n");
    out.append("    quality:\n");
    out.append("      checks:").append(proposals.isEmpty() ? " []\n" : "\n");
    // reasons line up after the items, but a long one (a wide schema) pushes only its own along
    int width =
        proposals.stream()
            .mapToInt(p -> p.item().length())
            .filter(length -> length <= ALIGNED)
            .max()
            .orElse(0);
    for (Proposal proposal : proposals) {
      out.append("        - ")
          .append(proposal.item())
          .append(" ".repeat(Math.max(0, width - proposal.item().length())))
          .append("   # ")
          .append(proposal.reason())
          .append('\n');
    }
    freshness.forEach(line -> out.append("        ").append(line).append('\n'));
    return out.toString();
  }

  private static boolean mayBeUnique(Type.PrimitiveType type) {
    return switch (type.typeId()) {
      // keys: not amounts (decimals, floating point) or event times, distinct as they may be
      case INTEGER, LONG, STRING, UUID, DATE, FIXED, BINARY -> true;
      default -> false;
    };
  }

  private static boolean isTime(Type.PrimitiveType type) {
    return switch (type.typeId()) {
      case DATE, TIMESTAMP, TIMESTAMP_NANO -> true;
      default -> false;
    };
  }

  /** The type as a {@code schema} check names it: {@code decimal(12,2)}, {@code struct}. */
  private static String typeName(Type type) {
    if (type.isStructType()) {
      return "struct";
    }
    if (type.isListType()) {
      return "list";
    }
    if (type.isMapType()) {
      return "map";
    }
    return SnapshotAudit.normalizeType(type.toString());
  }

  /** A YAML scalar: plain when that reads back as the same string, else single-quoted. */
  static String yaml(String text) {
    boolean plain =
        text.matches("[A-Za-z_][A-Za-z0-9_.()\\-]*")
            && !List.of("true", "false", "null", "yes", "no", "on", "off", "y", "n", "~")
                .contains(text.toLowerCase(Locale.ROOT));
    return plain ? text : quoted(text);
  }

  private static String quoted(String text) {
    return "'" + text.replace("'", "''") + "'";
  }
}
