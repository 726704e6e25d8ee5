package io.floe.core.config;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses human durations ({@code 500ms}, {@code 30s}, {@code 15m}, {@code 2h}, {@code 3d}). */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

  private Durations() {}

  public static Optional<Duration> parse(String text) {
    String value = text.trim().toLowerCase(Locale.ROOT);
    Matcher matcher = SHORT.matcher(value);
    if (matcher.matches()) {
      long amount = Long.parseLong(matcher.group(1));
      return Optional.of(
          switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
          });
    }
    try {
      return Optional.of(Duration.parse(text.trim().toUpperCase(Locale.ROOT)));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * A rendering for people in its two largest units, truncated below them: {@code 302d 1h}, {@code
   * 1h 13m}, {@code 7s} (for 7.25 seconds), {@code 250ms}.
   */
  public static String describe(Duration duration) {
    if (duration.isNegative()) {
      return "-" + describe(duration.negated());
    }
    if (duration.isZero()) {
      return "0s";
    }
    long[] amounts = {
      duration.toDays(),
      duration.toHoursPart(),
      duration.toMinutesPart(),
      duration.toSecondsPart(),
      duration.toMillisPart()
    };
    String[] units = {"d", "h", "m", "s", "ms"};
    int first = 0;
    while (first < amounts.length - 1 && amounts[first] == 0) {
      first++;
    }
    StringBuilder text = new StringBuilder().append(amounts[first]).append(units[first]);
    int second = first + 1;
    // milliseconds only for a duration under a second
    if (second < amounts.length - 1 && amounts[second] != 0) {
      text.append(' ').append(amounts[second]).append(units[second]);
    }
    return text.toString();
  }

  /** The shortest exact rendering, e.g. {@code 3d} or {@code 90s}. */
  public static String format(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 86_400_000 == 0) {
      return millis / 86_400_000 + "d";
    }
    if (millis % 3_600_000 == 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1000 == 0) {
      return millis / 1000 + "s";
    }
    return millis + "ms";
  }
}
