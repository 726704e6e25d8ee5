package io.floe.maintenance;

import static java.util.Objects.requireNonNull;

/**
 * An object-store location split into scheme, authority (bucket) and key, without any
 * normalization: two locations that differ in scheme ({@code s3} vs {@code s3a}) or authority are
 * different, and orphan removal refuses to guess that they mean the same object.
 */
record Location(String scheme, String authority, String key) {
  Location {
    requireNonNull(scheme, "scheme is null");
    requireNonNull(authority, "authority is null");
    requireNonNull(key, "key is null");
  }

  static Location parse(String location) {
    int colon = location.indexOf("://");
    if (colon <= 0) {
      return new Location("", "", location);
    }
    String rest = location.substring(colon + 3);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "" : rest.substring(slash + 1);
    return new Location(location.substring(0, colon), authority, key);
  }

  /** The key with runs of slashes collapsed, to spot two spellings of one object. */
  String normalizedKey() {
    return key.replaceAll("/{2,}", "/");
  }

  boolean sameStore(Location other) {
    return scheme.equals(other.scheme) && authority.equals(other.authority);
  }

  @Override
  public String toString() {
    return scheme.isEmpty() ? key : scheme + "://" + authority + "/" + key;
  }
}
