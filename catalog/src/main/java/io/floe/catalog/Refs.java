package io.floe.catalog;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.iceberg.SnapshotRef;

/**
 * The names Floe gives Iceberg refs and snapshot-summary keys, shared by the writers, the quality
 * gate, maintenance and serving so they all recognise one another's refs.
 *
 * <ul>
 *   <li>Writers land every silver and gold change on an audit branch {@code audit_<run id>}, never
 *       on {@code main}.
 *   <li>The gate fast-forwards {@code main} to an audited snapshot and tags it {@code
 *       published-<utc timestamp>}.
 * </ul>
 */
public final class Refs {
  public static final String MAIN = "main";
  public static final String AUDIT_BRANCH_PREFIX = "audit_";
  public static final String PUBLISHED_TAG_PREFIX = "published-";

  /** Snapshot-summary keys Floe writes. */
  public static final String SUMMARY_RUN_ID = "floe.run-id";

  /**
   * Key prefix of the input snapshots a transform write consumed: {@code
   * floe.consumed.<namespace.table>=<snapshot id>} (written by the Spark transform job, which
   * spells the same prefix itself).
   */
  public static final String SUMMARY_CONSUMED_PREFIX = "floe.consumed.";

  public static final String SUMMARY_VERDICT = "floe.quality.verdict";

  /** The verdicts as Floe spells them: in {@link #SUMMARY_VERDICT}, and in audit histories. */
  public static final String VERDICT_PASSED = "pass";

  public static final String VERDICT_FAILED = "fail";
  public static final String SUMMARY_SUITE_HASH = "floe.quality.suite-hash";
  public static final String SUMMARY_AUDITED_SNAPSHOT = "floe.quality.audited-snapshot-id";

  private static final DateTimeFormatter TAG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private Refs() {}

  /** Tags named in {@link #describe}; a table keeps a published tag per publish for months. */
  static final int TAGS_NAMED = 5;

  /**
   * A table's refs for an error message, in one line: its branches ({@code main} first, then by
   * name), then its newest tags by name (a {@code published-<utc>} name sorts by time), e.g. {@code
   * branches main, audit_r1; tags published-20260102T000000Z, published-20260101T000000Z and 88
   * more}.
   */
  public static String describe(Map<String, SnapshotRef> refs) {
    List<String> branches = new ArrayList<>();
    List<String> tags = new ArrayList<>();
    refs.forEach((name, ref) -> (ref.isBranch() ? branches : tags).add(name));
    branches.sort(
        Comparator.comparing((String name) -> !name.equals(MAIN)).thenComparing(name -> name));
    tags.sort(Comparator.reverseOrder());
    String text = branches.isEmpty() ? "no branches" : "branches " + String.join(", ", branches);
    if (!tags.isEmpty()) {
      text +=
          "; tags "
              + String.join(", ", tags.subList(0, Math.min(tags.size(), TAGS_NAMED)))
              + (tags.size() > TAGS_NAMED
                  ? " and %d more".formatted(tags.size() - TAGS_NAMED)
                  : "");
    }
    return text;
  }

  /** The audit branch of one pipeline run; run ids are lower-case letters, digits and '_'. */
  public static String auditBranch(String runId) {
    requireNonNull(runId, "runId is null");
    if (!runId.matches("[a-z0-9_]+")) {
      throw new IllegalArgumentException("run id must match [a-z0-9_]+: " + runId);
    }
    return AUDIT_BRANCH_PREFIX + runId;
  }

  public static boolean isAuditBranch(String refName) {
    return refName.startsWith(AUDIT_BRANCH_PREFIX);
  }

  /** The publishable tag for a publish at {@code time}, e.g. {@code published-20261121T101500Z}. */
  public static String publishedTag(Instant time) {
    return PUBLISHED_TAG_PREFIX + TAG_TIME.format(time);
  }

  public static boolean isPublishedTag(String refName) {
    return refName.startsWith(PUBLISHED_TAG_PREFIX);
  }
}
