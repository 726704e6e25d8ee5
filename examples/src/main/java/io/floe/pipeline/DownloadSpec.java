package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Optional;

/**
 * A file fetched over HTTP into the object store, resumably and checksum-verified.
 *
 * @param target {@code s3://bucket/key} or a key in the warehouse bucket
 */
public record DownloadSpec(
    String name, URI url, Optional<String> sha256, String target, long partSize) {
  public DownloadSpec {
    requireNonNull(name, "name is null");
    requireNonNull(url, "url is null");
    requireNonNull(sha256, "sha256 is null");
    requireNonNull(target, "target is null");
  }
}
