package io.floe.quality;

import io.floe.catalog.TableRef;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The stored analyzer states of one audited snapshot as one small file: a header naming the table
 * and snapshot, the states by analyzer key, and a CRC32 of all of it, so a torn or foreign file is
 * recognised and ignored (the check then evaluates in full) rather than merged.
 */
final class StateBlob {
  private static final int MAGIC = 0x464c5153; // "FLQS"

  /**
   * 2: distinct-count sketches hash decimals, booleans and UUIDs the same in every JVM, and floats
   * as doubles, and states are stored under their columns' field ids as well as names; version 1's
   * states are ignored, so the first check after the upgrade evaluates in full. 3: a row predicate
   * fails a row where a comparison meets a null (version 2 passed {@code price < 10} for a null
   * price), so version 2's violation counts are ignored.
   */
  private static final int VERSION = 3;

  private StateBlob() {}

  static byte[] encode(TableRef table, long snapshotId, Map<String, byte[]> states) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      out.writeInt(MAGIC);
      out.writeInt(VERSION);
      out.writeUTF(table.toString());
      out.writeLong(snapshotId);
      out.writeInt(states.size());
      for (Map.Entry<String, byte[]> state : states.entrySet()) {
        out.writeUTF(state.getKey());
        out.writeInt(state.getValue().length);
        out.write(state.getValue());
      }
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** The states, or empty when the bytes are torn, corrupt or for another table or snapshot. */
  static Optional<Map<String, byte[]>> decode(byte[] bytes, TableRef table, long snapshotId) {
    if (bytes.length < Long.BYTES) {
      return Optional.empty();
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 0, bytes.length - Long.BYTES);
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      long stored =
          new DataInputStream(
                  new ByteArrayInputStream(
                      Arrays.copyOfRange(bytes, bytes.length - Long.BYTES, bytes.length)))
              .readLong();
      if (stored != crc.getValue()
          || in.readInt() != MAGIC
          || in.readInt() != VERSION
          || !in.readUTF().equals(table.toString())
          || in.readLong() != snapshotId) {
        return Optional.empty();
      }
      int count = in.readInt();
      Map<String, byte[]> states = new LinkedHashMap<>();
      for (int i = 0; i < count; i++) {
        String key = in.readUTF();
        states.put(key, in.readNBytes(in.readInt()));
      }
      return Optional.of(states);
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
