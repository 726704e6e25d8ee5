package io.floe.maintenance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * Rewrites one file group into files of about the target size: by stitching Parquet row groups when
 * that is valid (no deletes to apply, no sort order, every file with the same Parquet schema), else
 * by reading rows with deletes applied and writing them again (sorted when the table has a sort
 * order). Optionally keeps only rows matching a predicate (retention).
 */
final class GroupRewriter {
  /** How the executor may rewrite a group. */
  enum Mode {
    /** Stitch row groups when valid and the input row groups are not tiny; else re-encode. */
    AUTO,
    /** Stitch row groups whenever valid. */
    STITCH,
    /** Always decode and re-encode rows. */
    REENCODE
  }

  /** Below this average row-group size, stitching would carry tiny row groups into the output. */
  static final long MIN_STITCHED_ROW_GROUP = 4L << 20;

  private final Table table;
  private final long targetFileSize;
  private final Mode mode;

  GroupRewriter(Table table, long targetFileSize, Mode mode) {
    this.table = table;
    this.targetFileSize = targetFileSize;
    this.mode = mode;
  }

  /** The new data files holding exactly the group's live rows. */
  List<DataFile> rewrite(FileGroup group) {
    if (mode != Mode.REENCODE && !group.hasDeletes() && !table.sortOrder().isSorted()) {
      List<ParquetMetadata> footers = stitchableFooters(group);
      if (footers != null) {
        return stitch(group, footers);
      }
    }
    return reencode(group, record -> true);
  }

  /** Rewrites the group keeping only rows that {@code keep} accepts. */
  List<DataFile> rewriteKeeping(FileGroup group, Predicate<Record> keep) {
    return reencode(group, keep);
  }

  private List<ParquetMetadata> stitchableFooters(FileGroup group) {
    // every file has at least one row group: when the files average below the threshold, so do
    // their row groups, and reading a thousand footers to find that out is wasted round trips
    if (mode == Mode.AUTO
        && group.bytes() / Math.max(1, group.tasks().size()) < MIN_STITCHED_ROW_GROUP) {
      return null;
    }
    List<ParquetMetadata> footers = new ArrayList<>();
    MessageType schema = null;
    long rowGroups = 0;
    for (FileScanTask task : group.tasks()) {
      if (task.file().format() != FileFormat.PARQUET) {
        return null;
      }
      try (ParquetFileReader reader =
          ParquetFileReader.open(ParquetAdapters.input(table.io().newInputFile(task.file())))) {
        ParquetMetadata footer = reader.getFooter();
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        if (schema == null) {
          schema = fileSchema;
        } else if (!schema.equals(fileSchema)) {
          return null;
        }
        rowGroups += footer.getBlocks().size();
        footers.add(footer);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the footer of " + task.file().location(), e);
      }
    }
    if (mode == Mode.AUTO && rowGroups > 0 && group.bytes() / rowGroups < MIN_STITCHED_ROW_GROUP) {
      return null;
    }
    return footers;
  }

  private List<DataFile> stitch(FileGroup group, List<ParquetMetadata> footers) {
    PartitionSpec spec = table.specs().get(group.specId());
    MessageType schema = footers.get(0).getFileMetaData().getSchema();
    Map<String, String> keyValues =
        new HashMap<>(footers.get(0).getFileMetaData().getKeyValueMetaData());
    List<DataFile> written = new ArrayList<>();
    int index = 0;
    while (index < group.tasks().size()) {
      OutputFile out = newOutputFile(spec, group.partition());
      long bytes = 0;
      try {
        ParquetFileWriter writer =
            new ParquetFileWriter(
                ParquetAdapters.output(out),
                schema,
                ParquetFileWriter.Mode.CREATE,
                targetFileSize,
                0);
        writer.start();
        while (index < group.tasks().size() && (bytes == 0 || bytes < targetFileSize)) {
          DataFile file = group.tasks().get(index).file();
          writer.appendFile(ParquetAdapters.input(table.io().newInputFile(file)));
          bytes += file.fileSizeInBytes();
          index++;
        }
        writer.end(keyValues);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot stitch row groups into " + out.location(), e);
      }
      org.apache.iceberg.io.InputFile result = table.io().newInputFile(out.location());
      Metrics metrics = ParquetUtil.fileMetrics(result, MetricsConfig.forTable(table));
      written.add(
          DataFiles.builder(spec)
              .withPath(out.location())
              .withFormat(FileFormat.PARQUET)
              .withFileSizeInBytes(result.getLength())
              .withPartition(spec.isUnpartitioned() ? null : group.partition())
              .withMetrics(metrics)
              .build());
    }
    return written;
  }

  private List<DataFile> reencode(FileGroup group, Predicate<Record> keep) {
    Schema schema = table.schema();
    PartitionSpec spec = table.specs().get(group.specId());
    boolean sorted = table.sortOrder().isSorted();
    List<Record> buffer = new ArrayList<>();
    RollingWriter writer = new RollingWriter(spec, group.partition(), schema);
    Prefetcher files = new Prefetcher(table.io(), group.tasks());
    try {
      for (FileScanTask task : group.tasks()) {
        try (CloseableIterable<Record> rows = liveRows(table.io(), task, files.next(), schema)) {
          for (Record row : rows) {
            Record copy = project(schema, row);
            if (!keep.test(copy)) {
              continue;
            }
            if (sorted) {
              buffer.add(copy);
            } else {
              writer.write(copy);
            }
          }
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + task.file().location(), e);
        }
      }
      if (sorted) {
        Comparator<StructLike> order = SortOrderComparators.forSchema(schema, table.sortOrder());
        buffer.sort(order::compare);
        for (Record row : buffer) {
          writer.write(row);
        }
      }
      return writer.finish();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    } finally {
      files.close();
    }
  }

  /** The rows of one data file with every delete file of its task applied. */
  static CloseableIterable<Record> liveRows(FileIO io, FileScanTask task, Schema schema) {
    return liveRows(io, task, io.newInputFile(task.file()), schema);
  }

  private static CloseableIterable<Record> liveRows(
      FileIO io, FileScanTask task, org.apache.iceberg.io.InputFile data, Schema schema) {
    GenericDeleteFilter deletes = new GenericDeleteFilter(io, task, schema, schema);
    Schema required = deletes.requiredSchema();
    CloseableIterable<Record> rows =
        Parquet.read(data)
            .project(required)
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(required, fileSchema))
            .build();
    return deletes.filter(rows);
  }

  private static Record project(Schema schema, Record row) {
    GenericRecord copy = GenericRecord.create(schema);
    List<Types.NestedField> fields = schema.columns();
    for (int i = 0; i < fields.size(); i++) {
      copy.set(i, row.getField(fields.get(i).name()));
    }
    return copy;
  }

  private OutputFile newOutputFile(PartitionSpec spec, StructLike partition) {
    String name = "floe-compact-" + UUID.randomUUID() + ".parquet";
    String location =
        spec.isUnpartitioned()
            ? table.locationProvider().newDataLocation(name)
            : table.locationProvider().newDataLocation(spec, partition, name);
    return table.io().newOutputFile(location);
  }

  /** Writes rows into files of about the target size. */
  private final class RollingWriter {
    private final PartitionSpec spec;
    private final StructLike partition;
    private final Schema schema;
    private final List<DataFile> done = new ArrayList<>();
    private DataWriter<Record> current;
    private long rows;

    RollingWriter(PartitionSpec spec, StructLike partition, Schema schema) {
      this.spec = spec;
      this.partition = partition;
      this.schema = schema;
    }

    void write(Record row) {
      if (current == null) {
        open();
      }
      current.write(row);
      rows++;
      if (rows % 1000 == 0 && current.length() >= targetFileSize) {
        close();
      }
    }

    List<DataFile> finish() {
      if (current != null) {
        close();
      }
      return done;
    }

    void abort() {
      try {
        if (current != null) {
          current.close();
          done.add(current.toDataFile());
        }
      } catch (IOException | RuntimeException ignored) {
        // the written files are deleted below; a close failure changes nothing
      }
      done.forEach(file -> table.io().deleteFile(file.location()));
    }

    private void open() {
      try {
        current =
            Parquet.writeData(newOutputFile(spec, partition))
                .schema(schema)
                .createWriterFunc(GenericParquetWriter::create)
                .withSpec(spec)
                .withPartition(spec.isUnpartitioned() ? null : partition)
                .setAll(table.properties())
                .metricsConfig(MetricsConfig.forTable(table))
                .overwrite()
                .build();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void close() {
      try {
        current.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      done.add(current.toDataFile());
      current = null;
    }
  }
}
