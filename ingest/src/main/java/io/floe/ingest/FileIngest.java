package io.floe.ingest;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.apache.iceberg.Table;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The files under an object-store prefix into a bronze table and its quarantine table.
 *
 * <p>Each file is parsed in one task, line by line, with the declared schema; malformed lines go to
 * {@code <target>_quarantine} with the raw line and the reason. Each table gets one commit per run
 * whose snapshot summary lists the files it took ({@value BronzeTables#SOURCE_FILES}): a file the
 * data table already took is never read again, and the quarantine table skips files it already
 * took, so a run that dies between the two commits is completed, not duplicated, by the next one.
 * The quarantine commit comes first, so "the data table took it" means "done".
 */
final class FileIngest {
  private FileIngest() {}

  static Map<String, Object> run(
      SparkSession spark, IngestSpec spec, IngestSpec.Source source, ConsumedLog consumed)
      throws Exception {
    long begin = System.nanoTime();
    String location = source.required("location");
    RecordParser.Format format =
        RecordParser.Format.valueOf(source.required("format").toUpperCase(Locale.ROOT));
    String compression = source.optional("compression", "auto");
    // JSON lines have no header line; CSV and TSV do unless told otherwise
    boolean header =
        format != RecordParser.Format.JSONL
            && Boolean.parseBoolean(source.optional("header", "true"));
    List<ColumnSpec> columns = ColumnSpec.parseAll(source.required("columns"));
    StructType declared = ColumnSpec.struct(columns);
    String target = spec.table(source.target());
    String quarantineTarget = spec.table(source.target() + "_quarantine");

    Table data = BronzeTables.ensure(spark, target, BronzeTables.withMetadata(declared));
    Table quarantine = BronzeTables.ensure(spark, quarantineTarget, BronzeTables.QUARANTINE);
    // the kept snapshots' summaries go into the log, which holds what expired ones listed
    consumed.rememberFiles(target, data, BronzeTables.allLines(data, BronzeTables.SOURCE_FILES));
    consumed.rememberFiles(
        quarantineTarget, quarantine, BronzeTables.allLines(quarantine, BronzeTables.SOURCE_FILES));
    Set<String> taken = consumed.files(target, data);
    Set<String> quarantined = consumed.files(quarantineTarget, quarantine);

    List<String> files = list(data.io(), location);
    List<String> todo = files.stream().filter(f -> !taken.contains(f)).toList();
    Map<String, Object> summary = new LinkedHashMap<>();
    String prefix = source.target() + ".";
    summary.put(prefix + "files", (long) todo.size());
    summary.put(prefix + "skipped-files", (long) (files.size() - todo.size()));
    if (todo.isEmpty()) {
      summary.put(prefix + "rows", 0L);
      summary.put(prefix + "quarantined", 0L);
      summary.put(prefix + "millis", (System.nanoTime() - begin) / 1_000_000);
      return summary;
    }

    StructType parsedSchema =
        declared
            .add("_raw", DataTypes.StringType)
            .add("_reason", DataTypes.StringType)
            .add("_source", DataTypes.StringType)
            .add("_source_offset", DataTypes.LongType);
    Dataset<Row> parsed =
        spark
            .createDataset(todo, Encoders.STRING())
            .repartition(
                Math.max(1, Math.min(todo.size(), spark.sparkContext().defaultParallelism() * 2)))
            .flatMap(
                new LinesOfFile(data.io(), new RecordParser(columns, format), compression, header),
                Encoders.row(parsedSchema))
            .persist(StorageLevel.MEMORY_AND_DISK());
    try {
      List<String> forQuarantine = todo.stream().filter(f -> !quarantined.contains(f)).toList();
      Dataset<Row> bad =
          BronzeTables.addRunColumns(
                  parsed
                      .filter(functions.col("_reason").isNotNull())
                      .filter(functions.col("_source").isin(forQuarantine.toArray())),
                  spec)
              .select(
                  functions.col("_raw").as("raw"),
                  functions.col("_reason").as("reason"),
                  functions.col("_source"),
                  functions.col("_source_offset"),
                  functions.col("_ingest_run_id"),
                  functions.col("_ingested_at"));
      long badCount = bad.count();
      if (badCount > 0) {
        bad.writeTo(quarantineTarget)
            .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.RUN_ID, spec.runId())
            .option(
                BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.SOURCE_FILES,
                String.join("\n", forQuarantine))
            .append();
        consumed.rememberFiles(quarantineTarget, quarantine, forQuarantine);
      }
      Dataset<Row> good =
          BronzeTables.addRunColumns(parsed.filter(functions.col("_reason").isNull()), spec)
              .select(BronzeTables.columns(BronzeTables.withMetadata(declared)));
      long goodCount = good.count();
      if (goodCount > 0) {
        good.writeTo(target)
            .option(BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.RUN_ID, spec.runId())
            .option(
                BronzeTables.SNAPSHOT_PROPERTY + BronzeTables.SOURCE_FILES, String.join("\n", todo))
            .append();
      } else {
        // nothing valid, but the files are still taken: an empty commit records them
        BronzeTables.load(spark, target)
            .newAppend()
            .set(BronzeTables.RUN_ID, spec.runId())
            .set(BronzeTables.SOURCE_FILES, String.join("\n", todo))
            .commit();
      }
      consumed.rememberFiles(target, data, todo);
      // every line of the files, including ones quarantined by an earlier, interrupted run
      long allBad = parsed.filter(functions.col("_reason").isNotNull()).count();
      summary.put(prefix + "rows", goodCount);
      summary.put(prefix + "quarantined", allBad);
      summary.put(prefix + "quarantine-rows-written", badCount);
      summary.put(
          prefix + "snapshot", BronzeTables.load(spark, target).currentSnapshot().snapshotId());
    } finally {
      parsed.unpersist();
    }
    summary.put(prefix + "millis", (System.nanoTime() - begin) / 1_000_000);
    return summary;
  }

  /**
   * The data files under {@code location}, sorted; names starting with {@code _} or {@code .} are
   * not data.
   */
  static List<String> list(FileIO io, String location) {
    if (!(io instanceof SupportsPrefixOperations prefixes)) {
      throw new IllegalStateException("the catalog's FileIO cannot list " + location);
    }
    List<String> files = new ArrayList<>();
    for (FileInfo info : prefixes.listPrefix(location)) {
      String name = info.location().substring(info.location().lastIndexOf('/') + 1);
      if (!name.isEmpty() && !name.startsWith("_") && !name.startsWith(".")) {
        files.add(info.location());
      }
    }
    files.sort(null);
    return files;
  }

  /**
   * Reads one file lazily and yields one parsed row per line (after the header). A file that cannot
   * be read whole does not fail the run, which would hold back every other file and source behind
   * it until someone removed it: each line of a file whose header does not name the declared
   * columns goes to quarantine with that reason, and gzip data that is truncated or corrupt keeps
   * the lines before the break and adds one quarantine row (no raw line) saying where it broke.
   * Other read failures (the store unreachable) still fail the run, so the file is read again.
   */
  static final class LinesOfFile implements FlatMapFunction<String, Row>, Serializable {
    private final FileIO io;
    private final RecordParser parser;
    private final String compression;
    private final boolean header;

    LinesOfFile(FileIO io, RecordParser parser, String compression, boolean header) {
      this.io = io;
      this.parser = parser;
      this.compression = compression;
      this.header = header;
    }

    @Override
    public Iterator<Row> call(String file) {
      return new FileRows(file);
    }

    private boolean gzip(String file) {
      return compression.equals("gzip") || (compression.equals("auto") && file.endsWith(".gz"));
    }

    /** The rows of one file, one line ahead of the caller. */
    private final class FileRows implements Iterator<Row> {
      private final String file;
      private BufferedReader reader;
      private boolean finished;
      private long lineNumber;
      private String headerProblem;
      private Row next;

      FileRows(String file) {
        this.file = file;
        this.next = advance();
      }

      private Row advance() {
        if (finished) {
          return null;
        }
        try {
          if (reader == null) {
            InputStream raw = io.newInputFile(file).newStream();
            InputStream in;
            try {
              in = gzip(file) ? new GZIPInputStream(raw, 1 << 16) : raw;
            } catch (IOException e) {
              // no gzip header: the reader that would close the stream is never made
              raw.close();
              throw e;
            }
            reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
          }
          String line = readLine();
          if (line != null && header && lineNumber == 1) {
            if (!parser.isHeader(line)) {
              headerProblem = "the header '%s' does not name the declared columns".formatted(line);
            }
            line = readLine();
          }
          if (line == null) {
            finish();
            return null;
          }
          RecordParser.Parsed parsed =
              headerProblem != null
                  ? new RecordParser.Parsed(null, headerProblem)
                  : parser.parse(line);
          return toRow(parsed, line, file, lineNumber, parser.width());
        } catch (EOFException | ZipException e) {
          if (!gzip(file)) {
            throw unreadable(e);
          }
          // the store delivered the whole object (a dropped connection fails otherwise), and
          // its gzip data stops or breaks here: nothing after this point can be read
          finish();
          String reason =
              e instanceof EOFException
                  ? "the gzip data ends after line %d: the file is truncated".formatted(lineNumber)
                  : "the gzip data is corrupt after line %d: %s"
                      .formatted(lineNumber, e.getMessage());
          return toRow(
              new RecordParser.Parsed(null, reason), null, file, lineNumber + 1, parser.width());
        } catch (IOException e) {
          throw unreadable(e);
        }
      }

      private String readLine() throws IOException {
        String line = reader.readLine();
        if (line != null) {
          lineNumber++;
        }
        return line;
      }

      private UncheckedIOException unreadable(IOException e) {
        finish();
        return new UncheckedIOException("cannot read %s: %s".formatted(file, e.getMessage()), e);
      }

      private void finish() {
        finished = true;
        if (reader != null) {
          try {
            reader.close();
          } catch (IOException e) {
            // closing after the last line or a failure releases the connection only
          }
        }
      }

      @Override
      public boolean hasNext() {
        return next != null;
      }

      @Override
      public Row next() {
        if (next == null) {
          throw new NoSuchElementException();
        }
        Row row = next;
        next = advance();
        return row;
      }
    }
  }

  /** A row of the parsed schema: the declared columns, then raw, reason, source and offset. */
  static Row toRow(RecordParser.Parsed parsed, String raw, String source, long offset, int width) {
    Object[] values = new Object[width + 4];
    if (parsed.ok()) {
      System.arraycopy(parsed.values(), 0, values, 0, width);
    } else {
      values[width] = raw;
      values[width + 1] = parsed.reason();
    }
    values[width + 2] = source;
    values[width + 3] = offset;
    return RowFactory.create(values);
  }
}
