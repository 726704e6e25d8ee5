package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * A finished download.
 *
 * @param parts parts of the file in total
 * @param partsReused parts an earlier, interrupted attempt had already stored
 * @param retries range requests repeated after a failure within this attempt
 * @param alreadyPresent the verified file was already in place; nothing was fetched
 */
public record DownloadResult(
    S3Location target,
    long bytes,
    int parts,
    int partsReused,
    int retries,
    String sha256,
    boolean alreadyPresent,
    Duration elapsed) {
  public DownloadResult {
    requireNonNull(target, "target is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(elapsed, "elapsed is null");
  }
}
