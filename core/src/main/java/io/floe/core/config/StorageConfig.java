package io.floe.core.config;

import static java.util.Objects.requireNonNull;

import java.util.Optional;

/**
 * The {@code storage} section: the S3-compatible object store holding table data.
 *
 * @param deployment embedded (Floe's own S3 server) or external (MinIO, S3, any S3 API)
 * @param endpoint the S3 endpoint of an external store; absent means AWS's own
 * @param accessKey the access key; the embedded store generates one when absent
 * @param secretKey the secret key; the embedded store generates one when absent
 * @param region the S3 region
 * @param pathStyleAccess whether buckets are addressed by path (MinIO and the embedded store)
 * @param port the port of the embedded S3 server (0 picks a free one)
 * @param bucket the bucket of the warehouse, created by the embedded store
 */
public record StorageConfig(
    Deployment deployment,
    Optional<String> endpoint,
    Optional<String> accessKey,
    Optional<String> secretKey,
    String region,
    boolean pathStyleAccess,
    int port,
    String bucket) {
  public static final String DEPLOYMENT = "deployment";
  public static final Deployment DEPLOYMENT_DEFAULT = Deployment.EMBEDDED;
  public static final String ENDPOINT = "endpoint";
  public static final String ACCESS_KEY = "access-key";
  public static final String SECRET_KEY = "secret-key";
  public static final String REGION = "region";
  public static final String REGION_DEFAULT = "us-east-1";
  public static final String PATH_STYLE_ACCESS = "path-style-access";
  public static final boolean PATH_STYLE_ACCESS_DEFAULT = true;
  public static final String PORT = "port";
  public static final int PORT_DEFAULT = 9000;
  public static final String BUCKET = "bucket";
  public static final String BUCKET_DEFAULT = "warehouse";

  public StorageConfig {
    requireNonNull(deployment, "deployment is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(accessKey, "accessKey is null");
    requireNonNull(secretKey, "secretKey is null");
    requireNonNull(region, "region is null");
    requireNonNull(bucket, "bucket is null");
  }

  static StorageConfig read(ConfigNode node) {
    node.allowOnly(
        DEPLOYMENT, ENDPOINT, ACCESS_KEY, SECRET_KEY, REGION, PATH_STYLE_ACCESS, PORT, BUCKET);
    Deployment deployment = node.enumValue(DEPLOYMENT, Deployment.class, DEPLOYMENT_DEFAULT);
    Optional<String> accessKey = node.optionalString(ACCESS_KEY);
    Optional<String> secretKey = node.optionalString(SECRET_KEY);
    if (deployment == Deployment.EXTERNAL && (accessKey.isEmpty() || secretKey.isEmpty())) {
      throw node.error(
          node.key(accessKey.isEmpty() ? ACCESS_KEY : SECRET_KEY),
          "required when storage.deployment is external");
    }
    return new StorageConfig(
        deployment,
        node.optionalString(ENDPOINT),
        accessKey,
        secretKey,
        node.string(REGION, REGION_DEFAULT),
        node.bool(PATH_STYLE_ACCESS, PATH_STYLE_ACCESS_DEFAULT),
        node.integer(PORT, PORT_DEFAULT, 0, 65535),
        node.string(BUCKET, BUCKET_DEFAULT));
  }
}
