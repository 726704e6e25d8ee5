package io.floe.core.text;

/** Counts as people read them in Floe's output lines. */
public final class Counts {
  private Counts() {}

  /**
   * {@code 1 file}, {@code 0 files}, {@code 12 files}: the count with its noun, in the singular
   * only for one. For nouns whose plural adds an {@code s}.
   */
  public static String counted(long count, String noun) {
    return count + " " + (count == 1 ? noun : noun + "s");
  }
}
