package io.floe.catalog;

import io.floe.core.config.Durations;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.UpdatePartitionSpec;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table properties of Floe's own log-like tables (metric history, deletion ledger, run log,
 * leases), which take a small commit per evaluation, operation or lease.
 *
 * <ul>
 *   <li>They are marked as log tables ({@value #KIND_PROPERTY}), so maintenance expires their
 *       snapshots after an hour instead of days: every commit writes a metadata file listing every
 *       snapshot, so their snapshot count sets the cost of their every commit.
 *   <li>Manifests are written uncompressed: each commit writes one manifest of one tiny file, where
 *       gzip costs more time setting up its deflater than it saves in bytes.
 *   <li>Each commit deletes the table's metadata files older than the newest {@value
 *       #METADATA_VERSIONS_KEPT}. Every commit writes a new metadata file holding every snapshot;
 *       kept, they would grow in number by one a commit and in size with the snapshot count, which
 *       no snapshot expiry bounds (expiry removes snapshots, not metadata files).
 *   <li>Those whose rows lose their use with age carry a retention rule as table properties ({@link
 *       #retention}), which maintenance applies like a configured one.
 *   <li>A commit that lost a race retries more often than Iceberg's default of 4 ({@link
 *       #DEFAULTS}): many evaluations or operations at once (a scheduler starting a check per
 *       table) all append to the same table, and an append never conflicts with another, so it only
 *       has to try again.
 * </ul>
 */
public final class LogTables {
  private static final Logger LOG = LoggerFactory.getLogger(LogTables.class);

  /** Metadata files a log table keeps besides the current one. */
  public static final int METADATA_VERSIONS_KEPT = 25;

  /**
   * The format of the files a log append writes ({@link RecordFiles#appendToLog}): an append is a
   * few rows, and Avro needs none of the writer Parquet sets up per column (a ten-row append of the
   * metric history measured about 4 ms faster in all, with its manifests and commit). Avro files
   * carry no column bounds; maintenance compacts a log table's small files into Parquet, which has
   * them.
   */
  public static final FileFormat APPEND_FORMAT = FileFormat.AVRO;

  /**
   * Table property marking a table as one of Floe's log tables, so maintenance gives it the
   * log-table policy (short snapshot retention, maintained once enough commits pile up).
   */
  public static final String KIND_PROPERTY = "floe.table-kind";

  public static final String LOG_KIND = "log";

  public static final Map<String, String> PROPERTIES =
      Map.of(
          KIND_PROPERTY,
          LOG_KIND,
          TableProperties.MANIFEST_COMPRESSION,
          "uncompressed",
          TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED,
          "true",
          TableProperties.METADATA_PREVIOUS_VERSIONS_MAX,
          Integer.toString(METADATA_VERSIONS_KEPT));

  /**
   * Properties a log table gets when it does not have them, where {@link #PROPERTIES} are always
   * set: a user may tune these. Twenty retries, from 50 ms apart up to 2 s apart, let a few dozen
   * appends made at the same moment all commit.
   */
  public static final Map<String, String> DEFAULTS =
      Map.of(
          TableProperties.COMMIT_NUM_RETRIES,
          "20",
          TableProperties.COMMIT_MIN_RETRY_WAIT_MS,
          "50",
          TableProperties.COMMIT_MAX_RETRY_WAIT_MS,
          "2000");

  /**
   * What a new log table is created with: {@link #PROPERTIES}, {@link #DEFAULTS} and {@code
   * defaults}, in a new map the caller may add to.
   */
  public static Map<String, String> creationProperties(Map<String, String> defaults) {
    Map<String, String> properties = new HashMap<>(DEFAULTS);
    properties.putAll(defaults);
    properties.putAll(PROPERTIES);
    return properties;
  }

  /**
   * Table property: the timestamp column by which maintenance drops a log table's old rows, with
   * {@link #RETENTION_MAX_AGE_PROPERTY}. Set at creation on the tables whose rows lose their use
   * with age (leases, run log); the metric history and the deletion ledger keep every row unless a
   * table section in {@code floe.yaml} sets a retention.
   */
  public static final String RETENTION_COLUMN_PROPERTY = "floe.log.retention-column";

  /** Table property: how old a log table's rows get before maintenance drops them, e.g. 90d. */
  public static final String RETENTION_MAX_AGE_PROPERTY = "floe.log.retention-max-age";

  private LogTables() {}

  /** The properties giving a log table a retention of {@code maxAge} on {@code column}. */
  public static Map<String, String> retention(String column, Duration maxAge) {
    return Map.of(
        RETENTION_COLUMN_PROPERTY, column, RETENTION_MAX_AGE_PROPERTY, Durations.format(maxAge));
  }

  /**
   * An existing table of {@code schema} taken as a log table: one an earlier Floe created without
   * them gets the log-table properties ({@link #withProperties(Table, Map)}) and {@code spec}
   * ({@link #withSpec}) once. A table that is not one, say a configured name that points at a
   * business table, is refused and left untouched: marking it would give it a log table's hour of
   * snapshot retention.
   *
   * @param configKey the configuration key that named the table, for the refusal's message
   * @throws FloeException {@link ErrorCode#INVALID_CONFIG} when a column of {@code schema} is
   *     missing or of another type
   */
  public static Table adopt(
      Table table,
      Schema schema,
      PartitionSpec spec,
      Map<String, String> defaults,
      String configKey) {
    for (Types.NestedField column : schema.columns()) {
      Types.NestedField found = table.schema().findField(column.name());
      if (found == null || !found.type().equals(column.type())) {
        throw new FloeException(
            ErrorCode.INVALID_CONFIG,
            "%s: %s is not a table Floe logs to (it has no column %s %s); left as it is"
                .formatted(configKey, table.name(), column.name(), column.type()));
      }
    }
    return withSpec(withProperties(table, defaults), spec);
  }

  /**
   * Gives a log table created unpartitioned (by an earlier Floe) the identity partition fields of
   * {@code spec}, once; its files written before stay readable, only unpruned. Returns the same
   * table. Another writer evolving it at the same moment is no failure: the table is then
   * refreshed, and its writers use whatever spec it has.
   */
  public static Table withSpec(Table table, PartitionSpec spec) {
    if (!table.spec().isUnpartitioned() || spec.isUnpartitioned()) {
      return table;
    }
    for (PartitionField field : spec.fields()) {
      if (!field.transform().isIdentity()) {
        throw new IllegalArgumentException("only identity partitions are added: " + field);
      }
    }
    try {
      UpdatePartitionSpec update = table.updateSpec();
      spec.fields().forEach(f -> update.addField(spec.schema().findColumnName(f.sourceId())));
      update.commit();
    } catch (RuntimeException raced) {
      // a concurrent evolution fails this one's commit, or its retry on the newer metadata with a
      // duplicate field
      LOG.debug("partitioning {} failed; writing with the spec it has", table.name(), raced);
      table.refresh();
    }
    return table;
  }

  /** Whether a table with these properties is one of Floe's log tables. */
  public static boolean isLogTable(Map<String, String> properties) {
    return LOG_KIND.equals(properties.get(KIND_PROPERTY));
  }

  /**
   * Sets {@link #PROPERTIES}, and each of {@link #DEFAULTS} and {@code defaults} the table does not
   * have yet, on a log table created without them; a default someone since changed on the table
   * stays as they set it. Returns the same table, whose metadata the commit updated.
   */
  public static Table withProperties(Table table, Map<String, String> defaults) {
    Map<String, String> current = table.properties();
    Map<String, String> missing = new HashMap<>();
    PROPERTIES.forEach(
        (key, value) -> {
          if (!value.equals(current.get(key))) {
            missing.put(key, value);
          }
        });
    Map<String, String> unlessSet = new HashMap<>(DEFAULTS);
    unlessSet.putAll(defaults);
    unlessSet.forEach(
        (key, value) -> {
          if (!current.containsKey(key)) {
            missing.put(key, value);
          }
        });
    if (missing.isEmpty()) {
      return table;
    }
    UpdateProperties update = table.updateProperties();
    missing.forEach(update::set);
    update.commit();
    return table;
  }
}
