package io.floe.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.floe.core.error.FloeException;
import io.floe.examples.GeneratedTweets;
import io.floe.examples.Generator;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Downloads a generated tweets TSV from a local HTTP server that drops connections mid-range, into
 * the real S3 server.
 */
@ExtendWith(LakehouseExtension.class)
class ResumableDownloadTest {
  private static final long PART = 5L << 20;

  private byte[] file;
  private GeneratedTweets tweets;
  private HttpServer server;
  private final List<String> ranges = new CopyOnWriteArrayList<>();

  /** Range requests (counted from 1) whose connection the server drops halfway. */
  private final List<Integer> dropped = new CopyOnWriteArrayList<>();

  private final AtomicInteger rangeRequests = new AtomicInteger();

  @BeforeEach
  void serveAFile() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    tweets = Generator.tweets().count(180_000).writeTo(out);
    file = out.toByteArray();
    assertThat((long) file.length).isGreaterThan(3 * PART);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/tweets.tsv", this::handle);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void anInterruptedDownloadResumesFromTheStoredPartsAndVerifiesItsChecksum(Lakehouse lakehouse)
      throws Exception {
    S3Location target =
        S3Access.resolve(lakehouse.endpoints(), "landing/" + lakehouse.namespace() + "/tweets.tsv");
    dropped.add(2); // the second range request, i.e. part 2, dies halfway
    try (S3Client s3 = S3Access.client(lakehouse.endpoints())) {
      assertThatThrownBy(() -> download(s3, target).attemptsPerPart(1).execute())
          .isInstanceOf(FloeException.class)
          .hasMessageContaining("failed at bytes %d-%d".formatted(PART, 2 * PART - 1))
          .hasMessageContaining("resume from part 2 of 4");
      assertThat(exists(s3, target)).isFalse();

      DownloadResult result = download(s3, target).execute();
      assertThat(result.partsReused()).isEqualTo(1);
      assertThat(result.parts()).isEqualTo(4);
      assertThat(result.bytes()).isEqualTo(file.length);
      assertThat(result.sha256()).isEqualTo(tweets.sha256());
      // part 1 was fetched once, by the first attempt; the rest by the second
      assertThat(ranges.stream().filter(r -> r.startsWith("bytes=0-")).count()).isEqualTo(1);
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.key())).asByteArray())
          .isEqualTo(file);
      assertThat(exists(s3, new S3Location(target.bucket(), target.key() + ".download"))).isFalse();
      assertThat(exists(s3, new S3Location(target.bucket(), target.key() + ".download-state")))
          .isFalse();

      int before = rangeRequests.get();
      DownloadResult again = download(s3, target).execute();
      assertThat(again.alreadyPresent()).isTrue();
      assertThat(rangeRequests.get()).isEqualTo(before);
    }
  }

  @Test
  void aDroppedConnectionIsRetriedWithinOneAttempt(Lakehouse lakehouse) throws Exception {
    S3Location target =
        S3Access.resolve(lakehouse.endpoints(), "landing/" + lakehouse.namespace() + "/retry.tsv");
    dropped.add(3);
    try (S3Client s3 = S3Access.client(lakehouse.endpoints())) {
      DownloadResult result = download(s3, target).execute();
      assertThat(result.retries()).isEqualTo(1);
      assertThat(result.partsReused()).isZero();
      assertThat(
              s3.getObjectAsBytes(b -> b.bucket(target.bucket()).key(target.key())).asByteArray())
          .isEqualTo(file);
    }
  }

  @Test
  void aChecksumMismatchPublishesNothing(Lakehouse lakehouse) throws Exception {
    S3Location target =
        S3Access.resolve(lakehouse.endpoints(), "landing/" + lakehouse.namespace() + "/bad.tsv");
    String wrong = "0".repeat(64);
    try (S3Client s3 = S3Access.client(lakehouse.endpoints())) {
      assertThatThrownBy(() -> download(s3, target).sha256(wrong).execute())
          .isInstanceOf(FloeException.class)
          .hasMessageContaining(
              "SHA-256 mismatch, expected " + wrong + " but the file has " + tweets.sha256());
      assertThat(exists(s3, target)).isFalse();
      assertThat(exists(s3, new S3Location(target.bucket(), target.key() + ".download"))).isFalse();
    }
  }

  private ResumableDownload download(S3Client s3, S3Location target) {
    URI url = URI.create("http://127.0.0.1:%d/tweets.tsv".formatted(server.getAddress().getPort()));
    return ResumableDownload.of(url, s3, target).sha256(tweets.sha256()).partSize(PART);
  }

  private static boolean exists(S3Client s3, S3Location location) {
    try {
      s3.headObject(b -> b.bucket(location.bucket()).key(location.key()));
      return true;
    } catch (NoSuchKeyException e) {
      return false;
    } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw e;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    exchange.getResponseHeaders().add("Accept-Ranges", "bytes");
    if (exchange.getRequestMethod().equals("HEAD")) {
      exchange.getResponseHeaders().add("Content-Length", Long.toString(file.length));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
      return;
    }
    String range = exchange.getRequestHeaders().getFirst("Range");
    ranges.add(range);
    int number = rangeRequests.incrementAndGet();
    String[] bounds = range.substring("bytes=".length()).split("-");
    int start = Integer.parseInt(bounds[0]);
    int end = Math.min(file.length - 1, Integer.parseInt(bounds[1]));
    int length = end - start + 1;
    exchange
        .getResponseHeaders()
        .add("Content-Range", "bytes %d-%d/%d".formatted(start, end, file.length));
    exchange.sendResponseHeaders(206, length);
    OutputStream body = exchange.getResponseBody();
    if (dropped.contains(number)) {
      body.write(file, start, length / 2);
      body.flush();
      // closing short of the declared length makes the server drop the connection
      exchange.close();
      return;
    }
    body.write(file, start, length);
    body.close();
  }
}
