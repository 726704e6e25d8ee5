package io.floe.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.Schema;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.hadoop.HadoopFileIO;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileAppender;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordFilesTest {
  private static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "id", Types.LongType.get()),
          Types.NestedField.optional(2, "name", Types.StringType.get()),
          Types.NestedField.optional(3, "amount", Types.DoubleType.get()));
  private static final int ROWS = 20_000;

  @TempDir Path dir;

  /**
   * A Parquet file on Hadoop's file system is read through Floe's own stream over Hadoop's, not
   * Iceberg's Hadoop path: every row, in every row group, of only the projected columns.
   */
  @Test
  void aHadoopFileIsReadWholeThroughItsOwnStream() throws IOException {
    Configuration conf = new Configuration();
    // the plain local file system, without checksum files beside each file
    conf.set("fs.file.impl", RawLocalFileSystem.class.getName());
    conf.setBoolean("fs.file.impl.disable.cache", true);
    HadoopFileIO io = new HadoopFileIO(conf);
    String location = dir.resolve("rows.parquet").toUri().toString();
    try (FileAppender<Record> out =
        Parquet.write(io.newOutputFile(location))
            .schema(SCHEMA)
            .createWriterFunc(GenericParquetWriter::create)
            // many row groups, so the read seeks back into the file after the first one
            .set(TableProperties.PARQUET_ROW_GROUP_SIZE_BYTES, "8192")
            .build()) {
      for (long id = 0; id < ROWS; id++) {
        out.add(GenericRecord.create(SCHEMA).copy("id", id, "name", "row-" + id, "amount", 0.5));
      }
    }
    InputFile input = io.newInputFile(location);
    try (ParquetFileReader footer = ParquetFileReader.open(ParquetStreams.input(input))) {
      assertThat(footer.getRowGroups()).hasSizeGreaterThan(10);
    }

    Schema projection = SCHEMA.select("id", "name");
    long rows = 0;
    long idSum = 0;
    try (CloseableIterable<Record> records =
        RecordFiles.read(input, FileFormat.PARQUET, projection, true)) {
      for (Record record : records) {
        assertThat(record.struct().fields()).hasSize(2);
        assertThat(record.getField("name")).isEqualTo("row-" + record.getField("id"));
        idSum += (Long) record.getField("id");
        rows++;
      }
    }

    assertThat(rows).isEqualTo(ROWS);
    assertThat(idSum).isEqualTo((long) ROWS * (ROWS - 1) / 2);
  }
}
