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
 * readers and writers: compaction's page copying, the quality gate's dictionary proofs; and a
 * Hadoop file seen by Iceberg's Parquet reader as a plain one.
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

  /**
   * {@code file}, seen by Iceberg's Parquet reader as a plain input file. At every open of a Hadoop
   * input file that reader copies the file's whole Hadoop configuration (several hundred entries,
   * taking longer than reading a small file's footer) to unset read options Floe never sets; a
   * plain input file is read with Parquet's plain options, as every object-store file already is.
   * The bytes still come through the file's own stream ({@link OwnStream}). Any other file is
   * returned as it is.
   */
  public static org.apache.iceberg.io.InputFile withoutHadoopConfiguration(
      org.apache.iceberg.io.InputFile file) {
    if (!(file instanceof org.apache.iceberg.hadoop.HadoopInputFile)) {
      return file;
    }
    return new org.apache.iceberg.io.InputFile() {
      @Override
      public long getLength() {
        return file.getLength();
      }

      @Override
      public org.apache.iceberg.io.SeekableInputStream newStream() {
        return new OwnStream(file.newStream());
      }

      @Override
      public String location() {
        return file.location();
      }

      @Override
      public boolean exists() {
        return file.exists();
      }
    };
  }

  /**
   * A stream handed to Iceberg's Parquet reader in place of Iceberg's Hadoop stream, which Parquet
   * would unwrap, keeping only the Hadoop stream inside: the unreachable wrapper's finalizer, which
   * closes a stream not closed, could then run while the read goes on. This one stays reachable and
   * is closed by the reader.
   */
  private static final class OwnStream extends org.apache.iceberg.io.SeekableInputStream {
    private final org.apache.iceberg.io.SeekableInputStream stream;

    OwnStream(org.apache.iceberg.io.SeekableInputStream stream) {
      this.stream = stream;
    }

    @Override
    public long getPos() throws IOException {
      return stream.getPos();
    }

    @Override
    public void seek(long position) throws IOException {
      stream.seek(position);
    }

    @Override
    public int read() throws IOException {
      return stream.read();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return stream.read(buffer, offset, length);
    }

    @Override
    public void close() throws IOException {
      stream.close();
    }
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
