package io.floe.quality;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.catalog.TableRef;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Every check of a suite evaluated against one exact snapshot.
 *
 * @param ref the branch evaluated, or empty when a snapshot id was given
 * @param basis how the metrics were computed: {@code full}, {@code incremental from audited
 *     snapshot <id>, <n> files added[ and <n> removed] since[, across <n> rewrites]}, or {@code
 *     full: <why not incremental>} when an incremental evaluation was asked for and could not be
 *     made
 * @param report the HTML report written for this evaluation, when one was written
 * @param warnings what the evaluation could not do besides judging, one line each: the failure
 *     alert (the webhook) not sent, the evaluation not recorded in the metric history. The verdict
 *     stands: neither decides whether the snapshot may be published.
 */
public record Verdict(
    TableRef table,
    long snapshotId,
    Optional<String> ref,
    String suiteHash,
    Instant evaluatedAt,
    List<CheckResult> results,
    String basis,
    Optional<String> report,
    List<String> warnings) {
  /** The value recorded in snapshot summaries under {@code floe.quality.verdict}. */
  public static final String PASSED = Refs.VERDICT_PASSED;

  /** The {@link #basis} of an evaluation of every file, as asked. */
  public static final String FULL = "full";

  public Verdict {
    requireNonNull(table, "table is null");
    requireNonNull(ref, "ref is null");
    requireNonNull(suiteHash, "suiteHash is null");
    requireNonNull(evaluatedAt, "evaluatedAt is null");
    results = List.copyOf(requireNonNull(results, "results is null"));
    requireNonNull(basis, "basis is null");
    requireNonNull(report, "report is null");
    warnings = List.copyOf(requireNonNull(warnings, "warnings is null"));
  }

  /** True when no error-severity check failed or errored (fail closed). */
  public boolean passed() {
    return results.stream().noneMatch(CheckResult::blocks);
  }

  /** The results that stop publishing. */
  public List<CheckResult> blocking() {
    return results.stream().filter(CheckResult::blocks).toList();
  }

  /** The status of the check named {@code name}. */
  public Optional<CheckResult> result(String name) {
    return results.stream().filter(r -> r.check().name().equals(name)).findFirst();
  }

  Verdict withReport(String path) {
    return new Verdict(
        table,
        snapshotId,
        ref,
        suiteHash,
        evaluatedAt,
        results,
        basis,
        Optional.of(path),
        warnings);
  }

  Verdict withWarning(String warning) {
    List<String> more = new ArrayList<>(warnings);
    more.add(warning);
    return new Verdict(
        table, snapshotId, ref, suiteHash, evaluatedAt, results, basis, report, more);
  }
}
