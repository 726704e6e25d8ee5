package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.Parquet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A delete file is read once for every data file it names, within the budget only. */
class ReadOnceDeleteLoaderTest {
  @TempDir Path dir;

  @Test
  void aDeleteFileNamingTwoDataFilesIsReadOnce() throws IOException {
    AtomicInteger opened = new AtomicInteger();
    HadoopFileIO io = counting(opened);
    DeleteFile deletes = positions(io, "a.parquet", 3, "b.parquet", 7);

    ReadOnceDeleteLoader loader = new ReadOnceDeleteLoader(io);
    PositionDeleteIndex a = loader.loadPositionDeletes(List.of(deletes), "a.parquet");
    PositionDeleteIndex b = loader.loadPositionDeletes(List.of(deletes), "b.parquet");
    assertThat(a.isDeleted(3)).isTrue();
    assertThat(a.isDeleted(7)).isFalse();
    assertThat(b.isDeleted(7)).isTrue();
    assertThat(b.cardinality()).isEqualTo(1);
    assertThat(opened).hasValue(1);

    // over its budget, each load reads the file again
    opened.set(0);
    ReadOnceDeleteLoader small = new ReadOnceDeleteLoader(io, 1);
    small.loadPositionDeletes(List.of(deletes), "a.parquet");
    small.loadPositionDeletes(List.of(deletes), "b.parquet");
    assertThat(opened).hasValue(2);
  }

  /** Local files, counting the delete files opened for reading. */
  private static HadoopFileIO counting(AtomicInteger opened) {
    return new HadoopFileIO(new Configuration()) {
      @Override
      public InputFile newInputFile(DeleteFile file) {
        opened.incrementAndGet();
        return super.newInputFile(file);
      }
    };
  }

  /** A partition-wide position delete file naming {@code first} at one position, then another. */
  private DeleteFile positions(
      HadoopFileIO io, String first, long firstPosition, String second, long secondPosition)
      throws IOException {
    PositionDeleteWriter<Record> writer =
        Parquet.writeDeletes(io.newOutputFile(dir.resolve("deletes.parquet").toString()))
            .withSpec(PartitionSpec.unpartitioned())
            .metricsConfig(MetricsConfig.forPositionDelete())
            .overwrite()
            .buildPositionWriter();
    try (writer) {
      writer.write(PositionDelete.<Record>create().set(first, firstPosition));
      writer.write(PositionDelete.<Record>create().set(second, secondPosition));
    }
    return writer.toDeleteFile();
  }
}
