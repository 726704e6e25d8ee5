package io.floe.bench.quality;

import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system for a benchmark warehouse, without Hadoop's per-file costs that no object
 * store has: without its native library, Hadoop's local file system forks a {@code chmod} process
 * for every file it creates, and its checksummed variant writes a {@code .crc} file beside each
 * (two forks per file; a quality check with its history commit creates six files). Files keep the
 * process's default permissions.
 */
public final class LocalWarehouseFileSystem extends RawLocalFileSystem {
  @Override
  public void setPermission(Path path, FsPermission permission) {
    // default permissions; see the class comment
  }
}
