package io.floe.maintenance;

import com.github.luben.zstd.ZstdDecompressCtx;
import com.github.luben.zstd.ZstdException;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;

/**
 * Decompresses zstd pages with one {@link ZstdDecompressCtx}, which checks each frame as zstd does
 * (and its content checksum, where the writer added one). A page that does not decompress to
 * exactly its size goes to the fallback.
 */
final class ZstdPages extends DirectPages {
  private ZstdDecompressCtx context;

  ZstdPages(BytesInputDecompressor fallback) {
    super(fallback);
  }

  @Override
  synchronized byte[] decompress(byte[] in, int start, int end, int size) {
    if (context == null) {
      context = new ZstdDecompressCtx();
    }
    byte[] out = new byte[size];
    try {
      return context.decompressByteArray(out, 0, size, in, start, end - start) == size ? out : null;
    } catch (ZstdException e) {
      context.reset();
      return null;
    }
  }

  @Override
  public synchronized void release() {
    if (context != null) {
      context.close();
      context = null;
    }
  }
}
