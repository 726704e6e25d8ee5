package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;

import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/** One signed GET per small object, against the real object store, and when it must not be used. */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectS3ReadsTest {
  private RESTCatalog catalog;
  private FileIO io;
  private String base;

  @BeforeAll
  void open(Lakehouse lakehouse) {
    catalog = lakehouse.endpoints().catalogConnection().open("direct-reads-test");
    if (!catalog.namespaceExists(Namespace.of(lakehouse.namespace()))) {
      catalog.createNamespace(Namespace.of(lakehouse.namespace()));
    }
    Table table =
        Fixtures.create(
            catalog,
            lakehouse.namespace(),
            "objects",
            org.apache.iceberg.PartitionSpec.unpartitioned(),
            org.apache.iceberg.SortOrder.unsorted());
    io = table.io();
    base = table.location() + "/objects/";
  }

  @AfterAll
  void close() throws Exception {
    catalog.close();
  }

  @Test
  void readsTheBytesTheFileIoReadsWhateverTheKey() throws IOException {
    DirectS3Reads direct = DirectS3Reads.of(io).orElseThrow();
    Random random = new Random(7);
    List<String> names =
        List.of(
            "plain.parquet",
            "category=a b/c+d%e.parquet",
            "ünïcödé/~tilde_(1)&$!,;'.parquet",
            "deep/er/and/deeper/x.parquet");
    for (String name : names) {
      for (int size : new int[] {1, 70_000}) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        String location = base + size + "/" + name;
        write(location, bytes);

        assertThat(direct.read(location, size)).as(location).hasValue(bytes);
        assertThat(readThroughFileIo(location)).as(location).isEqualTo(bytes);
      }
    }
  }

  @Test
  void answersNothingWhenTheReadCannotBeExactAndTheFileIoStillReads() throws IOException {
    DirectS3Reads direct = DirectS3Reads.of(io).orElseThrow();
    byte[] bytes = {1, 2, 3, 4, 5};
    String location = base + "exact/five.bin";
    write(location, bytes);

    assertThat(direct.read(base + "exact/missing.bin", 5)).isEmpty();
    assertThat(direct.read(location, 4)).isEmpty();
    assertThat(direct.read(location, 6)).isEmpty();
    // the connections behind the failed reads are reusable: the next read is whole
    assertThat(direct.read(location, 5)).hasValue(bytes);
    assertThat(readThroughFileIo(location)).isEqualTo(bytes);
  }

  @Test
  void answersNothingWhenTheStoreRejectsTheSignature() throws IOException {
    byte[] bytes = {9, 8, 7};
    String location = base + "denied/three.bin";
    write(location, bytes);
    Map<String, String> wrongSecret = new HashMap<>(io.properties());
    wrongSecret.put("s3.secret-access-key", "not-the-secret");
    try (S3FileIO other = new S3FileIO()) {
      other.initialize(wrongSecret);
      DirectS3Reads direct = DirectS3Reads.of(other).orElseThrow();

      assertThat(direct.read(location, 3)).isEmpty();
    }
  }

  @Test
  void leavesEveryReadToTheFileIoForSettingsItDoesNotReproduce() {
    Map<String, String> usable = io.properties();
    assertThat(eligible(usable)).isTrue();

    assertThat(eligible(with(usable, "s3.remote-signing-enabled", "true"))).isFalse();
    assertThat(eligible(with(usable, "client.assume-role.arn", "arn:aws:iam::1:role/r"))).isFalse();
    assertThat(eligible(with(usable, "client.credentials-provider", "x.Provider"))).isFalse();
    assertThat(eligible(with(usable, "s3.access-points.warehouse", "arn:ap"))).isFalse();
    Map<String, String> customerKey = with(usable, "s3.sse.type", "custom");
    customerKey.put("s3.sse.key", "a2V5");
    customerKey.put("s3.sse.md5", "bWQ1");
    assertThat(eligible(customerKey)).isFalse();
    assertThat(eligible(with(usable, "s3.path-style-access", "false"))).isFalse();
    assertThat(eligible(with(usable, "http-client.proxy-endpoint", "http://127.0.0.1:3128")))
        .isFalse();
    assertThat(eligible(with(usable, "s3.endpoint", usable.get("s3.endpoint") + "/base")))
        .isFalse();
    assertThat(eligible(without(usable, "s3.endpoint"))).isFalse();
    Map<String, String> noKeys = without(usable, "s3.secret-access-key");
    noKeys.remove("s3.access-key-id");
    assertThat(eligible(noKeys)).isFalse();
    assertThat(eligible(without(usable, "client.region"))).isFalse();
    assertThat(DirectS3Reads.of(new InMemoryFileIO())).isEmpty();

    // settings of writes, deletes and retries change nothing about a GET
    assertThat(eligible(with(usable, "s3.multipart.num-threads", "4"))).isTrue();
    assertThat(eligible(with(usable, "s3.sse.type", "kms"))).isTrue();
    assertThat(eligible(with(usable, "s3.retry.num-retries", "3"))).isTrue();
    assertThat(eligible(with(usable, "http-client.apache.socket-timeout-ms", "5000"))).isTrue();
  }

  @Test
  void signsOnlyLocationsItCanNameExactly() {
    assertThat(DirectS3Reads.requestPath("s3://bucket/a b/c=d.parquet"))
        .isEqualTo("/bucket/a%20b/c%3Dd.parquet");
    assertThat(DirectS3Reads.requestPath("s3a://bucket/k")).isEqualTo("/bucket/k");
    assertThat(DirectS3Reads.requestPath("s3://bucket/k?versionId=1")).isNull();
    assertThat(DirectS3Reads.requestPath("s3://bucket/k#x")).isNull();
    assertThat(DirectS3Reads.requestPath("gs://bucket/k")).isNull();
    assertThat(DirectS3Reads.requestPath("s3://bucket/")).isNull();
    assertThat(DirectS3Reads.requestPath("s3:///k")).isNull();
  }

  private static boolean eligible(Map<String, String> properties) {
    try (S3FileIO s3 = new S3FileIO()) {
      s3.initialize(properties);
      return DirectS3Reads.of(s3).isPresent();
    }
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> changed = new HashMap<>(base);
    changed.put(key, value);
    return changed;
  }

  private static Map<String, String> without(Map<String, String> base, String key) {
    Map<String, String> changed = new HashMap<>(base);
    changed.remove(key);
    return changed;
  }

  private void write(String location, byte[] bytes) throws IOException {
    try (OutputStream out = io.newOutputFile(location).createOrOverwrite()) {
      out.write(bytes);
    }
  }

  private byte[] readThroughFileIo(String location) throws IOException {
    try (InputStream in = io.newInputFile(location).newStream()) {
      return in.readAllBytes();
    }
  }
}
