package io.floe.catalog;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.HasTableOperations;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.ManifestWriter;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.Metrics;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableMetadata;
import org.apache.iceberg.TableOperations;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.TableScan;
import org.apache.iceberg.avro.Avro;
import org.apache.iceberg.data.DeleteLoader;
import org.apache.iceberg.data.GenericDeleteFilter;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.IdentityPartitionConverters;
import org.apache.iceberg.data.InternalRecordWrapper;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.avro.PlannedDataReader;
import org.apache.iceberg.data.orc.GenericOrcReader;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.encryption.PlaintextEncryptionManager;
import org.apache.iceberg.exceptions.CleanableFailure;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.inmemory.InMemoryOutputFile;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.orc.ORC;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.parquet.ParquetSchemaUtil;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.TypeUtil;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ThreadPools;

/**
 * Generic records in and out of a table's data files, in any of Iceberg's file formats (Parquet,
 * ORC, Avro): the rows Floe appends to its log tables, the rows compaction and retention rewrite,
 * and the rows of any data file Floe reads.
 *
 * <p>Needs {@code iceberg-data}, {@code iceberg-parquet} and {@code iceberg-orc}, which this module
 * only declares as optional: a module that reads or writes rows brings them itself.
 */
public final class RecordFiles {
  private RecordFiles() {}

  /**
   * Writes {@code rows} as data files of {@code table} in {@code format}, one file per partition
   * the rows fall in, in the order each partition first appears; uncommitted.
   */
  public static List<DataFile> write(Table table, List<Record> rows, FileFormat format) {
    List<DataFile> files = new ArrayList<>();
    partitions(table, rows)
        .forEach(
            (partition, partitionRows) ->
                files.add(
                    write(table, partition, partitionRows, format, table.io()::newOutputFile)));
    return files;
  }

  /**
   * Appends {@code rows} to one of Floe's log tables ({@link LogTables}) in one commit, as {@link
   * Commits#appendToLog(Table, List)} does with the files {@link #write} stores, with fewer store
   * round trips on the commit's path. The data files ({@link LogTables#APPEND_FORMAT}, one per
   * partition) and the manifest listing them are written in memory first: the manifest needs each
   * file's size, and so could otherwise be written only once the files are stored. Then all of them
   * are stored at once while the commit writes its manifest list, and the catalog commit waits for
   * them; the commit adds the manifest as it is (its entries inherit the commit's snapshot id),
   * where an append of data files would write it during the commit.
   *
   * <p>A commit that fails deletes the files it stored, once every store has finished; one whose
   * outcome is unknown keeps them, as the table may reference them. Tables this does not apply to
   * (format version 1, encrypted, not on Iceberg's table operations) are appended to as files
   * {@link #write} stored.
   */
  public static void appendToLog(Table table, List<Record> rows) {
    TableOperations operations =
        table instanceof HasTableOperations loaded ? loaded.operations() : null;
    TableMetadata metadata = operations != null ? operations.current() : null;
    if (metadata == null
        || metadata.formatVersion() < 2
        || !(table.encryption() instanceof PlaintextEncryptionManager)) {
      Commits.appendToLog(table, write(table, rows, LogTables.APPEND_FORMAT));
      return;
    }
    Map<String, InMemoryOutputFile> files = new LinkedHashMap<>();
    Function<String, OutputFile> inMemory =
        location -> files.computeIfAbsent(location, InMemoryOutputFile::new);
    List<DataFile> dataFiles = new ArrayList<>();
    partitions(table, rows)
        .forEach(
            (partition, partitionRows) ->
                dataFiles.add(
                    write(table, partition, partitionRows, LogTables.APPEND_FORMAT, inMemory)));
    String manifestLocation =
        operations.metadataFileLocation(
            FileFormat.AVRO.addExtension("floe-log-" + UUID.randomUUID()));
    ManifestWriter<DataFile> manifest =
        ManifestFiles.write(
            metadata.formatVersion(),
            metadata.spec(),
            inMemory.apply(manifestLocation),
            null,
            Map.of(
                TableProperties.AVRO_COMPRESSION,
                metadata.property(
                    TableProperties.MANIFEST_COMPRESSION,
                    TableProperties.MANIFEST_COMPRESSION_DEFAULT)));
    try (ManifestWriter<DataFile> closing = manifest) {
      dataFiles.forEach(closing::add);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the manifest " + manifestLocation, e);
    }
    CompletableFuture<Void> storing = store(table.io(), files);
    try {
      Commits.appendToLog(
          table,
          manifest.toManifestFile(),
          dataFiles.stream().mapToLong(DataFile::fileSizeInBytes).sum(),
          () -> awaitStored(storing));
    } catch (CommitStateUnknownException unknown) {
      throw unknown;
    } catch (RuntimeException failed) {
      // a store still running would land after its file was deleted
      storing.handle((stored, error) -> null).join();
      for (String location : files.keySet()) {
        try {
          table.io().deleteFile(location);
        } catch (RuntimeException e) {
          failed.addSuppressed(e);
        }
      }
      throw failed;
    }
  }

  /** Starts storing the files written in memory, all at once. */
  private static CompletableFuture<Void> store(FileIO io, Map<String, InMemoryOutputFile> files) {
    List<CompletableFuture<Void>> stores = new ArrayList<>();
    files.forEach(
        (location, file) ->
            stores.add(
                CompletableFuture.runAsync(
                    () -> store(io, location, file.toByteArray()), ThreadPools.getWorkerPool())));
    return CompletableFuture.allOf(stores.toArray(CompletableFuture[]::new));
  }

  /**
   * Waits for the stores; a failed one fails the commit attempt waiting for them, and Iceberg then
   * deletes the manifest list that attempt wrote ({@link CleanableFailure}).
   */
  private static void awaitStored(CompletableFuture<Void> storing) {
    try {
      storing.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw new NotStored(e.getCause());
    }
  }

  /** A file of a log append that could not be stored; the commit waiting for it fails. */
  static final class NotStored extends RuntimeException implements CleanableFailure {
    NotStored(Throwable cause) {
      super(cause.getMessage(), cause);
    }
  }

  private static void store(FileIO io, String location, byte[] bytes) {
    try (PositionOutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + location, e);
    }
  }

  private static Map<PartitionKey, List<Record>> partitions(Table table, List<Record> rows) {
    if (rows.isEmpty()) {
      throw new IllegalArgumentException("no rows to write");
    }
    InternalRecordWrapper wrapper = new InternalRecordWrapper(table.schema().asStruct());
    PartitionKey key = new PartitionKey(table.spec(), table.schema());
    Map<PartitionKey, List<Record>> partitions = new LinkedHashMap<>();
    for (Record row : rows) {
      key.partition(wrapper.wrap(row));
      partitions.computeIfAbsent(key.copy(), k -> new ArrayList<>()).add(row);
    }
    return partitions;
  }

  private static DataFile write(
      Table table,
      PartitionKey key,
      List<Record> rows,
      FileFormat format,
      Function<String, OutputFile> files) {
    String name = "floe-" + UUID.randomUUID() + "." + format.name().toLowerCase(Locale.ROOT);
    String location =
        table.spec().isUnpartitioned()
            ? table.locationProvider().newDataLocation(name)
            : table.locationProvider().newDataLocation(table.spec(), key, name);
    PartitionKey partition = table.spec().isUnpartitioned() ? null : key;
    DataWriter<Record> writer;
    try {
      writer = writer(table, files.apply(location), partition, format);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (DataWriter<Record> closing = writer) {
      for (Record row : rows) {
        closing.write(row);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + location, e);
    }
    DataFile written = writer.toDataFile();
    if (format != FileFormat.AVRO) {
      return written;
    }
    return DataFiles.builder(table.spec())
        .copy(written)
        .withMetrics(fixedWidthMetrics(table.schema(), rows))
        .build();
  }

  /**
   * The counts and bounds of the fixed-width top-level columns (booleans, integers, dates, times,
   * microsecond timestamps) of {@code rows}, which Iceberg's Avro writer does not collect: readers
   * of a log table prune its files by them, as anomaly checks read the metric history's newest
   * evaluations first. Strings and floating-point columns get none; their bounds would need
   * truncation or NaN counts.
   */
  static Metrics fixedWidthMetrics(Schema schema, List<Record> rows) {
    Map<Integer, Long> values = new HashMap<>();
    Map<Integer, Long> nulls = new HashMap<>();
    Map<Integer, ByteBuffer> lower = new HashMap<>();
    Map<Integer, ByteBuffer> upper = new HashMap<>();
    InternalRecordWrapper internal = new InternalRecordWrapper(schema.asStruct());
    List<Types.NestedField> columns = schema.columns();
    for (int position = 0; position < columns.size(); position++) {
      Types.NestedField column = columns.get(position);
      Type type = column.type();
      boolean fixedWidth =
          switch (type.typeId()) {
            case BOOLEAN, INTEGER, LONG, DATE, TIME, TIMESTAMP -> true;
            default -> false;
          };
      if (!fixedWidth) {
        continue;
      }
      Comparator<Object> order = Comparators.forType(type.asPrimitiveType());
      Object min = null;
      Object max = null;
      long nullCount = 0;
      for (Record row : rows) {
        Object value = internal.wrap(row).get(position, Object.class);
        if (value == null) {
          nullCount++;
        } else {
          min = min == null || order.compare(value, min) < 0 ? value : min;
          max = max == null || order.compare(value, max) > 0 ? value : max;
        }
      }
      values.put(column.fieldId(), (long) rows.size());
      nulls.put(column.fieldId(), nullCount);
      if (min != null) {
        lower.put(column.fieldId(), Conversions.toByteBuffer(type, min));
        upper.put(column.fieldId(), Conversions.toByteBuffer(type, max));
      }
    }
    return new Metrics((long) rows.size(), null, values, nulls, null, lower, upper);
  }

  private static DataWriter<Record> writer(
      Table table, OutputFile out, PartitionKey partition, FileFormat format) throws IOException {
    if (format == FileFormat.AVRO) {
      return Avro.writeData(out)
          .schema(table.schema())
          .createWriterFunc(org.apache.iceberg.data.avro.DataWriter::create)
          .withSpec(table.spec())
          .withPartition(partition)
          // a few rows per file: compressing them costs more than it saves
          .set(TableProperties.AVRO_COMPRESSION, "uncompressed")
          .overwrite()
          .build();
    }
    return dataWriter(table, table.schema(), table.spec(), partition, format, out);
  }

  /** The format {@code table}'s writers write: its {@value TableProperties#DEFAULT_FILE_FORMAT}. */
  public static FileFormat writeFormat(Table table) {
    return FileFormat.fromString(
        table
            .properties()
            .getOrDefault(
                TableProperties.DEFAULT_FILE_FORMAT, TableProperties.DEFAULT_FILE_FORMAT_DEFAULT));
  }

  /**
   * A writer of data files of {@code table} in {@code format} (Parquet, ORC or Avro) holding rows
   * of {@code schema}, as Iceberg's own writers write them: with the table's write properties
   * (codec, row group or stripe size), metrics settings and sort order, overwriting whatever is at
   * {@code out}.
   */
  public static DataWriter<Record> dataWriter(
      Table table,
      Schema schema,
      PartitionSpec spec,
      StructLike partition,
      FileFormat format,
      OutputFile out) {
    return new GenericFileWriterFactory.Builder(table)
        .dataSchema(schema)
        .dataFileFormat(format)
        .build()
        .newDataWriter(
            EncryptedFiles.plainAsEncryptedOutput(out),
            spec,
            spec.isUnpartitioned() ? null : partition);
  }

  /**
   * The rows of {@code file}, a data file of {@code table} whose content is {@code input},
   * projected onto {@code projection} (which may hold Iceberg's row-position metadata column), read
   * as the Iceberg spec says a reader must:
   *
   * <ul>
   *   <li>columns are found by field id; in a file written without ids (one a migration or Spark's
   *       {@code add_files} brought in) by name, through the table's name mapping ({@value
   *       TableProperties#DEFAULT_NAME_MAPPING});
   *   <li>an identity-partitioned column takes the value in the file's partition tuple, which a
   *       migrated file may not even hold.
   * </ul>
   *
   * With {@code reuse}, each row object is reused for the next row: the caller must copy what it
   * keeps.
   *
   * @throws FloeException {@link ErrorCode#UNREADABLE_DATA_FILE}, as the rows are read, for a
   *     Parquet file whose columns have no field ids and none of whose columns the table's name
   *     mapping names: Iceberg's own readers would match its columns to fields by position, which
   *     reads one column's values as another's
   * @throws UnsupportedOperationException for a format other than Parquet, ORC and Avro
   */
  public static CloseableIterable<Record> read(
      Table table, DataFile file, InputFile input, Schema projection, boolean reuse) {
    return read(
        input, file.format(), projection, reuse, nameMapping(table), constants(table, file));
  }

  /**
   * The live rows of a scan task's data file, stored at {@code data}: {@link #read(Table, DataFile,
   * InputFile, Schema, boolean)} with every delete file of the task applied. The rows hold {@code
   * projection}'s columns and any the deletes need.
   */
  public static CloseableIterable<Record> liveRows(
      Table table, FileScanTask task, InputFile data, Schema projection) {
    return liveRows(table, task, data, projection, null);
  }

  /**
   * Like {@link #liveRows(Table, FileScanTask, InputFile, Schema)}, its delete files loaded by
   * {@code loader} (Iceberg's own, a new one for each file, when null), which may keep them for
   * other reads (see {@link ReadOnceDeleteLoader}).
   */
  public static CloseableIterable<Record> liveRows(
      Table table, FileScanTask task, InputFile data, Schema projection, DeleteLoader loader) {
    GenericDeleteFilter deletes =
        new GenericDeleteFilter(table.io(), task, table.schema(), projection) {
          @Override
          protected DeleteLoader newDeleteLoader() {
            return loader != null ? loader : super.newDeleteLoader();
          }
        };
    return deletes.filter(read(table, task.file(), data, deletes.requiredSchema(), false));
  }

  /** {@link #liveRows(Table, FileScanTask, InputFile, Schema)} of the file where it is stored. */
  public static CloseableIterable<Record> liveRows(
      Table table, FileScanTask task, Schema projection) {
    return liveRows(table, task, table.io().newInputFile(task.file()), projection);
  }

  /**
   * The live rows of a scan task, of {@code projection} and, where deletes apply, of the columns
   * they need too. Rows of a file without deletes are one reused record: copy what is kept.
   */
  public static CloseableIterable<Record> taskRows(
      Table table, FileScanTask task, Schema projection) {
    return task.deletes().isEmpty()
        ? read(table, task.file(), table.io().newInputFile(task.file()), projection, true)
        : liveRows(table, task, projection);
  }

  /**
   * Every live row of a snapshot, of {@code columns} (and any the deletes need), as Iceberg's
   * generic reader returns them, but with each file read as {@link #read(Table, DataFile,
   * InputFile, Schema, boolean)} reads it.
   */
  public static CloseableIterable<Record> snapshotRows(
      Table table, long snapshotId, Collection<String> columns) {
    TableScan scan = table.newScan().useSnapshot(snapshotId).select(columns);
    Schema projection = scan.schema();
    CloseableIterable<FileScanTask> tasks = scan.planFiles();
    return CloseableIterable.combine(
        CloseableIterable.concat(
            CloseableIterable.transform(tasks, task -> liveRows(table, task, projection))),
        tasks);
  }

  /**
   * {@link #read(Table, DataFile, InputFile, Schema, boolean)} for a file outside any table:
   * columns by field id, or by {@code mapping} (may be null) in a file written without ids, and the
   * values of {@code constants} (field id to value) in place of the file's.
   */
  public static CloseableIterable<Record> read(
      InputFile input,
      FileFormat format,
      Schema projection,
      boolean reuse,
      NameMapping mapping,
      Map<Integer, ?> constants) {
    switch (format) {
      case PARQUET:
        Parquet.ReadBuilder parquet =
            Parquet.read(ParquetStreams.withoutHadoopConfiguration(input))
                .project(projection)
                // never null: without a mapping Iceberg would number the columns of a file
                // without ids by position, and the reader below could not tell
                .withNameMapping(mapping != null ? mapping : NameMapping.empty())
                .createReaderFunc(
                    fileSchema -> {
                      if (!ParquetSchemaUtil.hasIds(fileSchema)) {
                        throw withoutFieldIds(input, mapping);
                      }
                      return GenericParquetReaders.buildReader(projection, fileSchema, constants);
                    });
        return (reuse ? parquet.reuseContainers() : parquet).build();
      case ORC:
        // ORC finds the columns of a file without ids by the mapping, else by the current names.
        // The reader fills the constants and row positions itself, so the file is not asked for
        // them; a row's lineage it takes from the file where the file holds it (a moved row's),
        // else from the constants
        Set<Integer> filled = new HashSet<>(MetadataColumns.metadataFieldIds());
        filled.addAll(constants.keySet());
        filled.remove(MetadataColumns.ROW_ID.fieldId());
        filled.remove(MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.fieldId());
        Schema fromFile = TypeUtil.selectNot(projection, filled);
        return ORC.read(input)
            .project(fromFile)
            .withNameMapping(mapping)
            .createReaderFunc(
                fileSchema -> GenericOrcReader.buildReader(projection, fileSchema, constants))
            .build();
      case AVRO:
        // Avro finds the columns of a file without ids by the mapping, else by the current names
        return Avro.read(input)
            .project(projection)
            .withNameMapping(mapping)
            .createResolvingReader(schema -> PlannedDataReader.create(schema, constants))
            .reuseContainers(reuse)
            .build();
      default:
        throw new UnsupportedOperationException(
            "%s is a %s data file; Floe reads Parquet, ORC and Avro data files"
                .formatted(input.location(), format));
    }
  }

  private static FloeException withoutFieldIds(InputFile input, NameMapping mapping) {
    return new FloeException(
        ErrorCode.UNREADABLE_DATA_FILE,
        "%s has no Iceberg field ids, and %s; give the table a name mapping that names its columns"
                .formatted(
                    input.location(),
                    mapping == null
                        ? "its table has no name mapping ("
                            + TableProperties.DEFAULT_NAME_MAPPING
                            + ") to find them by name"
                        : "its table's name mapping names none of its columns")
            + " (Spark's add_files and migrate procedures set one), or rewrite the file with ids");
  }

  /**
   * The table's name mapping, or null when it has none. Every file read asks for it, and parsing
   * one takes 50-130 us (a thousand-file scan of a migrated table would spend up to a tenth of its
   * time on it), so each thread keeps the last one it parsed and reuses it while the table's JSON
   * is the same (per thread: a mapping builds its indexes lazily, unsynchronized).
   */
  public static NameMapping nameMapping(Table table) {
    String json = table.properties().get(TableProperties.DEFAULT_NAME_MAPPING);
    if (json == null) {
      return null;
    }
    ParsedMapping last = LAST_MAPPING.get();
    if (last == null || !last.json().equals(json)) {
      last = new ParsedMapping(json, NameMappingParser.fromJson(json));
      LAST_MAPPING.set(last);
    }
    return last.mapping();
  }

  private record ParsedMapping(String json, NameMapping mapping) {}

  private static final ThreadLocal<ParsedMapping> LAST_MAPPING = new ThreadLocal<>();

  /** {@link #constants(PartitionSpec, DataFile)} of a file of {@code table}. */
  public static Map<Integer, ?> constants(Table table, DataFile file) {
    return constants(table.specs().get(file.specId()), file);
  }

  /**
   * Field id to value of what a reader takes from a file's metadata: the identity-partitioned
   * columns from its partition tuple, and for row lineage (format 3) the first row id, from which a
   * row without its own {@code _row_id} gets its position's, and the file's sequence number, the
   * {@code _last_updated_sequence_number} of a row without its own.
   */
  private static Map<Integer, ?> constants(PartitionSpec spec, DataFile file) {
    // a partition value may be null, which Map.of refuses
    Map<Integer, Object> constants = new HashMap<>();
    if (file.firstRowId() != null) {
      constants.put(MetadataColumns.ROW_ID.fieldId(), file.firstRowId());
    }
    if (file.dataSequenceNumber() != null) {
      constants.put(
          MetadataColumns.LAST_UPDATED_SEQUENCE_NUMBER.fieldId(), file.dataSequenceNumber());
    }
    StructLike partition = file.partition();
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      PartitionField field = fields.get(i);
      if (field.transform().isIdentity()) {
        constants.put(
            field.sourceId(),
            IdentityPartitionConverters.convertConstant(
                spec.partitionType().fields().get(i).type(), partition.get(i, Object.class)));
      }
    }
    return constants;
  }
}
