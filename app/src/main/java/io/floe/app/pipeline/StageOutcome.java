package io.floe.app.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a stage did: rows per table it wrote or checked, named counts, and the tables it left new
 * snapshots on the run's audit branch of (for the publish stage).
 *
 * @param rows rows per table, all of them: e.g. the rows at the head of the table's audit branch,
 *     or of its main after an ingest
 * @param written rows per table that this stage wrote, where it knows them (an ingest's rows)
 * @param counts named counts; {@link #QUARANTINED} and {@link #DROPPED} are summed up by the
 *     summary
 * @param audited tables with a new snapshot on the run's audit branch, waiting to be published
 * @param branched tables that have the run's audit branch, written or not
 * @param unpublished tables whose audit head did not become {@code main} (the publish stage), each
 *     with why
 */
public record StageOutcome(
    Map<TableRef, Long> rows,
    Map<TableRef, Long> written,
    Map<String, Long> counts,
    List<TableRef> audited,
    List<TableRef> branched,
    List<PublishOutcome> unpublished) {
  /** Records routed to a quarantine table because they were malformed. */
  public static final String QUARANTINED = "quarantined";

  /** Records dropped because their business key was null. */
  public static final String DROPPED = "dropped-null-keys";

  public StageOutcome {
    rows = Map.copyOf(rows);
    written = Map.copyOf(written);
    counts = Map.copyOf(counts);
    audited = List.copyOf(audited);
    branched = List.copyOf(branched);
    unpublished = List.copyOf(unpublished);
  }

  public static StageOutcome empty() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  public long count(String name) {
    return counts.getOrDefault(name, 0L);
  }

  /** Collects a stage's outcome. */
  public static final class Builder {
    private final Map<TableRef, Long> rows = new LinkedHashMap<>();
    private final Map<TableRef, Long> written = new LinkedHashMap<>();
    private final Map<String, Long> counts = new LinkedHashMap<>();
    private final Set<TableRef> audited = new LinkedHashSet<>();
    private final Set<TableRef> branched = new LinkedHashSet<>();
    private final List<PublishOutcome> unpublished = new ArrayList<>();

    private Builder() {}

    public Builder rows(TableRef table, long count) {
      rows.put(requireNonNull(table, "table is null"), count);
      return this;
    }

    public Builder written(TableRef table, long count) {
      written.put(requireNonNull(table, "table is null"), count);
      return this;
    }

    public Builder count(String name, long delta) {
      counts.merge(requireNonNull(name, "name is null"), delta, Long::sum);
      return this;
    }

    public Builder audited(TableRef table) {
      audited.add(requireNonNull(table, "table is null"));
      return this;
    }

    public Builder branched(TableRef table) {
      branched.add(requireNonNull(table, "table is null"));
      return this;
    }

    public Builder unpublished(PublishOutcome outcome) {
      if (outcome.published()) {
        throw new IllegalArgumentException(outcome.table() + " was published");
      }
      unpublished.add(outcome);
      return this;
    }

    public StageOutcome build() {
      return new StageOutcome(
          rows, written, counts, new ArrayList<>(audited), new ArrayList<>(branched), unpublished);
    }
  }
}
