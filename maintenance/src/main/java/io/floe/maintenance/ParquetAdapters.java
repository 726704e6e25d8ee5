package io.floe.maintenance;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.HadoopReadOptions;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/** Iceberg's object-store files seen through Parquet's own file interfaces. */
final class ParquetAdapters {
  // without defaults: Parquet's own default options would load Hadoop's XML resources per file
  private static final Configuration CONF = new Configuration(false);

  private ParquetAdapters() {}

  /** Opens a Parquet reader without re-reading Hadoop's configuration files for every file. */
  static ParquetFileReader open(org.apache.iceberg.io.InputFile file) throws IOException {
    return ParquetFileReader.open(input(file), HadoopReadOptions.builder(CONF).build());
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
        input(file), HadoopReadOptions.builder(CONF).withCodecFactory(kept).build());
  }

  static InputFile input(org.apache.iceberg.io.InputFile file) {
    return new InputFile() {
      @Override
      public long getLength() {
        return file.getLength();
      }

      @Override
      public SeekableInputStream newStream() {
        org.apache.iceberg.io.SeekableInputStream stream = file.newStream();
        return new DelegatingSeekableInputStream(stream) {
          @Override
          public long getPos() throws IOException {
            return stream.getPos();
          }

          @Override
          public void seek(long position) throws IOException {
            stream.seek(position);
          }
        };
      }
    };
  }

  static OutputFile output(org.apache.iceberg.io.OutputFile file) {
    return new OutputFile() {
      @Override
      public PositionOutputStream create(long blockSizeHint) {
        return wrap(file.create());
      }

      @Override
      public PositionOutputStream createOrOverwrite(long blockSizeHint) {
        return wrap(file.createOrOverwrite());
      }

      @Override
      public boolean supportsBlockSize() {
        return false;
      }

      @Override
      public long defaultBlockSize() {
        return 0;
      }

      @Override
      public String getPath() {
        return file.location();
      }
    };
  }

  private static PositionOutputStream wrap(org.apache.iceberg.io.PositionOutputStream stream) {
    return new DelegatingPositionOutputStream(stream) {
      @Override
      public long getPos() throws IOException {
        return stream.getPos();
      }
    };
  }
}
