package io.floe.quality;

import java.io.DataInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.Schema;

/**
 * Computes one metric's {@link State} per data file: from the file's Iceberg statistics when they
 * answer exactly, else by reading rows. Analyzers with equal {@link #key()} compute the same state,
 * so checks share them and stored states are found by key.
 */
interface Analyzer {
  /** Identifies what is computed, including every parameter, e.g. {@code nulls(order_id)}. */
  String key();

  /** The top-level columns a scan must read. */
  List<String> columns();

  State empty();

  /** The file's state from its statistics alone, only when they are present and exact. */
  default Optional<State> fromMetadata(DataFile file, FileStatistics statistics) {
    return Optional.empty();
  }

  /**
   * The state of the file's live rows from its statistics and the count of rows its deletion vector
   * deletes, only when those answer exactly. A deletion vector names each deleted position once, so
   * the count is exact; the deleted rows' values are still in the file's statistics.
   */
  default Optional<State> liveFromMetadata(DataFile file, long deletedRows) {
    return Optional.empty();
  }

  /**
   * The file's state from the distinct values its column dictionaries hold, without decoding a row,
   * only when they answer exactly; asked before the file's rows are read.
   */
  default Optional<State> fromDictionaries(DataFile file, ColumnDictionaries dictionaries)
      throws IOException {
    return Optional.empty();
  }

  /** A fresh accumulator for the rows of one file read with {@code projection}. */
  Accumulator accumulator(Schema projection);

  /**
   * A fresh accumulator for a file of about {@code expectedRows} rows (from its statistics), so
   * analyzers that keep a value per row can size their buffer once.
   */
  default Accumulator accumulator(Schema projection, long expectedRows) {
    return accumulator(projection);
  }

  /** Whether states can be stored for incremental runs. */
  default boolean storable() {
    return true;
  }

  /** Reads a state written by {@link State#write}. */
  State read(DataInputStream in) throws IOException;

  /** Folds rows of one file into a state. Not thread-safe: one per file. */
  interface Accumulator {
    /**
     * @param row the row in Iceberg's internal representation (timestamps as micros, dates as days)
     * @param raw the same row as read, for readable samples
     */
    void add(org.apache.iceberg.StructLike row, org.apache.iceberg.StructLike raw);

    State result();
  }
}
