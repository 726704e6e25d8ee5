package io.floe.app.pipeline;

import static org.apache.iceberg.types.Types.NestedField.optional;

import io.floe.catalog.TableRef;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.types.Types;

/** Deterministic tweets for bronze, with duplicates and a null id, and their expected counts. */
final class TweetsData {
  static final List<Types.NestedField> SCHEMA =
      List.of(
          optional(1, "tweet_id", Types.LongType.get()),
          optional(2, "created_at", Types.TimestampType.withZone()),
          optional(3, "user_id", Types.LongType.get()),
          optional(4, "lang", Types.StringType.get()),
          optional(5, "text", Types.StringType.get()));
  static final OffsetDateTime START = OffsetDateTime.of(2026, 2, 1, 0, 0, 0, 0, ZoneOffset.UTC);

  final List<Object[]> rows = new ArrayList<>();

  /** {@code count} tweets from {@code firstId}, 37 minutes apart, and a copy of every tenth. */
  TweetsData(long firstId, int count) {
    for (long id = firstId; id < firstId + count; id++) {
      Object[] tweet = {
        id, START.plusMinutes(id * 37), id % 7, id % 2 == 0 ? "en" : "de", "tweet " + id
      };
      rows.add(tweet);
      if (id % 10 == 0) {
        rows.add(tweet.clone());
      }
    }
    rows.add(new Object[] {null, START, 1L, "en", "no id"});
  }

  void writeTo(Catalog catalog, String namespace) {
    new BronzeWriter(catalog, namespace, "r_tweets", OffsetDateTime.now(ZoneOffset.UTC))
        .append("tweets", SCHEMA, rows);
  }

  private Map<Long, OffsetDateTime> unique() {
    Map<Long, OffsetDateTime> unique = new LinkedHashMap<>();
    rows.forEach(
        row -> {
          if (row[0] != null && row[1] != null) {
            unique.put((Long) row[0], (OffsetDateTime) row[1]);
          }
        });
    return unique;
  }

  Map<OffsetDateTime, Long> perHour() {
    Map<OffsetDateTime, Long> counts = new TreeMap<>();
    unique()
        .values()
        .forEach(time -> counts.merge(time.truncatedTo(ChronoUnit.HOURS), 1L, Long::sum));
    return counts;
  }

  Map<LocalDate, Long> perDay() {
    Map<LocalDate, Long> counts = new TreeMap<>();
    unique().values().forEach(time -> counts.merge(time.toLocalDate(), 1L, Long::sum));
    return counts;
  }

  static Map<Object, Long> read(Catalog catalog, TableRef table, String ref, String key) {
    Map<Object, Long> counts = new TreeMap<>();
    for (Record record :
        TransformPipelineTest.read((org.apache.iceberg.rest.RESTCatalog) catalog, table, ref)) {
      counts.put(record.getField(key), (Long) record.getField("tweet_count"));
    }
    return counts;
  }
}
