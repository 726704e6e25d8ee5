package io.floe.stack;

import io.floe.core.config.StorageConfig;
import io.floe.core.error.ErrorCode;
import io.floe.core.error.FloeException;
import io.floe.core.io.OwnerOnlyFiles;
import io.floe.core.process.ChildProcess;
import io.floe.core.process.JavaCommand;
import io.floe.core.process.RuntimeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The embedded object store: S3Proxy on the local file system, standing in for MinIO. A bucket is a
 * directory under {@code <home>/s3/data}.
 */
final class EmbeddedS3 {
  static final String NAME = "S3 server";
  private static final String MAIN_CLASS = "org.gaul.s3proxy.Main";

  /**
   * C1 only, but for the JDK's message digests. The server shares the machine's cores with the work
   * it serves, and C2 compiling its request paths cost more CPU than it saved (over half of its CPU
   * in a compaction benchmark went to C2). But it hashes every byte it receives (SHA-256 to verify
   * signed upload chunks, MD5 for ETags), and only C2 replaces the digests' Java loops with the
   * CPU's hashing instructions: in C1's code they took a sixth of the server's CPU. The first
   * directive a method matches applies.
   */
  private static final String JIT_DIRECTIVES =
      """
      [
        { match: ["sun/security/provider/DigestBase.*", "sun/security/provider/SHA2.*",
                  "sun/security/provider/MD5.*"],
          c2: { Exclude: false } },
        { match: "*.*", c2: { Exclude: true } }
      ]
      """;

  private EmbeddedS3() {}

  static ChildProcess launch(
      RuntimeLayout layout,
      Path home,
      int port,
      StackCredentials credentials,
      StorageConfig config) {
    Path jar = layout.directory().resolve("s3proxy").resolve("s3proxy.jar");
    if (!Files.isRegularFile(jar)) {
      throw new FloeException(
          ErrorCode.NOT_INSTALLED,
          "%s is missing; build Floe first with ./mvnw package -DskipTests".formatted(jar));
    }
    Path dir = home.resolve("s3");
    Path data = dir.resolve("data");
    Path configFile = dir.resolve("s3proxy.properties");
    Path directives = dir.resolve("jit-directives.json");
    try {
      Files.createDirectories(data.resolve(config.bucket()));
      Map<String, String> properties = new LinkedHashMap<>();
      properties.put("s3proxy.endpoint", "http://127.0.0.1:" + port);
      properties.put("s3proxy.authorization", "aws-v2-or-v4");
      properties.put("s3proxy.identity", credentials.s3AccessKey());
      properties.put("s3proxy.credential", credentials.s3SecretKey());
      // Trino's listing sends x-amz-optional-object-attributes, which S3Proxy does not know
      properties.put("s3proxy.ignore-unknown-headers", "true");
      properties.put("jclouds.provider", "filesystem-nio2");
      properties.put("jclouds.filesystem.basedir", data.toAbsolutePath().toString());
      properties.put("jclouds.region", config.region());
      OwnerOnlyFiles.writeProperties(configFile, properties, "written by Floe at every start");
      Files.writeString(directives, JIT_DIRECTIVES);
    } catch (IOException e) {
      throw new FloeException(ErrorCode.INTERNAL_ERROR, "cannot prepare " + dir + ": " + e, e);
    }
    JavaCommand command =
        JavaCommand.of(
                List.of(jar), MAIN_CLASS, "--properties", configFile.toAbsolutePath().toString())
            .withJvmOptions(List.of("-Xmx256m"))
            .withJvmOptions(JavaCommand.quickJitOptions(directives));
    return ChildProcess.start(NAME, command, dir, home.resolve("logs").resolve("s3.log"));
  }

  static void awaitReady(ChildProcess process, String endpoint) {
    // S3Proxy answers an anonymous request with 403 once it serves
    process.awaitReady(
        () -> HttpProbe.status(endpoint, Optional.empty()).isPresent(), Duration.ofSeconds(60));
  }
}
