package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

/** Main's manifest count before and after; {@code rewritten} is false when below the threshold. */
public record ManifestRewriteResult(
    String table, boolean dryRun, boolean rewritten, int manifestsBefore, int manifestsAfter) {
  public ManifestRewriteResult {
    requireNonNull(table, "table is null");
  }
}
