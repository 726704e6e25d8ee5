package io.floe.maintenance;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.zip.CRC32;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.util.PropertyUtil;

/**
 * A file compaction writes, stored with one direct PUT ({@link DirectS3#write}) when it is closed
 * and held in memory until then. A file that grows past what the FileIO would store in one request
 * ({@code s3.multipart.size}, 32 MiB by default) is handed to the FileIO's own stream as it does,
 * so memory stays bounded and large files are uploaded in parts as before; and a PUT that fails is
 * repeated through the FileIO. Either way the file is stored once the stream is closed, or the
 * close throws.
 */
final class DirectS3Output implements OutputFile {
  private static final String PART_SIZE = "s3.multipart.size";
  private static final long PART_SIZE_DEFAULT = 32L << 20;
  private static final int FIRST_BLOCK = 64 << 10;
  private static final int LARGEST_BLOCK = 4 << 20;

  private final OutputFile delegate;
  private final DirectS3 direct;
  private final long maxBytes;

  DirectS3Output(OutputFile delegate, DirectS3 direct, long maxBytes) {
    this.delegate = delegate;
    this.direct = direct;
    this.maxBytes = maxBytes;
  }

  /** The output files of {@code io}: direct where its configuration allows, else its own. */
  static UnaryOperator<OutputFile> wrapper(FileIO io) {
    Optional<DirectS3> direct = DirectS3.forWrites(io);
    if (direct.isEmpty()) {
      return file -> file;
    }
    long maxBytes = PropertyUtil.propertyAsLong(io.properties(), PART_SIZE, PART_SIZE_DEFAULT);
    return file -> new DirectS3Output(file, direct.get(), maxBytes);
  }

  @Override
  public PositionOutputStream create() {
    if (delegate.toInputFile().exists()) {
      throw new AlreadyExistsException("File already exists: %s", delegate.location());
    }
    return createOrOverwrite();
  }

  @Override
  public PositionOutputStream createOrOverwrite() {
    return new Stream();
  }

  @Override
  public String location() {
    return delegate.location();
  }

  @Override
  public InputFile toInputFile() {
    return delegate.toInputFile();
  }

  private final class Stream extends PositionOutputStream {
    private final CRC32 crc = new CRC32();
    private List<byte[]> blocks = new ArrayList<>();
    private byte[] block = new byte[0];
    private int used;
    private long position;
    // the FileIO's stream, once the file outgrew one request
    private PositionOutputStream handedOver;
    private boolean closed;

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
      if (closed) {
        throw new IOException("stream closed: " + location());
      }
      Objects.checkFromIndexSize(offset, length, bytes.length);
      if (handedOver == null && position + length > maxBytes) {
        handedOver = delegate.createOrOverwrite();
        writeBlocks(handedOver);
        blocks = null;
        block = null;
      }
      position += length;
      if (handedOver != null) {
        handedOver.write(bytes, offset, length);
        return;
      }
      crc.update(bytes, offset, length);
      while (length > 0) {
        if (used == block.length) {
          block = new byte[(int) Math.min(LARGEST_BLOCK, Math.max(FIRST_BLOCK, 2L * block.length))];
          blocks.add(block);
          used = 0;
        }
        int copied = Math.min(length, block.length - used);
        System.arraycopy(bytes, offset, block, used, copied);
        used += copied;
        offset += copied;
        length -= copied;
      }
    }

    private void writeBlocks(OutputStream out) throws IOException {
      for (int i = 0; i < blocks.size(); i++) {
        byte[] each = blocks.get(i);
        out.write(each, 0, i == blocks.size() - 1 ? used : each.length);
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      if (handedOver != null) {
        handedOver.close();
        return;
      }
      try {
        if (!direct.write(location(), position, crc.getValue(), this::writeBlocks)) {
          try (PositionOutputStream out = delegate.createOrOverwrite()) {
            writeBlocks(out);
          }
        }
      } finally {
        blocks = null;
        block = null;
      }
    }
  }
}
