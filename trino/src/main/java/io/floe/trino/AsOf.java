package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

/**
 * A point in a table's history for an audit: a tag, a time, or a snapshot id. Every form resolves
 * to one snapshot id per table before the query runs ({@link SnapshotResolver}), so Trino always
 * gets a literal {@code FOR VERSION AS OF}.
 */
public sealed interface AsOf {
  /** A tag (or branch) name, usually {@code published-<utc>}. */
  record Tag(String name) implements AsOf {
    public Tag {
      requireNonNull(name, "name is null");
    }

    /** The name alone: it may be a branch ({@code main}) as well as a tag. */
    @Override
    public String toString() {
      return name;
    }
  }

  /** The snapshot that was current on {@code main} at this instant: the latest publish by then. */
  record At(Instant time) implements AsOf {
    public At {
      requireNonNull(time, "time is null");
    }

    @Override
    public String toString() {
      return "time " + time;
    }
  }

  /** One snapshot of one table. */
  record Snapshot(long id) implements AsOf {
    @Override
    public String toString() {
      return "snapshot " + id;
    }
  }

  Pattern SNAPSHOT_ID = Pattern.compile("\\d{1,19}");
  Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");
  Pattern DATE_TIME =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}[T ]\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?");

  /**
   * Parses an {@code --as-of} value: digits are a snapshot id; {@code 2026-03-03T10:15:00Z} (an
   * offset may follow, none means UTC) or {@code 2026-03-03 10:15} is a time; a bare date {@code
   * 2026-03-03} means the end of that day (UTC), i.e. what the data said on that day; anything else
   * is a tag name.
   *
   * @throws FloeException {@code INVALID_ARGUMENT} for an empty value or a malformed time
   */
  static AsOf parse(String text) {
    requireNonNull(text, "text is null");
    String value = text.strip();
    if (value.isEmpty()) {
      throw new FloeException(ErrorCode.INVALID_ARGUMENT, "--as-of is empty");
    }
    try {
      if (SNAPSHOT_ID.matcher(value).matches()) {
        return new Snapshot(Long.parseLong(value));
      }
      if (DATE.matcher(value).matches()) {
        return new At(
            LocalDate.parse(value)
                .plusDays(1)
                .atStartOfDay()
                .toInstant(ZoneOffset.UTC)
                .minusMillis(1));
      }
      if (DATE_TIME.matcher(value).matches()) {
        return new At(LocalDateTime.parse(value.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
      }
      if (value.matches("\\d{4}-\\d{2}-\\d{2}[T ].*")) {
        String iso = value.replace(' ', 'T');
        return new At(
            OffsetDateTime.parse(iso.endsWith("UTC") ? iso.replace("UTC", "Z") : iso).toInstant());
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "'%s' is not a snapshot id, time (2026-03-03T10:15:00Z) or tag".formatted(value),
          e);
    }
    return new Tag(value);
  }
}
