package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.Commits;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;

/**
 * Rewrites main's data manifests clustered by partition when there are more than the policy's
 * minimum count, so planning reads fewer, fuller manifests. Files and rows do not change.
 */
public final class ManifestRewrite {
  private final Table table;
  private MaintenancePolicy policy = MaintenancePolicy.defaults();
  private boolean dryRun;
  private boolean used;

  ManifestRewrite(Table table) {
    this.table = requireNonNull(table, "table is null");
  }

  public ManifestRewrite policy(MaintenancePolicy policy) {
    this.policy = requireNonNull(policy, "policy is null");
    return this;
  }

  public ManifestRewrite dryRun() {
    this.dryRun = true;
    return this;
  }

  public ManifestRewriteResult execute() {
    if (used) {
      throw new IllegalStateException("a ManifestRewrite runs once; start a new one");
    }
    used = true;
    String name = TableNames.of(table);
    table.refresh();
    Snapshot current = table.currentSnapshot();
    int before = current == null ? 0 : current.dataManifests(table.io()).size();
    if (before <= policy.manifestMinCount() || dryRun) {
      return new ManifestRewriteResult(name, dryRun, false, before, before);
    }
    Commits.promptly(table.rewriteManifests())
        .clusterBy(file -> HealthCheck.partitionName(table, file))
        .set("floe.maintenance", "rewrite-manifests")
        .commit();
    table.refresh();
    int after = table.currentSnapshot().dataManifests(table.io()).size();
    return new ManifestRewriteResult(name, false, true, before, after);
  }
}
