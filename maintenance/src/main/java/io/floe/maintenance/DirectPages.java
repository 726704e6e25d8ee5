package io.floe.maintenance;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Decompresses a Parquet page in one call straight into an array of the page's uncompressed size,
 * with one native context kept for every page of a transcoding. Parquet's own decompressors for
 * gzip and zstd go through stream classes, which set up a stream and its buffers per page and copy
 * through them; rewriting a thousand small files decompresses some ten thousand pages that way.
 *
 * <p>A page this does not take as it is (see {@link #decompress(byte[], int, int, int)}) goes to
 * {@code fallback}, Parquet's decompressor, which then decides as it always did: nothing this
 * cannot check is returned.
 */
abstract class DirectPages implements BytesInputDecompressor {
  private final BytesInputDecompressor fallback;

  DirectPages(BytesInputDecompressor fallback) {
    this.fallback = fallback;
  }

  /**
   * The decompressor of {@code codec}'s pages: a direct one for gzip and zstd, else {@code
   * parquet}.
   */
  static BytesInputDecompressor forCodec(
      CompressionCodecName codec, BytesInputDecompressor parquet) {
    return switch (codec) {
      case GZIP -> new GzipPages(parquet);
      case ZSTD -> new ZstdPages(parquet);
      default -> parquet;
    };
  }

  /**
   * The page in {@code in[start, end)} decompressed into a new array of exactly {@code size} bytes,
   * or null when it is not a page this reads, or does not decompress to exactly that size.
   * Implementations hold one native context, so they take one page at a time: a reader reading
   * column chunks on several threads gets correct pages, one after the other.
   */
  abstract byte[] decompress(byte[] in, int start, int end, int size);

  @Override
  public final BytesInput decompress(BytesInput bytes, int decompressedSize) throws IOException {
    ByteBuffer compressed = bytes.toByteBuffer();
    byte[] page = decompress(compressed, decompressedSize);
    return page != null
        ? BytesInput.from(page)
        : fallback.decompress(BytesInput.from(compressed), decompressedSize);
  }

  @Override
  public final void decompress(
      ByteBuffer input, int compressedSize, ByteBuffer output, int decompressedSize)
      throws IOException {
    ByteBuffer compressed = input.slice();
    compressed.limit(compressedSize);
    byte[] page = decompress(compressed, decompressedSize);
    if (page == null) {
      fallback.decompress(input, compressedSize, output, decompressedSize);
      return;
    }
    output.put(page);
    input.position(input.position() + compressedSize);
  }

  private byte[] decompress(ByteBuffer compressed, int size) {
    if (size < 0) {
      return null;
    }
    if (compressed.hasArray()) {
      int offset = compressed.arrayOffset();
      return decompress(
          compressed.array(), offset + compressed.position(), offset + compressed.limit(), size);
    }
    byte[] copy = new byte[compressed.remaining()];
    compressed.duplicate().get(copy);
    return decompress(copy, 0, copy.length, size);
  }
}
