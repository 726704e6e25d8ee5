package io.floe.examples;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * What one call of the e-commerce generator wrote: rows inserted and updated per PostgreSQL table,
 * the clickstream files and lines landed on S3, the inventory messages sent to Kafka, and every
 * defect it injected (keys listed in {@link Defect}), so tests can assert exact counts.
 *
 * @param batch 0 for the first call on a database, then 1, 2, ...
 */
public record GeneratedBatch(
    int batch,
    long seed,
    Map<String, Long> inserted,
    Map<String, Long> updated,
    List<String> clickstreamFiles,
    long clickstreamLines,
    long inventoryMessages,
    Map<Defect, Long> defects,
    Duration elapsed) {
  public GeneratedBatch {
    inserted = Map.copyOf(inserted);
    updated = Map.copyOf(updated);
    clickstreamFiles = List.copyOf(clickstreamFiles);
    defects = Map.copyOf(defects);
    requireNonNull(elapsed, "elapsed is null");
  }

  /** The kinds of injected defects. */
  public enum Defect {
    /** a clickstream line that is not valid JSON */
    CLICKSTREAM_MALFORMED_JSON,
    /** a clickstream line with a value of the wrong type (timestamp, long) */
    CLICKSTREAM_BAD_VALUE,
    /** a clickstream line without its required event_id */
    CLICKSTREAM_MISSING_REQUIRED,
    /** a clickstream line written twice (valid; silver deduplicates) */
    CLICKSTREAM_DUPLICATE,
    /** an inventory message sent twice (valid; silver deduplicates) */
    INVENTORY_DUPLICATE,
    /** an inventory message whose value is not JSON */
    INVENTORY_MALFORMED_JSON,
    /** a user without an email */
    USERS_NULL_EMAIL,
    /** a product without a brand */
    PRODUCTS_NULL_BRAND
  }

  public long defects(Defect defect) {
    return defects.getOrDefault(defect, 0L);
  }

  /** Clickstream lines that the ingest must quarantine. */
  public long clickstreamMalformed() {
    return defects(Defect.CLICKSTREAM_MALFORMED_JSON)
        + defects(Defect.CLICKSTREAM_BAD_VALUE)
        + defects(Defect.CLICKSTREAM_MISSING_REQUIRED);
  }

  /** Inventory messages that the ingest must quarantine. */
  public long inventoryMalformed() {
    return defects(Defect.INVENTORY_MALFORMED_JSON);
  }

  public long inserted(String table) {
    return inserted.getOrDefault(table, 0L);
  }

  public long updated(String table) {
    return updated.getOrDefault(table, 0L);
  }
}
