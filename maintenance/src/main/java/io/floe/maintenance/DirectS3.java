package io.floe.maintenance;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.io.FileIO;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole small objects with one signed HTTP GET each, and stores objects of one part with one
 * signed PUT, without the AWS SDK's request pipeline (endpoint rules, interceptors, auth-scheme
 * resolution, checksums, response unmarshalling): for an object of a few kilobytes that pipeline
 * costs more CPU than the transfer, and compacting a thousand small files makes a thousand such
 * requests (measured on the embedded stack: about 0.6 ms of client CPU per GET through {@code
 * S3FileIO}, about 0.2 ms here).
 *
 * <p>A PUT carries the object's CRC-32 ({@code x-amz-checksum-crc32}), which the store checks
 * against the bytes it received, and leaves the payload out of the signature ({@code
 * UNSIGNED-PAYLOAD}). Over plain http the SDK instead signs a SHA-256 of every 128 KiB of the body,
 * which in Floe's short-lived JVMs (C1 only, no SHA intrinsics) costs about as much CPU as
 * compressing it. The CRC guards against corruption in transit as the signed hash did; against
 * someone able to change traffic, plain http protects neither the reads nor the writes, and https
 * protects both.
 *
 * <p>Only for an {@link S3FileIO} whose every setting is understood here: an explicit endpoint with
 * path-style access, static credentials (optionally a session token), a region, and otherwise only
 * settings that do not change how an object is read. Anything else, say vended or assumed-role
 * credentials, customer-provided encryption keys, access points or remote signing, keeps every
 * request on the FileIO. Writes further need no setting that adds to a PUT (server-side encryption,
 * an ACL, a storage class, tags, MD5 checksums). A read that does not answer 200 with exactly the
 * expected length returns empty, and a write that does not answer 200 returns false: the caller
 * then goes through the FileIO, whose retries and errors apply unchanged.
 */
final class DirectS3 {
  private static final Logger LOG = LoggerFactory.getLogger(DirectS3.class);

  /** S3 settings that leave a GET of a whole object as it is. */
  private static final Set<String> NEUTRAL =
      Set.of(
          "s3.endpoint",
          "s3.path-style-access",
          "s3.access-key-id",
          "s3.secret-access-key",
          "s3.session-token",
          "s3.session-token-expires-at-ms",
          "s3.sse.type",
          "s3.sse.key",
          "s3.sse.md5",
          "s3.staging-dir",
          "s3.acl",
          "s3.checksum-enabled",
          "s3.chunked-encoding-enabled",
          "s3.preload-client-enabled",
          "s3.delete-enabled");

  /**
   * Prefixes of write, delete and retry settings, which a GET that falls back leaves to the SDK.
   */
  private static final Set<String> NEUTRAL_PREFIXES =
      Set.of("s3.multipart.", "s3.write.", "s3.delete.", "s3.retry.");

  /** Server-side encryption that S3 undoes without anything in the request. */
  private static final Set<String> TRANSPARENT_ENCRYPTION = Set.of("none", "s3", "kms", "dsse-kms");

  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  // the SHA-256 of an empty body: a GET sends none
  private static final String EMPTY_BODY =
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
  private static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
  private static final DateTimeFormatter AMZ_DATE =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
  private static final int TIMEOUT_MILLIS = 60_000;
  private static final HexFormat HEX = HexFormat.of();
  private static final HexFormat UPPER_HEX = HexFormat.of().withUpperCase();

  private final String endpoint;
  private final String accessKey;
  private final String secretKey;
  private final String sessionToken;
  private final String region;
  private final boolean writes;
  private final ThreadLocal<Signer> signers = new ThreadLocal<>();

  private DirectS3(
      String endpoint,
      String accessKey,
      String secretKey,
      String sessionToken,
      String region,
      boolean writes) {
    this.endpoint =
        endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    this.accessKey = accessKey;
    this.secretKey = secretKey;
    this.sessionToken = sessionToken;
    this.region = region;
    this.writes = writes;
  }

  /** Direct reads for {@code io}, when its configuration is one they reproduce exactly. */
  static Optional<DirectS3> forReads(FileIO io) {
    if (!(io instanceof S3FileIO s3) || !s3.credentials().isEmpty() || proxied()) {
      return Optional.empty();
    }
    Map<String, String> properties = s3.properties();
    String endpoint = properties.get("s3.endpoint");
    String accessKey = properties.get("s3.access-key-id");
    String secretKey = properties.get("s3.secret-access-key");
    String region = properties.get("client.region");
    if (endpoint == null
        || accessKey == null
        || secretKey == null
        || region == null
        || !"true".equalsIgnoreCase(properties.get("s3.path-style-access"))
        || !TRANSPARENT_ENCRYPTION.contains(properties.getOrDefault("s3.sse.type", "none"))
        || !plainEndpoint(endpoint)
        || !properties.keySet().stream().allMatch(DirectS3::neutral)) {
      return Optional.empty();
    }
    boolean writes =
        properties.entrySet().stream().noneMatch(e -> changesWrites(e.getKey(), e.getValue()));
    return Optional.of(
        new DirectS3(
            endpoint, accessKey, secretKey, properties.get("s3.session-token"), region, writes));
  }

  /** Direct reads and writes for {@code io}, when its configuration is one they reproduce. */
  static Optional<DirectS3> forWrites(FileIO io) {
    return forReads(io).filter(direct -> direct.writes);
  }

  /** An http(s) endpoint without a path, query or user info, as the signed path assumes. */
  private static boolean plainEndpoint(String endpoint) {
    try {
      URI uri = new URI(endpoint);
      return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          && uri.getHost() != null
          && uri.getRawUserInfo() == null
          && (uri.getRawPath() == null
              || uri.getRawPath().isEmpty()
              || uri.getRawPath().equals("/"))
          && uri.getRawQuery() == null
          && uri.getRawFragment() == null;
    } catch (java.net.URISyntaxException e) {
      return false;
    }
  }

  private static boolean neutral(String key) {
    if (key.startsWith("client.")) {
      // credentials providers, assumed roles, refreshed credentials, client factories
      return key.equals("client.region");
    }
    if (key.startsWith("http-client.")) {
      // timeouts and pool sizes change nothing about a GET; a proxy would
      return !key.contains("proxy");
    }
    if (!key.startsWith("s3.")) {
      return true;
    }
    return NEUTRAL.contains(key) || NEUTRAL_PREFIXES.stream().anyMatch(key::startsWith);
  }

  /** Settings that add to a PUT what a direct write does not send. */
  private static boolean changesWrites(String key, String value) {
    return key.startsWith("s3.write.")
        || key.equals("s3.acl")
        || (key.equals("s3.sse.type") && !"none".equalsIgnoreCase(value))
        || (key.equals("s3.checksum-enabled") && "true".equalsIgnoreCase(value));
  }

  /**
   * Whether the JVM or the environment names a proxy, which the SDK's HTTP client would use and
   * this would not ({@code http-client.proxy-endpoint} is refused with the other settings).
   */
  private static boolean proxied() {
    for (String key : new String[] {"http.proxyHost", "https.proxyHost"}) {
      if (System.getProperty(key) != null) {
        return true;
      }
    }
    for (String key : new String[] {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"}) {
      if (System.getenv(key) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * The bytes of the object at {@code location}, or empty when this read did not get exactly {@code
   * length} bytes with a 200 answer (missing object, denied, throttled, another length, a broken
   * connection): the caller then reads through the FileIO.
   */
  Optional<byte[]> read(String location, long length) {
    String path = requestPath(location);
    if (path == null || length > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    HttpURLConnection connection = null;
    try {
      URL url = URI.create(endpoint + path).toURL();
      connection = open(url);
      sign(connection, url, "GET", path, EMPTY_BODY, null);
      int status = connection.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        drain(connection.getErrorStream());
        LOG.debug("direct read of {} answered {}; reading through the FileIO", location, status);
        return Optional.empty();
      }
      try (InputStream in = connection.getInputStream()) {
        if (connection.getContentLengthLong() != length) {
          LOG.debug("direct read of {}: another length than {}", location, length);
          return Optional.empty();
        }
        byte[] bytes = in.readNBytes((int) length);
        return bytes.length == length && in.read() == -1 ? Optional.of(bytes) : Optional.empty();
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("direct read of {} failed; reading through the FileIO", location, e);
      if (connection != null) {
        connection.disconnect();
      }
      return Optional.empty();
    }
  }

  /**
   * Stores {@code length} bytes, which {@code body} writes, as the object at {@code location} with
   * one PUT; false when the store did not answer 200 (denied, throttled, a checksum mismatch, a
   * broken connection), and the caller then stores them through the FileIO. Only for an instance of
   * {@link #forWrites}.
   *
   * @param crc32 the CRC-32 of the bytes, which the store checks
   */
  boolean write(String location, long length, long crc32, Body body) {
    String path = requestPath(location);
    if (!writes || path == null) {
      return false;
    }
    HttpURLConnection connection = null;
    try {
      URL url = URI.create(endpoint + path).toURL();
      connection = open(url);
      connection.setRequestMethod("PUT");
      connection.setDoOutput(true);
      connection.setFixedLengthStreamingMode(length);
      byte[] checksum = {
        (byte) (crc32 >>> 24), (byte) (crc32 >>> 16), (byte) (crc32 >>> 8), (byte) crc32
      };
      sign(
          connection,
          url,
          "PUT",
          path,
          UNSIGNED_PAYLOAD,
          Base64.getEncoder().encodeToString(checksum));
      try (OutputStream out = connection.getOutputStream()) {
        body.writeTo(out);
      }
      int status = connection.getResponseCode();
      if (status != HttpURLConnection.HTTP_OK) {
        drain(connection.getErrorStream());
        LOG.debug("direct write of {} answered {}; storing through the FileIO", location, status);
        return false;
      }
      drain(connection.getInputStream());
      return true;
    } catch (IOException | RuntimeException e) {
      LOG.debug("direct write of {} failed; storing through the FileIO", location, e);
      if (connection != null) {
        connection.disconnect();
      }
      return false;
    }
  }

  /** A connection to {@code url} that goes nowhere else: no proxy, redirect or cache. */
  private static HttpURLConnection open(URL url) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) url.openConnection(Proxy.NO_PROXY);
    connection.setInstanceFollowRedirects(false);
    connection.setUseCaches(false);
    connection.setConnectTimeout(TIMEOUT_MILLIS);
    connection.setReadTimeout(TIMEOUT_MILLIS);
    return connection;
  }

  /** The bytes of a direct write, written to the request as it is sent. */
  interface Body {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * The path-style request path of an {@code s3://bucket/key} location (also s3a and s3n), with the
   * key URI-encoded as SigV4 signs it, or null for a location this does not read.
   */
  static String requestPath(String location) {
    int scheme = location.indexOf("://");
    if (scheme < 0
        || !Set.of("s3", "s3a", "s3n").contains(location.substring(0, scheme))
        || location.indexOf('?') >= 0
        || location.indexOf('#') >= 0) {
      return null;
    }
    int slash = location.indexOf('/', scheme + 3);
    if (slash < 0 || slash == scheme + 3 || slash == location.length() - 1) {
      return null;
    }
    String bucket = location.substring(scheme + 3, slash);
    return "/" + encode(bucket) + "/" + encode(location.substring(slash + 1));
  }

  /** Percent-encodes every byte but the unreserved characters and '/', as SigV4 does for S3. */
  private static String encode(String value) {
    StringBuilder encoded = new StringBuilder(value.length() + 16);
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || c == '/') {
        encoded.append(c);
      } else {
        encoded.append('%').append(UPPER_HEX.toHexDigits(b));
      }
    }
    return encoded.toString();
  }

  private static void drain(InputStream in) throws IOException {
    if (in != null) {
      try (in) {
        in.transferTo(OutputStream.nullOutputStream());
      }
    }
  }

  /**
   * Adds the AWS Signature Version 4 headers of a {@code method} request of {@code path} whose body
   * has the hash {@code payload} (or is not signed), with the CRC-32 header when {@code crc32} is
   * given.
   */
  private void sign(
      HttpURLConnection connection,
      URL url,
      String method,
      String path,
      String payload,
      String crc32) {
    String host = url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
    String date = AMZ_DATE.format(Instant.now());
    String day = date.substring(0, 8);
    // headers in the order SigV4 sorts them: by name
    Map<String, String> headers = new TreeMap<>();
    headers.put("host", host);
    if (crc32 != null) {
      headers.put("x-amz-checksum-crc32", crc32);
    }
    headers.put("x-amz-content-sha256", payload);
    headers.put("x-amz-date", date);
    if (sessionToken != null) {
      headers.put("x-amz-security-token", sessionToken.trim());
    }
    StringBuilder canonical =
        new StringBuilder(320).append(method).append('\n').append(path).append("\n\n");
    headers.forEach((name, value) -> canonical.append(name).append(':').append(value).append('\n'));
    String signedHeaders = String.join(";", headers.keySet());
    canonical.append('\n').append(signedHeaders).append('\n').append(payload);
    String scope = day + "/" + region + "/s3/aws4_request";
    Signer signer = signer(day);
    String stringToSign =
        ALGORITHM + "\n" + date + "\n" + scope + "\n" + HEX.formatHex(signer.sha256(canonical));
    String signature = HEX.formatHex(signer.hmac(stringToSign));
    headers.forEach(
        (name, value) -> {
          if (!name.equals("host")) {
            connection.setRequestProperty(name, value);
          }
        });
    connection.setRequestProperty(
        "Authorization",
        ALGORITHM
            + " Credential="
            + accessKey
            + "/"
            + scope
            + ", SignedHeaders="
            + signedHeaders
            + ", Signature="
            + signature);
  }

  /** This thread's signer for {@code day}, whose signing key is derived once per day. */
  private Signer signer(String day) {
    Signer signer = signers.get();
    if (signer == null || !signer.day.equals(day)) {
      signer = new Signer(day, signingKey(day));
      signers.set(signer);
    }
    return signer;
  }

  private byte[] signingKey(String day) {
    byte[] key = ("AWS4" + secretKey).getBytes(StandardCharsets.UTF_8);
    for (String part : new String[] {day, region, "s3", "aws4_request"}) {
      key = Signer.hmac(key, part);
    }
    return key;
  }

  /** A thread's SHA-256 digest and HMAC keyed with one day's signing key. */
  private static final class Signer {
    final String day;
    private final MessageDigest digest;
    private final Mac mac;

    Signer(String day, byte[] signingKey) {
      this.day = day;
      try {
        this.digest = MessageDigest.getInstance("SHA-256");
        this.mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(signingKey, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("SHA-256 and HmacSHA256 are part of every JDK", e);
      }
    }

    byte[] sha256(CharSequence text) {
      return digest.digest(text.toString().getBytes(StandardCharsets.UTF_8));
    }

    byte[] hmac(String text) {
      return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] hmac(byte[] key, String text) {
      try {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
      }
    }
  }
}
