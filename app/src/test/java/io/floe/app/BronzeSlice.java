package io.floe.app;

import static java.util.Objects.requireNonNull;

import io.floe.catalog.TableRef;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.job.SparkJobLauncher;
import io.floe.core.job.SparkJobResult;
import io.floe.core.job.SparkJobSpec;
import io.floe.stack.StackEndpoints;
import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.iceberg.Table;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.rest.RESTCatalog;

/**
 * The end-to-end slice through the whole stack: a Spark job appends a deterministic batch to a
 * partitioned bronze table through the REST catalog; pure Java reads that exact snapshot back;
 * Trino reads it through JDBC; the three must agree row for row.
 */
public final class BronzeSlice {
  public static final String TABLE_NAME = "slice_events";
  private static final String SPARK_CATALOG = "floe";

  private BronzeSlice() {}

  /** What each engine saw of one snapshot. */
  public record Result(
      TableRef table,
      long snapshotId,
      long sparkRows,
      List<String> javaRows,
      List<String> trinoRows,
      Duration sparkTime,
      Duration javaTime,
      Duration trinoTime) {
    public Result {
      requireNonNull(table, "table is null");
      javaRows = List.copyOf(javaRows);
      trinoRows = List.copyOf(trinoRows);
    }

    /** Whether Spark, pure Java and Trino agree on every row. */
    public boolean agree() {
      return javaRows.size() == sparkRows && javaRows.equals(trinoRows);
    }
  }

  /**
   * Appends {@code rows} rows as the next batch of {@code namespace.slice_events} and reads it
   * back.
   */
  public static Result run(
      StackEndpoints endpoints, SparkJobLauncher launcher, String namespace, long rows) {
    TableRef table = new TableRef(namespace, TABLE_NAME);
    long batch;
    try (RESTCatalog catalog = endpoints.catalogConnection().open(SPARK_CATALOG)) {
      batch =
          catalog.tableExists(table.toIdentifier())
              ? snapshotCount(catalog.loadTable(table.toIdentifier()))
              : 0;
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED, "cannot close the catalog client: " + e.getMessage(), e);
    }

    SparkJobResult job =
        launcher.run(
            new SparkJobSpec(
                "floe-ingest",
                "io.floe.ingest.BronzeSliceJob",
                List.of(
                    "--table",
                    table.toString(),
                    "--rows",
                    Long.toString(rows),
                    "--batch",
                    Long.toString(batch))),
            endpoints.sparkCatalogConf(SPARK_CATALOG));
    long snapshotId = job.longValue("snapshot");

    Instant javaStart = Instant.now();
    List<String> javaRows = readWithIceberg(endpoints, table, snapshotId);
    Duration javaTime = Duration.between(javaStart, Instant.now());

    Instant trinoStart = Instant.now();
    List<String> trinoRows = readWithTrino(endpoints, table, snapshotId);
    Duration trinoTime = Duration.between(trinoStart, Instant.now());

    return new Result(
        table,
        snapshotId,
        job.longValue("rows-total"),
        javaRows,
        trinoRows,
        job.elapsed(),
        javaTime,
        trinoTime);
  }

  private static long snapshotCount(Table table) {
    long count = 0;
    for (var ignored : table.snapshots()) {
      count++;
    }
    return count;
  }

  static List<String> readWithIceberg(StackEndpoints endpoints, TableRef ref, long snapshotId) {
    try (RESTCatalog catalog = endpoints.catalogConnection().open(SPARK_CATALOG)) {
      Table table = catalog.loadTable(ref.toIdentifier());
      List<String> rows = new ArrayList<>();
      try (CloseableIterable<Record> records =
          IcebergGenerics.read(table).useSnapshot(snapshotId).build()) {
        for (Record record : records) {
          rows.add(
              row(
                  (Long) record.getField("event_id"),
                  (String) record.getField("category"),
                  (BigDecimal) record.getField("amount"),
                  epochMicros((OffsetDateTime) record.getField("event_ts"))));
        }
      }
      Collections.sort(rows);
      return rows;
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED, "cannot read " + ref + " with Iceberg: " + e.getMessage(), e);
    }
  }

  static List<String> readWithTrino(StackEndpoints endpoints, TableRef ref, long snapshotId) {
    String sql =
        "SELECT event_id, category, amount, CAST(to_unixtime(event_ts) * 1000000 AS BIGINT) AS micros "
            + "FROM \"%s\".\"%s\".\"%s\" FOR VERSION AS OF %d"
                .formatted(endpoints.trinoCatalog(), ref.namespace(), ref.name(), snapshotId);
    try (Connection connection = endpoints.openTrino();
        Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      List<String> rows = new ArrayList<>();
      while (result.next()) {
        rows.add(
            row(
                result.getLong(1),
                result.getString(2),
                result.getBigDecimal(3),
                result.getLong(4)));
      }
      Collections.sort(rows);
      return rows;
    } catch (SQLException e) {
      throw new FloeException(
          ErrorCode.SERVICE_FAILED, "Trino cannot read " + ref + ": " + e.getMessage(), e);
    }
  }

  private static long epochMicros(OffsetDateTime time) {
    return time.toEpochSecond() * 1_000_000 + time.getNano() / 1000;
  }

  private static String row(long id, String category, BigDecimal amount, long micros) {
    return "%012d|%s|%s|%d"
        .formatted(id, category, amount == null ? "null" : amount.toPlainString(), micros);
  }
}
