package io.floe.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.function.Function;
import java.util.zip.CRC32;
import org.apache.iceberg.Table;
import org.apache.iceberg.aws.s3.S3FileIO;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.inmemory.InMemoryFileIO;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.io.PositionOutputStream;
import org.apache.iceberg.rest.RESTCatalog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One signed GET per small object and one PUT per file, against the real object store, and when
 * they must not be used.
 */
@ExtendWith(LakehouseExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DirectS3Test {
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
    DirectS3 direct = DirectS3.forReads(io).orElseThrow();
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
    DirectS3 direct = DirectS3.forReads(io).orElseThrow();
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
    try (S3FileIO other = new S3FileIO()) {
      other.initialize(wrongSecret());
      DirectS3 direct = DirectS3.forReads(other).orElseThrow();

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
    assertThat(DirectS3.forReads(new InMemoryFileIO())).isEmpty();

    // settings of writes, deletes and retries change nothing about a GET
    assertThat(eligible(with(usable, "s3.multipart.num-threads", "4"))).isTrue();
    assertThat(eligible(with(usable, "s3.sse.type", "kms"))).isTrue();
    assertThat(eligible(with(usable, "s3.retry.num-retries", "3"))).isTrue();
    assertThat(eligible(with(usable, "http-client.apache.socket-timeout-ms", "5000"))).isTrue();
  }

  @Test
  void writesWhatTheFileIoReadsWhateverTheKey() throws IOException {
    DirectS3 direct = DirectS3.forWrites(io).orElseThrow();
    Random random = new Random(11);
    for (String name : List.of("plain.parquet", "category=a b/ü+d%e (1).parquet")) {
      for (int size : new int[] {0, 1, 300_000}) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        String location = base + "written/" + size + "/" + name;

        assertThat(direct.write(location, size, crc32(bytes), out -> out.write(bytes)))
            .as(location)
            .isTrue();
        assertThat(io.newInputFile(location).getLength()).as(location).isEqualTo(size);
        if (size > 0) {
          assertThat(readThroughFileIo(location)).as(location).isEqualTo(bytes);
        }
      }
    }
  }

  @Test
  void aWriteTheStoreRefusesAnswersFalse() throws IOException {
    byte[] bytes = {4, 5, 6};
    try (S3FileIO other = new S3FileIO()) {
      other.initialize(wrongSecret());
      DirectS3 denied = DirectS3.forWrites(other).orElseThrow();

      assertThat(denied.write(base + "refused/three.bin", 3, crc32(bytes), out -> out.write(bytes)))
          .isFalse();
    }
    assertThat(io.newInputFile(base + "refused/three.bin").exists()).isFalse();
    // a body shorter than announced never becomes an object
    DirectS3 direct = DirectS3.forWrites(io).orElseThrow();
    assertThat(direct.write(base + "short/three.bin", 4, crc32(bytes), out -> out.write(bytes)))
        .isFalse();
    assertThat(io.newInputFile(base + "short/three.bin").exists()).isFalse();
    // nor do bytes that are not the ones whose checksum was sent
    assertThat(
            direct.write(base + "corrupt/three.bin", 3, crc32(bytes) ^ 1, out -> out.write(bytes)))
        .isFalse();
    assertThat(io.newInputFile(base + "corrupt/three.bin").exists()).isFalse();
  }

  @Test
  void writesOnlyWhereAPutNeedsNothingMore() {
    Map<String, String> usable = io.properties();
    assertThat(writable(usable)).isTrue();

    assertThat(writable(with(usable, "s3.sse.type", "s3"))).isFalse();
    assertThat(writable(with(usable, "s3.sse.type", "kms"))).isFalse();
    assertThat(writable(with(usable, "s3.acl", "bucket-owner-full-control"))).isFalse();
    assertThat(writable(with(usable, "s3.write.storage-class", "STANDARD_IA"))).isFalse();
    assertThat(writable(with(usable, "s3.write.tags.team", "data"))).isFalse();
    assertThat(writable(with(usable, "s3.checksum-enabled", "true"))).isFalse();
    // settings a read refuses, a write refuses too
    assertThat(writable(with(usable, "s3.remote-signing-enabled", "true"))).isFalse();
    // reads stay direct where only writes cannot be
    assertThat(eligible(with(usable, "s3.sse.type", "kms"))).isTrue();

    assertThat(writable(with(usable, "s3.sse.type", "none"))).isTrue();
    assertThat(writable(with(usable, "s3.checksum-enabled", "false"))).isTrue();
    assertThat(writable(with(usable, "s3.multipart.size", "5242880"))).isTrue();
  }

  @Test
  void anOutputFileIsStoredWhenClosedDirectOrThroughTheFileIo() throws IOException {
    Random random = new Random(13);
    byte[] small = new byte[200_000];
    random.nextBytes(small);
    // the smallest part S3FileIO accepts: a larger file is handed to its stream as it grows
    Map<String, String> smallParts = with(io.properties(), "s3.multipart.size", "5242880");
    byte[] large = new byte[6 << 20];
    random.nextBytes(large);
    try (S3FileIO parts = new S3FileIO();
        S3FileIO denied = new S3FileIO()) {
      parts.initialize(smallParts);
      denied.initialize(wrongSecret());
      for (byte[] bytes : List.of(small, large)) {
        String location = base + "outputs/" + bytes.length + ".bin";
        OutputFile file = DirectS3Output.wrapper(parts).apply(io.newOutputFile(location));
        assertThat(file).isInstanceOf(DirectS3Output.class);
        try (PositionOutputStream out = file.create()) {
          // in pieces of every size, as a Parquet writer writes
          int at = 0;
          for (int piece = 1; at < bytes.length; piece = piece * 3 % 70_001 + 1) {
            int length = Math.min(piece, bytes.length - at);
            if (length == 1) {
              out.write(bytes[at]);
            } else {
              out.write(bytes, at, length);
            }
            at += length;
            assertThat(out.getPos()).isEqualTo(at);
          }
        }
        assertThat(readThroughFileIo(location)).as(location).isEqualTo(bytes);
        assertThatThrownBy(file::create).isInstanceOf(AlreadyExistsException.class);
      }

      // a small file is stored by the direct PUT alone: here the FileIO's own upload would be
      // refused
      String direct = base + "outputs/direct.bin";
      OutputFile directOnly =
          new DirectS3Output(
              denied.newOutputFile(direct), DirectS3.forWrites(io).orElseThrow(), 32L << 20);
      try (PositionOutputStream out = directOnly.createOrOverwrite()) {
        out.write(small);
      }
      assertThat(readThroughFileIo(direct)).isEqualTo(small);

      // a PUT the store refuses is repeated through the FileIO, which holds the right secret
      String location = base + "outputs/refused.bin";
      OutputFile file =
          new DirectS3Output(
              io.newOutputFile(location), DirectS3.forWrites(denied).orElseThrow(), 32L << 20);
      try (PositionOutputStream out = file.createOrOverwrite()) {
        out.write(small);
      }
      assertThat(readThroughFileIo(location)).isEqualTo(small);
    }
    // no setting a direct write cannot honour: the FileIO's own output file
    try (S3FileIO encrypted = new S3FileIO()) {
      encrypted.initialize(with(io.properties(), "s3.sse.type", "s3"));
      OutputFile own = encrypted.newOutputFile(base + "outputs/own.bin");
      assertThat(DirectS3Output.wrapper(encrypted).apply(own)).isSameAs(own);
    }
  }

  private static long crc32(byte[] bytes) {
    CRC32 crc = new CRC32();
    crc.update(bytes);
    return crc.getValue();
  }

  private static boolean writable(Map<String, String> properties) {
    return direct(properties, DirectS3::forWrites);
  }

  @Test
  void signsOnlyLocationsItCanNameExactly() {
    assertThat(DirectS3.requestPath("s3://bucket/a b/c=d.parquet"))
        .isEqualTo("/bucket/a%20b/c%3Dd.parquet");
    assertThat(DirectS3.requestPath("s3a://bucket/k")).isEqualTo("/bucket/k");
    assertThat(DirectS3.requestPath("s3://bucket/k?versionId=1")).isNull();
    assertThat(DirectS3.requestPath("s3://bucket/k#x")).isNull();
    assertThat(DirectS3.requestPath("gs://bucket/k")).isNull();
    assertThat(DirectS3.requestPath("s3://bucket/")).isNull();
    assertThat(DirectS3.requestPath("s3:///k")).isNull();
  }

  private static boolean eligible(Map<String, String> properties) {
    return direct(properties, DirectS3::forReads);
  }

  /** Whether {@code choice} gives direct requests for an S3 FileIO with {@code properties}. */
  private static boolean direct(
      Map<String, String> properties, Function<FileIO, Optional<DirectS3>> choice) {
    try (S3FileIO s3 = new S3FileIO()) {
      s3.initialize(properties);
      return choice.apply(s3).isPresent();
    }
  }

  /** This store's settings with a secret key it does not accept. */
  private Map<String, String> wrongSecret() {
    return with(io.properties(), "s3.secret-access-key", "not-the-secret");
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
