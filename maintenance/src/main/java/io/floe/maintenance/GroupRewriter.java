package io.floe.maintenance;

import io.floe.catalog.ParquetStreams;
import io.floe.catalog.RecordFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.SortOrderComparators;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.schema.MessageType;

/**
 * Rewrites one file group into files of about the target size. When nothing but merging is asked
 * (no deletes to apply, no sort order, every file Parquet with the same schema) it stitches the
 * inputs' row groups as they are if they are large enough, else copies their columns into full-size
 * row groups ({@link ColumnTranscoder}); otherwise it reads rows with deletes applied and writes
 * them again (sorted when the table has a sort order). Optionally keeps only rows matching a
 * predicate (retention).
 */
final class GroupRewriter {
  /** How the executor may rewrite a group. */
  enum Mode {
    /**
     * Stitch row groups when valid and the input row groups are not tiny; else merge them column by
     * column when valid; else re-encode.
     */
    AUTO,
    /** Stitch row groups whenever valid. */
    STITCH,
    /** Always decode and re-encode rows. */
    REENCODE
  }

  /**
   * File groups rewritten at once in this JVM, by every compaction and retention running together
   * (a maintenance pass works on several tables at once): each holds an output row group in memory,
   * so one per core, at most four.
   */
  static final int MAX_AT_ONCE =
      Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private static final Semaphore AT_ONCE = new Semaphore(MAX_AT_ONCE, true);
  private static final AtomicInteger RUNNING = new AtomicInteger();
  private static final AtomicInteger PEAK = new AtomicInteger();

  /** Below this average row-group size, stitching would carry tiny row groups into the output. */
  static final long MIN_STITCHED_ROW_GROUP = 4L << 20;

  private final Table table;
  private final long targetFileSize;
  private final Mode mode;
  private final PhaseTimes times;
  // stores new files with one direct PUT each where the table's FileIO allows it
  private final UnaryOperator<OutputFile> outputs;

  GroupRewriter(Table table, long targetFileSize, Mode mode) {
    this(table, targetFileSize, mode, new PhaseTimes());
  }

  GroupRewriter(Table table, long targetFileSize, Mode mode, PhaseTimes times) {
    this.table = table;
    this.targetFileSize = targetFileSize;
    this.mode = mode;
    this.times = times;
    this.outputs = DirectS3Output.wrapper(table.io());
  }

  /** The new data files holding exactly the group's live rows. */
  List<DataFile> rewrite(FileGroup group) {
    return oneOfAtMostMaxAtOnce(() -> rewriteNow(group));
  }

  /** Rewrites the group keeping only rows that {@code keep} accepts. */
  List<DataFile> rewriteKeeping(FileGroup group, Predicate<Record> keep) {
    return oneOfAtMostMaxAtOnce(() -> reencode(group, keep));
  }

  /** The most groups this JVM has rewritten at once so far. */
  static int peakAtOnce() {
    return PEAK.get();
  }

  private static List<DataFile> oneOfAtMostMaxAtOnce(Supplier<List<DataFile>> rewrite) {
    try {
      AT_ONCE.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted waiting to rewrite a file group", e);
    }
    try {
      PEAK.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
      return rewrite.get();
    } finally {
      RUNNING.decrementAndGet();
      AT_ONCE.release();
    }
  }

  private List<DataFile> rewriteNow(FileGroup group) {
    // a table with row lineage (format 3) needs each moved row's id and last-update sequence
    // number written into the new file, which only re-encoding rows does: files copied as they
    // are would give their rows new ids, inherited from the new file's first row id
    boolean plain =
        !group.hasDeletes()
            && !table.sortOrder().isSorted()
            && !TableUtil.supportsRowLineage(table)
            && outputFormat() == FileFormat.PARQUET
            && group.tasks().stream().allMatch(t -> t.file().format() == FileFormat.PARQUET);
    if (mode != Mode.REENCODE && plain) {
      long reading = PhaseTimes.start();
      List<ParquetMetadata> footers = stitchableFooters(group);
      times.stop(PhaseTimes.Phase.FOOTERS, reading);
      if (footers != null) {
        long stitching = PhaseTimes.start();
        List<DataFile> stitched = stitch(group, footers);
        times.stop(PhaseTimes.Phase.STITCH, stitching);
        return stitched;
      }
      if (mode == Mode.AUTO && ColumnTranscoder.supports(table)) {
        long transcoding = PhaseTimes.start();
        try {
          return transcode(group);
        } catch (ColumnTranscoder.CannotTranscode e) {
          // files written before a schema change, or pages the merge cannot carry: only decoding
          // rows can bring them together
        } finally {
          times.stop(PhaseTimes.Phase.TRANSCODE, transcoding);
        }
      }
    }
    return reencode(group, record -> true);
  }

  /** The footers of the group's files when stitching them is valid and worthwhile, else null. */
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
      try (ParquetFileReader reader = ParquetAdapters.open(table.io().newInputFile(task.file()))) {
        ParquetMetadata footer = reader.getFooter();
        MessageType fileSchema = footer.getFileMetaData().getSchema();
        if (!ParquetSchemaUtil.hasIds(fileSchema)) {
          // a stitched file keeps its inputs' columns: without field ids, its metrics and
          // readers would match them to fields by position; re-encoding writes them with ids
          return null;
        }
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
        // overwrite mode: see newOutputFile
        ParquetFileWriter writer =
            new ParquetFileWriter(
                ParquetStreams.output(out),
                schema,
                ParquetFileWriter.Mode.OVERWRITE,
                targetFileSize,
                0);
        writer.start();
        while (index < group.tasks().size() && (bytes == 0 || bytes < targetFileSize)) {
          DataFile file = group.tasks().get(index).file();
          // through the adapter: Parquet's own appendFile parses Hadoop's XML defaults per file
          try (ParquetFileReader reader = ParquetAdapters.open(table.io().newInputFile(file))) {
            reader.appendTo(writer);
          }
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

  /** Merges the group's small row groups into full ones column by column, without decoding rows. */
  private List<DataFile> transcode(FileGroup group) {
    PartitionSpec spec = table.specs().get(group.specId());
    ColumnTranscoder transcoder =
        new ColumnTranscoder(
            table,
            targetFileSize,
            spec,
            group.partition(),
            () -> newOutputFile(spec, group.partition()));
    try (Prefetcher files = new Prefetcher(table.io(), group.tasks())) {
      List<java.util.function.Supplier<org.apache.iceberg.io.InputFile>> inputs = new ArrayList<>();
      for (int i = 0; i < group.tasks().size(); i++) {
        inputs.add(
            () -> {
              long waiting = PhaseTimes.start();
              org.apache.iceberg.io.InputFile input = files.next();
              times.stop(PhaseTimes.Phase.FETCH_WAIT, waiting);
              return input;
            });
      }
      return transcoder.transcode(inputs, MetricsConfig.forTable(table));
    }
  }

  private List<DataFile> reencode(FileGroup group, Predicate<Record> keep) {
    // the Iceberg spec's rule for a row moved to another file unchanged: it keeps its row id and
    // the sequence number of its last update, written into the new file as columns
    Schema schema =
        TableUtil.supportsRowLineage(table)
            ? MetadataColumns.schemaWithRowLineage(table.schema())
            : table.schema();
    PartitionSpec spec = table.specs().get(group.specId());
    boolean sorted = table.sortOrder().isSorted();
    List<Record> buffer = new ArrayList<>();
    RollingWriter writer = new RollingWriter(spec, group.partition(), schema);
    Prefetcher files = new Prefetcher(table.io(), group.tasks());
    try {
      long encoding = PhaseTimes.start();
      for (FileScanTask task : group.tasks()) {
        long waiting = PhaseTimes.start();
        org.apache.iceberg.io.InputFile input = files.next();
        times.stop(PhaseTimes.Phase.FETCH_WAIT, waiting);
        try (CloseableIterable<Record> rows = RecordFiles.liveRows(table, task, input, schema)) {
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
      times.stop(PhaseTimes.Phase.REENCODE, encoding);
      return writer.finish();
    } catch (RuntimeException e) {
      writer.abort();
      throw e;
    } finally {
      files.close();
    }
  }

  private static Record project(Schema schema, Record row) {
    GenericRecord copy = GenericRecord.create(schema);
    List<Types.NestedField> fields = schema.columns();
    for (int i = 0; i < fields.size(); i++) {
      copy.set(i, row.getField(fields.get(i).name()));
    }
    return copy;
  }

  /**
   * A new data file of the group's partition, named by a random UUID. Its writers open it in
   * overwrite mode, as Iceberg's own writers open theirs: checking that a fresh name is free would
   * only cost a request (a HEAD on S3) per file.
   */
  private OutputFile newOutputFile(PartitionSpec spec, StructLike partition) {
    String name = outputFormat().addExtension("floe-compact-" + UUID.randomUUID());
    String location =
        spec.isUnpartitioned()
            ? table.locationProvider().newDataLocation(name)
            : table.locationProvider().newDataLocation(spec, partition, name);
    return outputs.apply(table.io().newOutputFile(location));
  }

  /** The format of the files compaction writes: the table's own, as Spark's rewrite writes. */
  private FileFormat outputFormat() {
    return RecordFiles.writeFormat(table);
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
      current =
          RecordFiles.dataWriter(
              table, schema, spec, partition, outputFormat(), newOutputFile(spec, partition));
    }

    private void close() {
      long closing = PhaseTimes.start();
      try {
        current.close();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } finally {
        times.stop(PhaseTimes.Phase.CLOSE_UPLOAD, closing);
      }
      done.add(current.toDataFile());
      current = null;
    }
  }
}
