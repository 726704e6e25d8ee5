package io.floe.stack.junit;

import java.net.URI;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.MinIOContainer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** MinIO in Docker, used as the object store when a Docker engine answers. */
final class DockerMinio implements AutoCloseable {
  private static final String IMAGE = "minio/minio:RELEASE.2025-04-22T22-12-26Z";

  private final MinIOContainer container;

  private DockerMinio(MinIOContainer container) {
    this.container = container;
  }

  static boolean dockerAnswers() {
    if ("false".equalsIgnoreCase(System.getenv("FLOE_TEST_DOCKER"))) {
      return false;
    }
    try {
      return DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  static DockerMinio start(String bucket) {
    MinIOContainer container = new MinIOContainer(IMAGE);
    container.start();
    DockerMinio minio = new DockerMinio(container);
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(URI.create(minio.endpoint()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(minio.accessKey(), minio.secretKey())))
            .build()) {
      s3.createBucket(b -> b.bucket(bucket));
    }
    return minio;
  }

  String endpoint() {
    return container.getS3URL();
  }

  String accessKey() {
    return container.getUserName();
  }

  String secretKey() {
    return container.getPassword();
  }

  @Override
  public void close() {
    container.stop();
  }
}
