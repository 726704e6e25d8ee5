package io.floe.trino;

import io.floe.catalog.Refs;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/**
 * Reads the publish time out of a {@code published-<utc>} tag name. The tags are the record of when
 * {@code main} moved: Trino's {@code $history} lists every snapshot with its commit time,
 * audit-branch snapshots included, so it cannot say what was published when.
 */
final class PublishTags {
  private static final DateTimeFormatter TAG_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

  private PublishTags() {}

  /** The publish time of a tag named by {@link Refs#publishedTag}, empty for any other name. */
  static Optional<Instant> time(String tagName) {
    if (!Refs.isPublishedTag(tagName)) {
      return Optional.empty();
    }
    String stamp = tagName.substring(Refs.PUBLISHED_TAG_PREFIX.length());
    try {
      return Optional.of(Instant.from(TAG_TIME.parse(stamp)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
