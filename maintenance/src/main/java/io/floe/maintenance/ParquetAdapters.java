package io.floe.maintenance;

import io.floe.catalog.ParquetStreams;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/** Parquet readers over Iceberg's files, opened without Hadoop's configuration files. */
final class ParquetAdapters {
  // without defaults: Parquet's own default options would load Hadoop's XML resources per file
  private static final Configuration CONF = new Configuration(false);

  private ParquetAdapters() {}

  /** Opens a Parquet reader without re-reading Hadoop's configuration files for every file. */
  static ParquetFileReader open(org.apache.iceberg.io.InputFile file) throws IOException {
    return ParquetFileReader.open(
        ParquetStreams.input(file), HadoopReadOptions.builder(CONF).build());
  }

  /**
   * Opens a Parquet reader that takes its decompressors from {@code codecs} and leaves them there
   * on close: a reader otherwise builds and drops its own per file, and Hadoop's gzip decompressor
   * is never pooled, so a thousand small files meant a thousand new inflaters.
   */
  static ParquetFileReader open(
      org.apache.iceberg.io.InputFile file, CompressionCodecFactory codecs) throws IOException {
    CompressionCodecFactory kept =
        new CompressionCodecFactory() {
          @Override
          public BytesInputCompressor getCompressor(CompressionCodecName codec) {
            return codecs.getCompressor(codec);
          }

          @Override
          public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
            return codecs.getDecompressor(codec);
          }

          @Override
          public void release() {
            // the owner of codecs releases them once every file is read
          }
        };
    return ParquetFileReader.open(
        ParquetStreams.input(file), HadoopReadOptions.builder(CONF).withCodecFactory(kept).build());
  }

  /**
   * {@code codecs}, except that gzip and zstd pages are decompressed by {@link DirectPages}, one
   * per codec for every file read through the returned factory, whose {@link
   * CompressionCodecFactory#release} releases them and {@code codecs}.
   */
  static CompressionCodecFactory withDirectPages(CompressionCodecFactory codecs) {
    return new CompressionCodecFactory() {
      private final Map<CompressionCodecName, BytesInputDecompressor> decompressors =
          new EnumMap<>(CompressionCodecName.class);

      @Override
      public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return codecs.getCompressor(codec);
      }

      @Override
      public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return decompressors.computeIfAbsent(
            codec, c -> DirectPages.forCodec(c, codecs.getDecompressor(c)));
      }

      @Override
      public void release() {
        // the others are codecs' own, which it releases
        decompressors.values().stream()
            .filter(DirectPages.class::isInstance)
            .forEach(BytesInputDecompressor::release);
        codecs.release();
      }
    };
  }
}
