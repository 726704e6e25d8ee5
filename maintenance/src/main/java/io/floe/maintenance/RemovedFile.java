package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

/**
 * A file an operation removed (or, in a dry run, would remove).
 *
 * @param size bytes; -1 where the table's metadata does not record it (a manifest list)
 * @param cause the snapshot or ref that stopped referencing it
 */
public record RemovedFile(String path, long size, String cause) {
  public RemovedFile {
    requireNonNull(path, "path is null");
    requireNonNull(cause, "cause is null");
  }
}
