package io.floe.core.config;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes in bytes: {@code 512MB}, {@code 128m}, {@code 1GB}, {@code 4096} (binary units). */
public final class DataSizes {
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb?|mb?|gb?|tb?)?");

  private DataSizes() {}

  public static Optional<Long> parse(String text) {
    Matcher matcher = SIZE.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Optional.empty();
    }
    long amount = Long.parseLong(matcher.group(1));
    String unit = matcher.group(2) == null ? "b" : matcher.group(2).substring(0, 1);
    int shift =
        switch (unit) {
          case "k" -> 10;
          case "m" -> 20;
          case "g" -> 30;
          case "t" -> 40;
          default -> 0;
        };
    if (amount > (Long.MAX_VALUE >> shift)) {
      return Optional.empty();
    }
    return Optional.of(amount << shift);
  }

  /** A short rendering such as {@code 128MB} when exact, else bytes. */
  public static String format(long bytes) {
    String[] units = {"B", "KB", "MB", "GB", "TB"};
    int unit = 0;
    long value = bytes;
    while (unit < units.length - 1 && value != 0 && value % 1024 == 0) {
      value /= 1024;
      unit++;
    }
    return value + units[unit];
  }

  /**
   * A size for people to read, in the binary units {@link #parse} takes, to one decimal: {@code 512
   * B}, {@code 1.5 KB}, {@code 11.8 MB}. Not exact; {@link #format} is.
   */
  public static String describe(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB", "PB", "EB"};
    int unit = 0;
    double value = bytes / 1024.0;
    // rounding to one decimal may carry into the next unit (1023.96 KB is 1.0 MB, not 1024.0 KB)
    while (unit < units.length - 1 && value >= 1023.95) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
