package io.floe.examples;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import org.postgresql.PGConnection;

/**
 * Collects rows for one PostgreSQL table as CSV in a local spool file and loads them with {@code
 * COPY ... FROM STDIN (FORMAT csv)}, the fast bulk path, when closed. A connection runs one COPY at
 * a time, so spooling lets the generator fill several tables in one pass. Strings are always quoted
 * so an empty string stays distinct from NULL.
 */
final class CopyWriter implements AutoCloseable {
  private final Connection connection;
  private final String sql;
  private final Path spool;
  private final Writer out;
  private long rows;

  CopyWriter(Connection connection, String table, String columns) {
    this.connection = connection;
    this.sql = "COPY %s (%s) FROM STDIN (FORMAT csv)".formatted(table, columns);
    try {
      this.spool = Files.createTempFile("floe-copy-", ".csv");
      this.out =
          new BufferedWriter(Files.newBufferedWriter(spool, StandardCharsets.UTF_8), 1 << 16);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void row(Object... values) {
    try {
      for (int i = 0; i < values.length; i++) {
        if (i > 0) {
          out.write(',');
        }
        Object value = values[i];
        if (value == null) {
          continue;
        }
        if (value instanceof String text) {
          out.write('"');
          out.write(text.replace("\"", "\"\""));
          out.write('"');
        } else if (value instanceof BigDecimal decimal) {
          out.write(decimal.toPlainString());
        } else {
          out.write(value instanceof OffsetDateTime time ? time.toString() : value.toString());
        }
      }
      out.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    rows++;
  }

  long rows() {
    return rows;
  }

  @Override
  public void close() throws SQLException {
    try {
      out.close();
      try (Reader in = Files.newBufferedReader(spool, StandardCharsets.UTF_8)) {
        connection.unwrap(PGConnection.class).getCopyAPI().copyIn(sql, in, 1 << 16);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      try {
        Files.deleteIfExists(spool);
      } catch (IOException e) {
        // a temp file left behind is harmless
      }
    }
  }
}
