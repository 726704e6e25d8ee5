package io.floe.pipeline;

import io.floe.stack.StackEndpoints;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/** The object store of a stack as plain S3: a client, and where {@code s3://} paths point. */
public final class S3Access {
  private static final String SIMPLE_CREDENTIALS =
      "org.apache.hadoop.fs.s3a.SimpleAWSCredentialsProvider";

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

  /**
   * Spark settings for Hadoop's S3A file system against the stack's object store, for what Spark
   * itself writes through Hadoop (streaming checkpoints); tables go through Iceberg's S3FileIO.
   */
  public static Map<String, String> sparkHadoopConf(StackEndpoints endpoints) {
    String prefix = "spark.hadoop.fs.s3a.";
    Map<String, String> conf = new LinkedHashMap<>();
    if (!endpoints.s3Endpoint().isEmpty()) {
      conf.put(prefix + "endpoint", endpoints.s3Endpoint());
      conf.put(
          prefix + "connection.ssl.enabled",
          Boolean.toString(endpoints.s3Endpoint().startsWith("https:")));
    }
    conf.put(prefix + "endpoint.region", endpoints.s3Region());
    conf.put(prefix + "path.style.access", Boolean.toString(endpoints.s3PathStyleAccess()));
    conf.put(prefix + "aws.credentials.provider", SIMPLE_CREDENTIALS);
    conf.put(prefix + "access.key", endpoints.s3AccessKey());
    conf.put(prefix + "secret.key", endpoints.s3SecretKey());
    return conf;
  }

  /**
   * The Hadoop file system URI of a location: {@code s3://} and {@code s3n://} become {@code
   * s3a://} (Hadoop 3 serves object stores only through S3A); other locations stay as they are.
   */
  public static String hadoopUri(String location) {
    return location.matches("s3n?://.*")
        ? "s3a" + location.substring(location.indexOf(':'))
        : location;
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
