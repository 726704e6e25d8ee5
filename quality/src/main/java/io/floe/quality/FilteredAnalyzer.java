package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;

/**
 * An analyzer's metric over only the rows that meet a check's {@code where}. A file whose
 * statistics prove that none of its rows meets it contributes nothing and is not read; one whose
 * statistics prove that all of them do is answered as the analyzer answers the whole file.
 */
final class FilteredAnalyzer implements Analyzer {
  private final Analyzer measured;
  private final RowFilter where;
  private final List<String> columns;

  FilteredAnalyzer(Analyzer measured, RowFilter where) {
    this.measured = measured;
    this.where = where;
    List<String> read = new ArrayList<>(measured.columns());
    where.columns().stream().filter(c -> !read.contains(c)).forEach(read::add);
    this.columns = List.copyOf(read);
  }

  /** The key of {@code measured} over the rows {@code where} holds for. */
  static String key(String measured, RowFilter where) {
    return measured + " where " + where.text();
  }

  @Override
  public String key() {
    return key(measured.key(), where);
  }

  /** The measured columns, then those of the condition. */
  @Override
  public List<String> columns() {
    return columns;
  }

  @Override
  public State empty() {
    return measured.empty();
  }

  @Override
  public Optional<State> fromMetadata(DataFile file, FileStatistics statistics) {
    if (where.matchesNone(file)) {
      return Optional.of(measured.empty());
    }
    return where.matchesAll(file) ? measured.fromMetadata(file, statistics) : Optional.empty();
  }

  @Override
  public Optional<State> liveFromMetadata(DataFile file, long deletedRows) {
    if (where.matchesNone(file)) {
      return Optional.of(measured.empty());
    }
    // the statistics hold the deleted rows' values too: all rows meeting it, so do the live ones
    return where.matchesAll(file) ? measured.liveFromMetadata(file, deletedRows) : Optional.empty();
  }

  @Override
  public Optional<State> fromDictionaries(DataFile file, ColumnDictionaries dictionaries)
      throws IOException {
    return where.matchesAll(file)
        ? measured.fromDictionaries(file, dictionaries)
        : Optional.empty();
  }

  @Override
  public Accumulator accumulator(Schema projection) {
    return filtered(projection, measured.accumulator(projection));
  }

  @Override
  public Accumulator accumulator(Schema projection, long expectedRows) {
    return filtered(projection, measured.accumulator(projection, expectedRows));
  }

  private Accumulator filtered(Schema projection, Accumulator rows) {
    Predicate<StructLike> meets = where.on(projection);
    return new Accumulator() {
      @Override
      public void add(StructLike row, StructLike raw) {
        if (meets.test(row)) {
          rows.add(row, raw);
        }
      }

      @Override
      public State result() {
        return rows.result();
      }
    };
  }

  @Override
  public boolean storable() {
    return measured.storable();
  }

  @Override
  public State read(DataInputStream in) throws IOException {
    return measured.read(in);
  }
}
