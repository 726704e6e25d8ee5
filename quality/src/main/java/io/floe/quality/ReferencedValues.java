package io.floe.quality;

import java.util.HashSet;
import java.util.Set;

/**
 * The distinct values of a referenced column ({@code references} checks), normalized as {@link
 * Columns#normalize} makes them. Surrogate keys, dates and timestamps normalize to 64-bit integers,
 * which are kept unboxed in an open-addressing set (8-16 bytes a value where a hash set of boxed
 * values takes about 60); a column of any other type is kept as objects.
 */
final class ReferencedValues {
  private LongHashSet longs = new LongHashSet(1 << 10);
  private Set<Object> objects;

  /** Adds a normalized value. */
  void add(Object value) {
    if (objects == null && value instanceof Long number) {
      longs.add(number);
      return;
    }
    if (objects == null) {
      objects = new HashSet<>();
      longs.forEach(objects::add);
      longs = null;
    }
    objects.add(value);
  }

  /** Whether the column holds a normalized value equal to {@code value}. */
  boolean contains(Object value) {
    if (objects != null) {
      return objects.contains(value);
    }
    return value instanceof Long number && longs.contains(number);
  }
}
