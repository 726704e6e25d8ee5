package io.floe.bench.quality;

import java.io.IOException;
import java.util.Arrays;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;

/**
 * The local file system for a benchmark warehouse, without Hadoop's per-file costs that no object
 * store has. Without its native library, Hadoop's local file system forks a process per file for
 * permissions: a {@code chmod} for every file it creates, and an {@code ls} for every file it lists
 * (the owner and permissions of each listed file are loaded by running it). Its checksummed variant
 * also writes a {@code .crc} file beside each file. Here files keep the process's default
 * permissions and listings report default ones, as an object store's listing (one request per
 * thousand keys) carries none.
 */
public final class LocalWarehouseFileSystem extends RawLocalFileSystem {
  @Override
  public void setPermission(Path path, FsPermission permission) {
    // default permissions; see the class comment
  }

  @Override
  public FileStatus[] listStatus(Path path) throws IOException {
    return Arrays.stream(super.listStatus(path))
        .map(LocalWarehouseFileSystem::withoutPermissions)
        .toArray(FileStatus[]::new);
  }

  private static FileStatus withoutPermissions(FileStatus status) {
    return new FileStatus(
        status.getLen(),
        status.isDirectory(),
        status.getReplication(),
        status.getBlockSize(),
        status.getModificationTime(),
        status.getAccessTime(),
        status.isDirectory() ? FsPermission.getDirDefault() : FsPermission.getFileDefault(),
        "",
        "",
        status.getPath());
  }
}
