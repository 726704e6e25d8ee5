package io.floe.maintenance;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;

/**
 * Inflates gzip pages with one {@link Inflater}. A page is one gzip member (RFC 1952), as Parquet's
 * writers produce it; the member's CRC-32 and length are checked against the inflated bytes. More
 * than one member, header flags this does not know, or a page that does not inflate to exactly its
 * size go to the fallback.
 */
final class GzipPages extends DirectPages {
  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final int RESERVED = 0xe0;
  private static final int TRAILER = 8;
  private static final VarHandle LITTLE_ENDIAN_INTS =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

  private final Inflater inflater = new Inflater(true);
  private final CRC32 crc = new CRC32();

  GzipPages(BytesInputDecompressor fallback) {
    super(fallback);
  }

  @Override
  synchronized byte[] decompress(byte[] in, int start, int end, int size) {
    int body = bodyStart(in, start, end);
    if (body < 0) {
      return null;
    }
    byte[] out = new byte[size];
    inflater.reset();
    inflater.setInput(in, body, end - body);
    try {
      int filled = 0;
      while (filled < size) {
        int n = inflater.inflate(out, filled, size - filled);
        if (n == 0
            && (inflater.finished() || inflater.needsInput() || inflater.needsDictionary())) {
          return null;
        }
        filled += n;
      }
      if (!inflater.finished() && inflater.inflate(new byte[1]) != 0) {
        return null; // more data than the page's size
      }
    } catch (DataFormatException e) {
      return null;
    }
    if (!inflater.finished() || inflater.getRemaining() != TRAILER) {
      return null;
    }
    int trailer = end - TRAILER;
    crc.reset();
    crc.update(out, 0, size);
    if ((int) LITTLE_ENDIAN_INTS.get(in, trailer) != (int) crc.getValue()
        || (int) LITTLE_ENDIAN_INTS.get(in, trailer + 4) != size) {
      return null;
    }
    return out;
  }

  /** Where the deflate data of the gzip member at {@code start} begins, or -1. */
  private static int bodyStart(byte[] in, int start, int end) {
    if (end - start < 10 + TRAILER
        || (in[start] & 0xff) != 0x1f
        || (in[start + 1] & 0xff) != 0x8b
        || in[start + 2] != 8) {
      return -1;
    }
    int flags = in[start + 3] & 0xff;
    if ((flags & RESERVED) != 0) {
      return -1;
    }
    int at = start + 10;
    if ((flags & FEXTRA) != 0) {
      if (at + 2 > end) {
        return -1;
      }
      at += 2 + ((in[at] & 0xff) | (in[at + 1] & 0xff) << 8);
    }
    if ((flags & FNAME) != 0) {
      at = afterZero(in, at, end);
    }
    if ((flags & FCOMMENT) != 0) {
      at = afterZero(in, at, end);
    }
    if ((flags & FHCRC) != 0) {
      at += 2;
    }
    return at < 0 || at + TRAILER > end ? -1 : at;
  }

  private static int afterZero(byte[] in, int at, int end) {
    if (at < 0) {
      return -1;
    }
    for (int i = at; i < end; i++) {
      if (in[i] == 0) {
        return i + 1;
      }
    }
    return -1;
  }

  @Override
  public synchronized void release() {
    inflater.end();
  }
}
