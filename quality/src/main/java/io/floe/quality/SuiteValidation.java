package io.floe.quality;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * Whether a suite can be evaluated on its table as the table is now, found from metadata alone: a
 * suite whose columns were renamed or dropped, whose accepted values or bounds do not fit a
 * column's type, or whose referenced table lost a column would otherwise be found only when a check
 * errors and blocks a publish.
 *
 * @param against the schema validated against, as a report says it: {@code main's head (snapshot
 *     42)}, or the table's current schema when the branch has no snapshot yet
 * @param misfits why each check that cannot be evaluated cannot, by check name, in the suite's
 *     order
 */
public record SuiteValidation(Suite suite, String against, Map<String, String> misfits) {
  public SuiteValidation {
    requireNonNull(suite, "suite is null");
    requireNonNull(against, "against is null");
    misfits = Collections.unmodifiableMap(new LinkedHashMap<>(misfits));
  }

  public boolean fits() {
    return misfits.isEmpty();
  }

  /**
   * Validates {@code suite} against the schema of the head of {@code branch} of {@code table} (main
   * when empty), or the table's current schema when main has no snapshot yet.
   *
   * @throws FloeException when the table does not exist, or has no such branch or tag
   */
  public static SuiteValidation of(
      Catalog catalog, Suite suite, Optional<String> branch, QualityConfig config) {
    return of(catalog, QualityGate.load(catalog, suite.table()), suite, branch, config);
  }

  /** As {@link #of(Catalog, Suite, Optional, QualityConfig)}, of {@code table} as loaded. */
  public static SuiteValidation of(
      Catalog catalog, Table table, Suite suite, Optional<String> branch, QualityConfig config) {
    TableRef ref = suite.table();
    String name = branch.orElse(Refs.MAIN);
    Snapshot head = table.snapshot(name);
    if (head == null && branch.isPresent()) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "%s has no branch or tag '%s' (%s)".formatted(ref, name, Refs.describe(table.refs())));
    }
    Schema schema =
        head == null ? table.schema() : SnapshotUtil.schemaFor(table, head.snapshotId());
    SnapshotAudit audit =
        new SnapshotAudit(
            catalog,
            table,
            ref,
            config,
            suite.sampleColumns(),
            ResultStore.NONE,
            EvaluationThreads.pool(config.threads()),
            Clock.systemUTC());
    Map<String, String> misfits = audit.misfits(suite.checks(), schema);
    if (head == null) {
      return new SuiteValidation(
          suite, "the current schema (nothing on %s yet)".formatted(name), misfits);
    }
    String against = "%s's head (snapshot %d)".formatted(name, head.snapshotId());
    if (table.schema().schemaId() == schema.schemaId()) {
      return new SuiteValidation(suite, against, misfits);
    }
    // the schema changed since the head was written: the next snapshot, the next audit's, gets it
    Map<String, String> next = audit.misfits(suite.checks(), table.schema());
    Map<String, String> either = new LinkedHashMap<>();
    for (Check check : suite.checks()) {
      String why = misfits.get(check.name());
      if (why == null && next.containsKey(check.name())) {
        why = "on the current schema, which the next snapshot gets: " + next.get(check.name());
      }
      if (why != null) {
        either.put(check.name(), why);
      }
    }
    return new SuiteValidation(
        suite,
        against
            + " and the table's current schema %d (the head's is %d)"
                .formatted(table.schema().schemaId(), schema.schemaId()),
        either);
  }
}
