package io.floe.trino;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A JVM heap size as written after {@code -Xmx}: a whole number of megabytes or gigabytes. */
record HeapSize(long megabytes) {
  private static final Pattern FORMAT = Pattern.compile("(\\d+)([mMgG])");

  HeapSize {
    if (megabytes < 512) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "Trino heap of %d MB is too small; give at least 512M".formatted(megabytes));
    }
  }

  /** Parses {@code "2G"} or {@code "1536m"}. */
  static HeapSize parse(String text) {
    requireNonNull(text, "text is null");
    Matcher matcher = FORMAT.matcher(text.trim());
    if (!matcher.matches()) {
      throw new FloeException(
          ErrorCode.INVALID_ARGUMENT,
          "Trino heap '%s' is not a size like 2G or 1536M".formatted(text));
    }
    long amount = Long.parseLong(matcher.group(1));
    boolean gigabytes = matcher.group(2).toLowerCase(Locale.ROOT).equals("g");
    return new HeapSize(gigabytes ? amount * 1024 : amount);
  }

  String jvmOption() {
    return "-Xmx" + megabytes + "M";
  }

  /** {@code percent} of this heap as a Trino data size, rounded down to whole megabytes. */
  String percentAsDataSize(int percent) {
    return (megabytes * percent / 100) + "MB";
  }
}
