package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fetches a file over HTTP into the object store in byte ranges, resuming after an interruption,
 * and publishes it only once its SHA-256 matches.
 *
 * <p>The ranges become the parts of an S3 multipart upload to {@code <key>.download}; after each
 * part, a small state object {@code <key>.download-state} records the upload id and the parts
 * stored so far. A later attempt (this process or another) that finds the state for the same URL,
 * size and part size fetches only the missing ranges. Once complete, the staged object is read back
 * and hashed; only a match is copied to {@code <key>} (with the hash in its metadata) and the
 * staging objects removed. A mismatch removes the staged object and fails.
 *
 * <pre>{@code
 * DownloadResult result =
 *     ResumableDownload.of(url, s3, target).sha256("9f86d0...").partSize(8 << 20).execute();
 * }</pre>
 */
public final class ResumableDownload {
  static final String SHA256_METADATA = "floe-sha256";
  private static final String STAGING_SUFFIX = ".download";
  private static final String STATE_SUFFIX = ".download-state";

  private final URI url;
  private final S3Client s3;
  private final S3Location target;
  private Optional<String> sha256 = Optional.empty();
  private long partSize = PipelineConfig.PART_SIZE_DEFAULT;
  private int attemptsPerPart = 3;
  private HttpClient http;

  private ResumableDownload(URI url, S3Client s3, S3Location target) {
    this.url = requireNonNull(url, "url is null");
    this.s3 = requireNonNull(s3, "s3 is null");
    this.target = requireNonNull(target, "target is null");
  }

  public static ResumableDownload of(URI url, S3Client s3, S3Location target) {
    return new ResumableDownload(url, s3, target);
  }

  /** The expected SHA-256 (hex); without it the hash is computed and reported, not checked. */
  public ResumableDownload sha256(String hex) {
    this.sha256 = Optional.of(hex.toLowerCase());
    return this;
  }

  /** Bytes per range request and upload part (at least 5 MB, S3's minimum part size). */
  public ResumableDownload partSize(long bytes) {
    if (bytes < (5L << 20)) {
      throw new IllegalArgumentException("part size below S3's 5 MB minimum: " + bytes);
    }
    this.partSize = bytes;
    return this;
  }

  /** How often one range is requested before this attempt gives up (default 3). */
  public ResumableDownload attemptsPerPart(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be positive: " + attempts);
    }
    this.attemptsPerPart = attempts;
    return this;
  }

  public ResumableDownload httpClient(HttpClient client) {
    this.http = client;
    return this;
  }

  public DownloadResult execute() {
    long begin = System.nanoTime();
    HttpClient client =
        http != null
            ? http
            : HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(20))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    Optional<String> present = publishedHash();
    if (present.isPresent() && (sha256.isEmpty() || sha256.equals(present))) {
      return new DownloadResult(target, -1, 0, 0, 0, present.get(), true, elapsed(begin));
    }
    long length = contentLength(client);
    int parts = (int) Math.max(1, (length + partSize - 1) / partSize);
    S3Location staging = new S3Location(target.bucket(), target.key() + STAGING_SUFFIX);
    State state = loadState().filter(s -> s.matches(url, length, partSize)).orElse(null);
    if (state == null) {
      String uploadId =
          s3.createMultipartUpload(b -> b.bucket(staging.bucket()).key(staging.key())).uploadId();
      state = new State(url, length, partSize, uploadId, new TreeMap<>());
      saveState(state);
    }
    int reused = state.etags.size();
    int retries = 0;
    for (int part = 1; part <= parts; part++) {
      if (state.etags.containsKey(part)) {
        continue;
      }
      long start = (part - 1) * partSize;
      long end = Math.min(length, start + partSize) - 1;
      byte[] bytes = null;
      IOException last = null;
      for (int attempt = 1; attempt <= attemptsPerPart && bytes == null; attempt++) {
        try {
          bytes = fetch(client, start, end);
        } catch (IOException e) {
          last = e;
          if (attempt < attemptsPerPart) {
            retries++;
          }
        }
      }
      if (bytes == null) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "download of %s failed at bytes %d-%d after %d attempts (%s); run it again to resume from part %d of %d"
                .formatted(url, start, end, attemptsPerPart, last.getMessage(), part, parts));
      }
      int number = part;
      String uploadId = state.uploadId;
      String etag =
          s3.uploadPart(
                  b ->
                      b.bucket(staging.bucket())
                          .key(staging.key())
                          .uploadId(uploadId)
                          .partNumber(number),
                  RequestBody.fromBytes(bytes))
              .eTag();
      state.etags.put(part, etag);
      saveState(state);
    }
    List<CompletedPart> completed = new ArrayList<>();
    state.etags.forEach(
        (n, etag) -> completed.add(CompletedPart.builder().partNumber(n).eTag(etag).build()));
    String uploadId = state.uploadId;
    s3.completeMultipartUpload(
        b ->
            b.bucket(staging.bucket())
                .key(staging.key())
                .uploadId(uploadId)
                .multipartUpload(m -> m.parts(completed)));
    String actual = hashOf(staging);
    deleteState();
    if (sha256.isPresent() && !sha256.get().equals(actual)) {
      s3.deleteObject(b -> b.bucket(staging.bucket()).key(staging.key()));
      throw new FloeException(
          ErrorCode.SERVICE_FAILED,
          "download of %s: SHA-256 mismatch, expected %s but the file has %s; nothing was published"
              .formatted(url, sha256.get(), actual));
    }
    s3.copyObject(
        b ->
            b.sourceBucket(staging.bucket())
                .sourceKey(staging.key())
                .destinationBucket(target.bucket())
                .destinationKey(target.key())
                .metadataDirective(MetadataDirective.REPLACE)
                .metadata(Map.of(SHA256_METADATA, actual)));
    s3.deleteObject(b -> b.bucket(staging.bucket()).key(staging.key()));
    return new DownloadResult(
        target, length, parts, reused, retries, actual, false, elapsed(begin));
  }

  private Optional<String> publishedHash() {
    try {
      return Optional.ofNullable(
          s3.headObject(b -> b.bucket(target.bucket()).key(target.key()))
              .metadata()
              .get(SHA256_METADATA));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return Optional.empty();
      }
      throw e;
    }
  }

  private long contentLength(HttpClient client) {
    try {
      HttpResponse<Void> head =
          client.send(
              HttpRequest.newBuilder(url)
                  .method("HEAD", HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (head.statusCode() != 200) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "download of %s: HEAD answered HTTP %d".formatted(url, head.statusCode()));
      }
      if (!head.headers().firstValue("Accept-Ranges").orElse("").contains("bytes")) {
        throw new FloeException(
            ErrorCode.SERVICE_FAILED,
            "download of %s: the server does not accept byte ranges, so the download could not resume"
                .formatted(url));
      }
      return head.headers()
          .firstValueAsLong("Content-Length")
          .orElseThrow(
              () ->
                  new FloeException(
                      ErrorCode.SERVICE_FAILED,
                      "download of %s: the server does not say how long the file is"
                          .formatted(url)));
    } catch (IOException e) {
      throw new FloeException(
          ErrorCode.SERVICE_UNREACHABLE, "download of %s: %s".formatted(url, e.getMessage()), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "interrupted downloading " + url);
    }
  }

  private byte[] fetch(HttpClient client, long start, long end) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("Range", "bytes=%d-%d".formatted(start, end))
            .timeout(Duration.ofMinutes(5))
            .build();
    try {
      HttpResponse<InputStream> response =
          client.send(request, HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = response.body()) {
        if (response.statusCode() != 206) {
          throw new IOException("range request answered HTTP " + response.statusCode());
        }
        int expected = (int) (end - start + 1);
        byte[] bytes = body.readNBytes(expected);
        if (bytes.length != expected) {
          throw new IOException(
              "connection ended after %d of %d bytes".formatted(bytes.length, expected));
        }
        return bytes;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private String hashOf(S3Location location) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = s3.getObject(b -> b.bucket(location.bucket()).key(location.key()))) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private S3Location stateLocation() {
    return new S3Location(target.bucket(), target.key() + STATE_SUFFIX);
  }

  private Optional<State> loadState() {
    S3Location location = stateLocation();
    try {
      String text =
          s3.getObjectAsBytes(b -> b.bucket(location.bucket()).key(location.key())).asUtf8String();
      return Optional.of(State.parse(text));
    } catch (NoSuchKeyException e) {
      return Optional.empty();
    }
  }

  private void saveState(State state) {
    S3Location location = stateLocation();
    s3.putObject(
        b -> b.bucket(location.bucket()).key(location.key()),
        RequestBody.fromString(state.format()));
  }

  private void deleteState() {
    S3Location location = stateLocation();
    s3.deleteObject(b -> b.bucket(location.bucket()).key(location.key()));
  }

  private static Duration elapsed(long begin) {
    return Duration.ofNanos(System.nanoTime() - begin);
  }

  /** The checkpoint of an unfinished download: its upload and the parts already stored. */
  private record State(
      URI url, long length, long partSize, String uploadId, TreeMap<Integer, String> etags) {
    boolean matches(URI otherUrl, long otherLength, long otherPartSize) {
      return url.equals(otherUrl) && length == otherLength && partSize == otherPartSize;
    }

    String format() {
      Properties properties = new Properties();
      properties.setProperty("url", url.toString());
      properties.setProperty("length", Long.toString(length));
      properties.setProperty("part-size", Long.toString(partSize));
      properties.setProperty("upload-id", uploadId);
      etags.forEach((part, etag) -> properties.setProperty("part." + part, etag));
      StringWriter out = new StringWriter();
      try {
        properties.store(out, "resumable download state");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toString();
    }

    static State parse(String text) {
      Properties properties = new Properties();
      try {
        properties.load(new StringReader(text));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      TreeMap<Integer, String> etags = new TreeMap<>();
      for (String key : properties.stringPropertyNames()) {
        if (key.startsWith("part.")) {
          etags.put(Integer.parseInt(key.substring(5)), properties.getProperty(key));
        }
      }
      return new State(
          URI.create(properties.getProperty("url")),
          Long.parseLong(properties.getProperty("length")),
          Long.parseLong(properties.getProperty("part-size")),
          properties.getProperty("upload-id"),
          etags);
    }
  }
}
