package io.floe.maintenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.PositionOutputStream;

/** Moves files between a table and its quarantine, verifying each copy before removing a source. */
final class Quarantine {
  static final String DEFAULT_DIRECTORY = "_floe_quarantine/";

  private Quarantine() {}

  /** Where a table's orphans of one run go. */
  static String root(MaintenancePolicy policy, String tableLocation, String table, String runId) {
    String base =
        policy
            .quarantineLocation()
            .orElseGet(
                () -> {
                  Location location = Location.parse(tableLocation);
                  return location.scheme() + "://" + location.authority() + "/" + DEFAULT_DIRECTORY;
                });
    return (base.endsWith("/") ? base : base + "/") + table.replace('.', '/') + "/" + runId + "/";
  }

  /** Copies {@code from} to {@code to}, checks the length, then deletes {@code from}. */
  static void move(FileIO io, String from, String to) {
    InputFile source = io.newInputFile(from);
    long length = source.getLength();
    try (InputStream in = source.newStream();
        PositionOutputStream out = io.newOutputFile(to).createOrOverwrite()) {
      in.transferTo(out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy %s to %s".formatted(from, to), e);
    }
    long copied = io.newInputFile(to).getLength();
    if (copied != length) {
      throw new IllegalStateException(
          "copy of %s to %s has %d bytes, expected %d; the source stays"
              .formatted(from, to, copied, length));
    }
    io.deleteFile(from);
  }
}
