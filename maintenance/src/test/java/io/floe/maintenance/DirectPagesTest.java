package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.CodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pages decompressed directly must come out as Parquet's own decompressor gives them, and a page
 * they cannot vouch for must go to that decompressor.
 */
class DirectPagesTest {
  private final CodecFactory codecs = new CodecFactory(new Configuration(false), 1 << 20);
  private final Recording fallback =
      new Recording(codecs.getDecompressor(CompressionCodecName.GZIP));
  private final GzipPages pages = new GzipPages(fallback);
  private final Recording zstdFallback =
      new Recording(codecs.getDecompressor(CompressionCodecName.ZSTD));
  private final ZstdPages zstd = new ZstdPages(zstdFallback);

  @AfterEach
  void release() {
    pages.release();
    zstd.release();
    codecs.release();
  }

  @Test
  void zstdPagesParquetCompressedDecompressToTheSameBytesWithoutTheFallback() throws IOException {
    for (int size : new int[] {0, 1, 1000, 200_000}) {
      byte[] page = page(size, size);
      byte[] compressed = compress(CompressionCodecName.ZSTD, page);

      assertThat(zstd.decompress(BytesInput.from(compressed), size).toByteArray()).isEqualTo(page);
      assertThat(viaBuffers(zstd, compressed, size, false)).isEqualTo(page);
      assertThat(viaBuffers(zstd, compressed, size, true)).isEqualTo(page);
    }
    assertThat(zstdFallback.calls).isZero();
  }

  @Test
  void aZstdPageItCannotDecompressExactlyGoesToTheFallback() throws IOException {
    byte[] page = page(4000, 5);
    byte[] compressed = compress(CompressionCodecName.ZSTD, page);
    byte[] corrupt = compressed.clone();
    corrupt[corrupt.length / 2] ^= 0x55;
    byte[] truncated = java.util.Arrays.copyOf(compressed, compressed.length - 5);
    zstdFallback.fail = true;
    for (byte[] bad : new byte[][] {corrupt, truncated, page(100, 9)}) {
      assertFallsBack(zstd, zstdFallback, bad, page.length);
    }
    for (int declared : new int[] {page.length - 1, page.length + 1}) {
      assertFallsBack(zstd, zstdFallback, compressed, declared);
    }
    // the context is usable again after a failed page
    zstdFallback.calls = 0;
    assertThat(zstd.decompress(BytesInput.from(compressed), page.length).toByteArray())
        .isEqualTo(page);
    assertThat(zstdFallback.calls).isZero();
  }

  @Test
  void pagesDecompressedOnSeveralThreadsAtOnceComeOutWhole() throws Exception {
    for (CompressionCodecName codec :
        new CompressionCodecName[] {CompressionCodecName.GZIP, CompressionCodecName.ZSTD}) {
      DirectPages direct = codec == CompressionCodecName.GZIP ? pages : zstd;
      byte[][] plain = {page(60_000, 11), page(50_000, 12), page(70_000, 13), page(40_000, 14)};
      byte[][] compressed = new byte[plain.length][];
      for (int p = 0; p < plain.length; p++) {
        compressed[p] = compress(codec, plain[p]);
      }
      java.util.concurrent.ExecutorService threads =
          java.util.concurrent.Executors.newFixedThreadPool(plain.length);
      try {
        List<java.util.concurrent.Future<Boolean>> whole = new java.util.ArrayList<>();
        for (int p = 0; p < plain.length; p++) {
          int index = p;
          whole.add(
              threads.submit(
                  () -> {
                    for (int round = 0; round < 200; round++) {
                      byte[] out =
                          direct
                              .decompress(BytesInput.from(compressed[index]), plain[index].length)
                              .toByteArray();
                      if (!java.util.Arrays.equals(out, plain[index])) {
                        return false;
                      }
                    }
                    return true;
                  }));
        }
        for (java.util.concurrent.Future<Boolean> done : whole) {
          assertThat(done.get()).isTrue();
        }
      } finally {
        threads.shutdownNow();
      }
    }
    assertThat(fallback.calls + zstdFallback.calls).isZero();
  }

  private static void assertFallsBack(
      DirectPages direct, Recording fallback, byte[] compressed, int size) {
    fallback.calls = 0;
    try {
      direct.decompress(BytesInput.from(compressed), size).toByteArray();
    } catch (IOException expected) {
      // the fallback's answer, as Parquet's decompressor would give it
    }
    assertThat(fallback.calls).isEqualTo(1);
  }

  @Test
  void pagesParquetCompressedInflateToTheSameBytesWithoutTheFallback() throws IOException {
    for (int size : new int[] {0, 1, 1000, 200_000}) {
      byte[] page = page(size, size);
      byte[] compressed = parquetGzip(page);

      assertThat(pages.decompress(BytesInput.from(compressed), size).toByteArray()).isEqualTo(page);
      assertThat(viaBuffers(pages, compressed, size, false)).isEqualTo(page);
      assertThat(viaBuffers(pages, compressed, size, true)).isEqualTo(page);
    }
    assertThat(fallback.calls).isZero();
  }

  @Test
  void aPageInsideALargerBufferIsReadFromItsOwnBytesOnly() throws IOException {
    byte[] page = page(5000, 7);
    byte[] compressed = parquetGzip(page);
    byte[] chunk = new byte[compressed.length + 40];
    System.arraycopy(compressed, 0, chunk, 17, compressed.length);
    ByteBuffer slice = ByteBuffer.wrap(chunk, 17, compressed.length).slice();

    assertThat(pages.decompress(BytesInput.from(slice), page.length).toByteArray()).isEqualTo(page);
    assertThat(fallback.calls).isZero();
  }

  @Test
  void optionalHeaderFieldsAreSkipped() throws IOException {
    byte[] page = page(3000, 3);
    int flags = 2 | 4 | 8 | 16; // header CRC, extra field, file name, comment
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    member.write(new byte[] {0x1f, (byte) 0x8b, 8, (byte) flags, 0, 0, 0, 0, 0, (byte) 255});
    member.write(new byte[] {3, 0, 'a', 'b', 'c'});
    member.write("page.bin\0".getBytes(StandardCharsets.ISO_8859_1));
    member.write("a comment\0".getBytes(StandardCharsets.ISO_8859_1));
    member.write(new byte[] {0x12, 0x34});
    member.write(deflate(page));
    member.write(trailer(page));

    assertThat(pages.decompress(BytesInput.from(member.toByteArray()), page.length).toByteArray())
        .isEqualTo(page);
    assertThat(fallback.calls).isZero();
  }

  @Test
  void twoMembersGoToTheFallback() throws IOException {
    byte[] first = page(2000, 1);
    byte[] second = page(1000, 2);
    ByteArrayOutputStream both = new ByteArrayOutputStream();
    both.write(member(first));
    both.write(member(second));

    byte[] inflated =
        pages
            .decompress(BytesInput.from(both.toByteArray()), first.length + second.length)
            .toByteArray();

    assertThat(fallback.calls).isEqualTo(1);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.write(first);
    expected.write(second);
    assertThat(inflated).isEqualTo(expected.toByteArray());
  }

  @Test
  void aCorruptPageIsNeverReturnedAsInflated() throws IOException {
    byte[] page = page(4000, 5);
    byte[] badCrc = parquetGzip(page);
    badCrc[badCrc.length - 8] ^= 1;
    byte[] badLength = parquetGzip(page);
    badLength[badLength.length - 4] ^= 1;
    byte[] truncated = parquetGzip(page);
    truncated = java.util.Arrays.copyOf(truncated, truncated.length - 20);
    byte[] notGzip = page(100, 9);

    fallback.fail = true;
    for (byte[] corrupt : new byte[][] {badCrc, badLength, truncated, notGzip}) {
      assertFallsBack(pages, fallback, corrupt, page.length);
    }
    // a page declared larger or smaller than it inflates to
    byte[] compressed = parquetGzip(page);
    for (int declared : new int[] {page.length - 1, page.length + 1}) {
      assertFallsBack(pages, fallback, compressed, declared);
    }
  }

  private static byte[] viaBuffers(DirectPages pages, byte[] compressed, int size, boolean direct)
      throws IOException {
    ByteBuffer input =
        direct
            ? ByteBuffer.allocateDirect(compressed.length + 3)
            : ByteBuffer.allocate(3 + compressed.length);
    input.put(new byte[] {9, 9, 9}).put(compressed).flip();
    input.position(3);
    ByteBuffer output = ByteBuffer.allocate(size);
    pages.decompress(input, compressed.length, output, size);
    assertThat(input.position()).isEqualTo(3 + compressed.length);
    return output.array();
  }

  private byte[] parquetGzip(byte[] page) throws IOException {
    return compress(CompressionCodecName.GZIP, page);
  }

  private byte[] compress(CompressionCodecName codec, byte[] page) throws IOException {
    return codecs.getCompressor(codec).compress(BytesInput.from(page)).toByteArray();
  }

  /** Compressible bytes: runs of a few symbols, like encoded column values. */
  private static byte[] page(int size, long seed) {
    Random random = new Random(seed);
    byte[] page = new byte[size];
    for (int i = 0; i < size; ) {
      byte value = (byte) random.nextInt(8);
      int run = 1 + random.nextInt(6);
      for (int r = 0; r < run && i < size; r++) {
        page[i++] = value;
      }
    }
    return page;
  }

  private static byte[] member(byte[] page) throws IOException {
    ByteArrayOutputStream member = new ByteArrayOutputStream();
    member.write(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 255});
    member.write(deflate(page));
    member.write(trailer(page));
    return member.toByteArray();
  }

  private static byte[] deflate(byte[] page) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    deflater.setInput(page);
    deflater.finish();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[4096];
    while (!deflater.finished()) {
      out.write(buffer, 0, deflater.deflate(buffer));
    }
    deflater.end();
    return out.toByteArray();
  }

  private static byte[] trailer(byte[] page) {
    CRC32 crc = new CRC32();
    crc.update(page);
    return ByteBuffer.allocate(8)
        .order(java.nio.ByteOrder.LITTLE_ENDIAN)
        .putInt((int) crc.getValue())
        .putInt(page.length)
        .array();
  }

  /** Parquet's decompressor, counting the pages handed to it; or failing them, as on corruption. */
  private static final class Recording implements BytesInputDecompressor {
    private final BytesInputDecompressor parquet;
    int calls;
    boolean fail;

    Recording(BytesInputDecompressor parquet) {
      this.parquet = parquet;
    }

    @Override
    public BytesInput decompress(BytesInput bytes, int size) throws IOException {
      calls++;
      if (fail) {
        throw new IOException("corrupt page");
      }
      return parquet.decompress(bytes, size);
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int size)
        throws IOException {
      calls++;
      parquet.decompress(input, compressedSize, output, size);
    }

    @Override
    public void release() {}
  }
}
