package io.floe.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

/** How one landed file turns into rows, over an in-memory file system (no Spark, no store). */
class LinesOfFileTest {
  private static final List<ColumnSpec> COLUMNS =
      ColumnSpec.parseAll("id long not null;name string");
  private static final int RAW = 2;
  private static final int REASON = 3;
  private static final int OFFSET = 5;

  private final InMemoryFileIO io = new InMemoryFileIO();

  @Test
  void aTruncatedGzipFileKeepsTheLinesBeforeTheBreakAndSaysWhereItBroke() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= 20_000; i++) {
      text.append("{\"id\": ").append(i).append(", \"name\": \"n").append(i).append("\"}\n");
    }
    byte[] whole = gzip(text.toString());
    io.addFile("mem://landing/cut.jsonl.gz", Arrays.copyOf(whole, whole.length / 2));

    List<Row> rows = read("mem://landing/cut.jsonl.gz", RecordParser.Format.JSONL, false);

    Row last = rows.get(rows.size() - 1);
    int kept = rows.size() - 1;
    assertThat(kept).isBetween(1, 19_999);
    for (int i = 0; i < kept; i++) {
      assertThat(rows.get(i).isNullAt(REASON)).isTrue();
      assertThat(rows.get(i).getLong(0)).isEqualTo(i + 1L);
      assertThat(rows.get(i).getLong(OFFSET)).isEqualTo(i + 1L);
    }
    assertThat(last.getString(REASON))
        .isEqualTo("the gzip data ends after line %d: the file is truncated".formatted(kept));
    assertThat(last.isNullAt(RAW)).isTrue();
    assertThat(last.getLong(OFFSET)).isEqualTo(kept + 1L);
  }

  @Test
  void aGzipNameOnOtherDataIsOneQuarantineRow() {
    io.addFile("mem://landing/plain.jsonl.gz", "{\"id\": 1}\n".getBytes(StandardCharsets.UTF_8));

    List<Row> rows = read("mem://landing/plain.jsonl.gz", RecordParser.Format.JSONL, false);

    assertThat(rows).singleElement();
    assertThat(rows.get(0).getString(REASON))
        .isEqualTo("the gzip data is corrupt after line 0: Not in GZIP format");
  }

  @Test
  void everyLineUnderAHeaderThatDoesNotNameTheColumnsIsQuarantinedWithItsRawText() {
    io.addFile(
        "mem://landing/renamed.csv", "key,label\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));
    io.addFile("mem://landing/ok.csv", "id,name\n1,a\n2,b\n".getBytes(StandardCharsets.UTF_8));

    List<Row> renamed = read("mem://landing/renamed.csv", RecordParser.Format.CSV, true);
    assertThat(renamed).hasSize(2);
    assertThat(renamed)
        .allSatisfy(
            row ->
                assertThat(row.getString(REASON))
                    .isEqualTo("the header 'key,label' does not name the declared columns"));
    assertThat(renamed).extracting(row -> row.getString(RAW)).containsExactly("1,a", "2,b");
    assertThat(renamed).extracting(row -> row.getLong(OFFSET)).containsExactly(2L, 3L);

    List<Row> ok = read("mem://landing/ok.csv", RecordParser.Format.CSV, true);
    assertThat(ok).extracting(row -> row.getString(1)).containsExactly("a", "b");
    assertThat(ok).allSatisfy(row -> assertThat(row.isNullAt(REASON)).isTrue());
  }

  private List<Row> read(String file, RecordParser.Format format, boolean header) {
    FileIngest.LinesOfFile lines =
        new FileIngest.LinesOfFile(io, new RecordParser(COLUMNS, format), "auto", header);
    List<Row> rows = new ArrayList<>();
    lines.call(file).forEachRemaining(rows::add);
    return rows;
  }

  private static byte[] gzip(String text) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }
}
