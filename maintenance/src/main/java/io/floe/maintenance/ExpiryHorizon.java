package io.floe.maintenance;

import static io.floe.core.text.Counts.counted;
import static java.util.Objects.requireNonNull;

import io.floe.catalog.Refs;
import io.floe.core.config.Durations;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotRef;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.util.SnapshotUtil;

/**
 * The instant before which snapshots may expire: the minimum of every protection, each named with
 * the reason it exists. Snapshots at or after the horizon stay; snapshots any ref points at stay
 * regardless, and Iceberg's per-branch and per-tag retention settings apply on top.
 *
 * @param effective the horizon: the earliest of {@link #protections}
 * @param protections each protection and the instant it keeps
 */
public record ExpiryHorizon(Instant effective, List<Protection> protections) {
  public ExpiryHorizon {
    requireNonNull(effective, "effective is null");
    protections = List.copyOf(protections);
  }

  /** One reason to keep snapshots: every snapshot at or after {@code keepsFrom} stays. */
  public record Protection(String name, Instant keepsFrom, String why) {
    public Protection {
      requireNonNull(name, "name is null");
      requireNonNull(keepsFrom, "keepsFrom is null");
      requireNonNull(why, "why is null");
    }
  }

  /** The protection that decides the horizon. */
  public Protection binding() {
    return protections.stream().min(Comparator.comparing(Protection::keepsFrom)).orElseThrow();
  }

  /**
   * The horizon of {@code metadata} under {@code policy} at {@code now}, ignoring refs in {@code
   * removedRefs} (they are about to be removed).
   */
  static ExpiryHorizon compute(
      TableMetadata metadata, MaintenancePolicy policy, Instant now, Set<String> removedRefs) {
    List<Protection> protections = new ArrayList<>();
    protections.add(
        new Protection(
            "snapshot-max-age",
            // to the millisecond, as snapshots are timed and expiry cuts (expireOlderThan)
            now.minus(policy.snapshotMaxAge()).truncatedTo(ChronoUnit.MILLIS),
            "snapshots younger than %s are kept (maintenance.%s)"
                .formatted(
                    Durations.format(policy.snapshotMaxAge()),
                    MaintenancePolicy.SNAPSHOT_MAX_AGE)));
    Snapshot mainHead = metadata.currentSnapshot();
    Set<Long> mainAncestors = new HashSet<>();
    if (mainHead != null) {
      List<Snapshot> ancestors = ancestors(metadata, mainHead.snapshotId());
      ancestors.forEach(s -> mainAncestors.add(s.snapshotId()));
      Snapshot kept = ancestors.get(Math.min(policy.minSnapshots(), ancestors.size()) - 1);
      protections.add(
          new Protection(
              "min-snapshots",
              Instant.ofEpochMilli(kept.timestampMillis()),
              "main keeps its newest %s (maintenance.%s)"
                  .formatted(
                      counted(policy.minSnapshots(), "snapshot"),
                      MaintenancePolicy.MIN_SNAPSHOTS)));
    }
    Duration tagWindow = policy.publishedTagMaxAge().orElse(policy.snapshotMaxAge());
    for (Map.Entry<String, SnapshotRef> entry : metadata.refs().entrySet()) {
      String name = entry.getKey();
      SnapshotRef ref = entry.getValue();
      if (removedRefs.contains(name)) {
        continue;
      }
      Snapshot head = metadata.snapshot(ref.snapshotId());
      if (head == null) {
        continue;
      }
      if (ref.isBranch() && Refs.isAuditBranch(name)) {
        Snapshot fork = forkPoint(metadata, head, mainAncestors);
        protections.add(
            new Protection(
                "audit-branch " + name,
                Instant.ofEpochMilli(fork.timestampMillis()),
                "snapshot %d is being audited; main's history back to where the audit started (snapshot %d) is kept"
                    .formatted(head.snapshotId(), fork.snapshotId())));
      } else if (ref.isTag() && Refs.isPublishedTag(name)) {
        Instant tagged = Instant.ofEpochMilli(head.timestampMillis());
        if (tagged.isAfter(now.minus(tagWindow)) && head.parentId() != null) {
          Snapshot parent = metadata.snapshot(head.parentId());
          if (parent != null) {
            protections.add(
                new Protection(
                    "published-tag " + name,
                    Instant.ofEpochMilli(parent.timestampMillis()),
                    "the published snapshot %d and its parent %d stay while the tag is within %s, so what changed stays answerable"
                        .formatted(
                            head.snapshotId(), parent.snapshotId(), Durations.format(tagWindow))));
          }
        }
      }
    }
    Instant effective =
        protections.stream()
            .map(Protection::keepsFrom)
            .min(Comparator.naturalOrder())
            .orElseThrow();
    return new ExpiryHorizon(effective, protections);
  }

  /** Newest first, starting with {@code snapshotId}, as far back as the metadata still has. */
  static List<Snapshot> ancestors(TableMetadata metadata, long snapshotId) {
    List<Snapshot> ancestors = new ArrayList<>();
    SnapshotUtil.ancestorsOf(snapshotId, metadata::snapshot).forEach(ancestors::add);
    return ancestors;
  }

  /** The newest ancestor of {@code head} that main also has, else the oldest ancestor known. */
  private static Snapshot forkPoint(
      TableMetadata metadata, Snapshot head, Set<Long> mainAncestors) {
    Snapshot oldest = head;
    for (Snapshot ancestor : ancestors(metadata, head.snapshotId())) {
      if (mainAncestors.contains(ancestor.snapshotId())) {
        return ancestor;
      }
      oldest = ancestor;
    }
    return oldest;
  }
}
