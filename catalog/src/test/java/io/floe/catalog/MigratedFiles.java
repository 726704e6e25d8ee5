package io.floe.catalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.MetricsConfig;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.mapping.MappingUtil;
import org.apache.iceberg.mapping.NameMappingParser;
import org.apache.iceberg.parquet.ParquetUtil;
import org.apache.iceberg.types.Types;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/**
 * Data files as a migration brings them into an Iceberg table (Spark's {@code migrate}, {@code
 * snapshot} and {@code add_files}): Parquet written by another engine, so without Iceberg field
 * ids, with its columns in its own order, and without the partition column, which lives in the
 * directory path. Iceberg readers must find the columns through the table's name mapping and take
 * the partition column from the partition tuple. Shared with other modules' tests through this
 * module's test jar.
 *
 * <p>Row {@code i} holds {@code order_id = i}, {@code buyer_id = 7,000,000 + i}, {@code quantity =
 * 1 + i % 5}, {@code status} one of {@link #STATUSES}, and its file's {@code region}: read by
 * position instead of by name, the file's columns land in the wrong fields.
 */
public final class MigratedFiles {
  public static final Schema SCHEMA =
      new Schema(
          Types.NestedField.required(1, "order_id", Types.LongType.get()),
          Types.NestedField.optional(2, "buyer_id", Types.LongType.get()),
          Types.NestedField.optional(3, "quantity", Types.LongType.get()),
          Types.NestedField.optional(4, "status", Types.StringType.get()),
          Types.NestedField.optional(5, "region", Types.StringType.get()));

  public static final PartitionSpec SPEC =
      PartitionSpec.builderFor(SCHEMA).identity("region").build();

  public static final List<String> STATUSES = List.of("placed", "paid", "shipped");

  /** The columns of a migrated file, in its own order, without ids and without the region. */
  private static final MessageType FILE_SCHEMA =
      MessageTypeParser.parseMessageType(
          """
          message hive_schema {
            optional int64 quantity;
            optional binary status (STRING);
            optional int64 buyer_id;
            required int64 order_id;
          }
          """);

  private MigratedFiles() {}

  /**
   * A new table of {@link #SCHEMA} partitioned by region, with the name mapping a migration sets.
   */
  public static Table table(Catalog catalog, TableIdentifier id) {
    Table table = catalog.createTable(id, SCHEMA, SPEC);
    table
        .updateProperties()
        .set(
            TableProperties.DEFAULT_NAME_MAPPING,
            NameMappingParser.toJson(MappingUtil.create(SCHEMA)))
        .commit();
    return table;
  }

  /** The order id of each row's {@code i}. */
  public static long buyer(long orderId) {
    return 7_000_000 + orderId;
  }

  public static long quantity(long orderId) {
    return 1 + orderId % 5;
  }

  public static String status(long orderId) {
    return STATUSES.get((int) (orderId % STATUSES.size()));
  }

  /**
   * Writes a migrated file of the rows {@code orderIds} in {@code region}'s directory and appends
   * it, with the metrics a migration computes through the name mapping; returns the file.
   */
  public static DataFile append(Table table, String region, List<Long> orderIds) {
    String location =
        table.location() + "/data/region=" + region + "/" + UUID.randomUUID() + ".parquet";
    OutputFile out = table.io().newOutputFile(location);
    SimpleGroupFactory groups = new SimpleGroupFactory(FILE_SCHEMA);
    try (ParquetWriter<Group> writer =
        ExampleParquetWriter.builder(ParquetStreams.output(out)).withType(FILE_SCHEMA).build()) {
      for (long id : orderIds) {
        writer.write(
            groups
                .newGroup()
                .append("quantity", quantity(id))
                .append("status", status(id))
                .append("buyer_id", buyer(id))
                .append("order_id", id));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + location, e);
    }
    DataFile file =
        DataFiles.builder(table.spec())
            .withPath(location)
            .withFormat(FileFormat.PARQUET)
            .withFileSizeInBytes(table.io().newInputFile(location).getLength())
            .withPartitionPath("region=" + region)
            .withMetrics(
                ParquetUtil.fileMetrics(
                    table.io().newInputFile(location),
                    MetricsConfig.forTable(table),
                    RecordFiles.nameMapping(table)))
            .build();
    table.newAppend().appendFile(file).commit();
    return file;
  }
}
