package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

/** A bucket and a key (or key prefix) in an object store. */
public record S3Location(String bucket, String key) {
  public S3Location {
    requireNonNull(bucket, "bucket is null");
    requireNonNull(key, "key is null");
    if (bucket.isEmpty()) {
      throw new IllegalArgumentException("bucket is empty");
    }
  }

  /** Parses {@code s3://bucket/key}, also accepting the {@code s3a} and {@code s3n} schemes. */
  public static S3Location parse(String uri) {
    int scheme = uri.indexOf("://");
    if (scheme < 0 || !uri.substring(0, scheme).matches("s3[an]?")) {
      throw new IllegalArgumentException("not an s3:// location: " + uri);
    }
    String rest = uri.substring(scheme + 3);
    int slash = rest.indexOf('/');
    return slash < 0
        ? new S3Location(rest, "")
        : new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
  }

  public S3Location child(String name) {
    return new S3Location(
        bucket, key.isEmpty() || key.endsWith("/") ? key + name : key + "/" + name);
  }

  @Override
  public String toString() {
    return "s3://" + bucket + "/" + key;
  }
}
