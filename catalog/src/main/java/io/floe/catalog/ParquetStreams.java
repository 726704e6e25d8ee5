package io.floe.catalog;

import java.io.IOException;
import org.apache.parquet.io.DelegatingPositionOutputStream;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;

/**
 * Iceberg's files (on whatever {@link org.apache.iceberg.io.FileIO} the table has, S3 included)
 * seen through Parquet's own file interfaces, for code that reads or writes Parquet below Iceberg's
 * readers and writers: compaction's page copying, the quality gate's dictionary proofs.
 */
public final class ParquetStreams {
  private ParquetStreams() {}

  public static InputFile input(org.apache.iceberg.io.InputFile file) {
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

  public static OutputFile output(org.apache.iceberg.io.OutputFile file) {
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
