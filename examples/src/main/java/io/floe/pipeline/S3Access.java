package io.floe.pipeline;

import io.floe.stack.StackEndpoints;
import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The object store of a stack as plain S3: a client, and where {@code s3://} paths point. */
public final class S3Access {
  private S3Access() {}

  /** An S3 client for the stack's object store; the caller closes it. */
  public static S3Client client(StackEndpoints endpoints) {
    S3ClientBuilder builder =
        S3Client.builder()
            .forcePathStyle(endpoints.s3PathStyleAccess())
            .region(Region.of(endpoints.s3Region()))
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(endpoints.s3AccessKey(), endpoints.s3SecretKey())));
    if (!endpoints.s3Endpoint().isEmpty()) {
      builder.endpointOverride(URI.create(endpoints.s3Endpoint()));
    }
    return builder.build();
  }

  /** The bucket of the warehouse ({@code s3://warehouse/} gives {@code warehouse}). */
  public static String warehouseBucket(StackEndpoints endpoints) {
    return S3Location.parse(endpoints.warehouse()).bucket();
  }

  /**
   * An {@code s3://bucket/key} location for {@code path}: itself when it has a scheme, else a key
   * in the warehouse bucket.
   */
  public static S3Location resolve(StackEndpoints endpoints, String path) {
    if (path.contains("://")) {
      return S3Location.parse(path);
    }
    String key = path.startsWith("/") ? path.substring(1) : path;
    return new S3Location(warehouseBucket(endpoints), key);
  }
}
