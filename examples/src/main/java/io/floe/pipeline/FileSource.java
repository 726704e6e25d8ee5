package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * Files under an object-store prefix, parsed with a declared schema into one bronze table, with
 * malformed records in {@code <target>_quarantine}.
 *
 * @param path {@code s3://bucket/prefix/} or a prefix in the warehouse bucket
 */
public record FileSource(
    String name,
    String path,
    Format format,
    Compression compression,
    boolean header,
    String target,
    List<Column> columns) {
  public enum Format {
    CSV,
    TSV,
    JSONL
  }

  /** {@code auto} decompresses files whose name ends in {@code .gz}. */
  public enum Compression {
    AUTO,
    GZIP,
    NONE
  }

  public FileSource {
    requireNonNull(name, "name is null");
    requireNonNull(path, "path is null");
    requireNonNull(format, "format is null");
    requireNonNull(compression, "compression is null");
    requireNonNull(target, "target is null");
    columns = List.copyOf(columns);
  }
}
