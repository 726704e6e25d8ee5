package io.floe.stack.junit;

import io.floe.core.config.FloeConfig;
import io.floe.stack.EmbeddedStack;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts one embedded lakehouse per test JVM (S3, REST catalog, Trino on free ports) and hands each
 * test class a {@link Lakehouse} with a namespace of its own, so classes never collide.
 *
 * <p>Where a Docker engine answers, the object store is Testcontainers' MinIO instead of the
 * embedded S3 server; everything else is the same.
 */
public final class LakehouseExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(LakehouseExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Lakehouse.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    SharedStack shared =
        context
            .getRoot()
            .getStore(STORE)
            .getOrComputeIfAbsent(SharedStack.class, key -> SharedStack.start(), SharedStack.class);
    ExtensionContext classContext = classContext(context);
    String namespace =
        classContext
            .getStore(STORE)
            .getOrComputeIfAbsent(
                "namespace",
                key -> namespaceFor(classContext.getRequiredTestClass()),
                String.class);
    return new Lakehouse(shared.config, shared.stack.endpoints(), namespace, shared.objectStore);
  }

  private static ExtensionContext classContext(ExtensionContext context) {
    ExtensionContext current = context;
    while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
      current = current.getParent().get();
    }
    return current;
  }

  static String namespaceFor(Class<?> testClass) {
    String base =
        testClass.getSimpleName().replaceAll("[^A-Za-z0-9]", "_").toLowerCase(Locale.ROOT);
    return "t_" + base + "_" + UUID.randomUUID().toString().substring(0, 6);
  }

  /** The stack shared by every test class of this JVM, closed when the JVM's tests end. */
  static final class SharedStack implements ExtensionContext.Store.CloseableResource {
    final FloeConfig config;
    final EmbeddedStack stack;
    final String objectStore;
    private final AutoCloseable minio;

    private SharedStack(
        FloeConfig config, EmbeddedStack stack, String objectStore, AutoCloseable minio) {
      this.config = config;
      this.stack = stack;
      this.objectStore = objectStore;
      this.minio = minio;
    }

    static SharedStack start() {
      Path home;
      try {
        Files.createDirectories(Path.of("target"));
        home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "floe-stack-");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      String storage = "storage: {port: 0}";
      AutoCloseable minio = null;
      String objectStore = "embedded S3 server (S3Proxy)";
      if (DockerMinio.dockerAnswers()) {
        DockerMinio container = DockerMinio.start("warehouse");
        minio = container;
        objectStore = "MinIO (Testcontainers)";
        storage =
            "storage: {deployment: external, endpoint: '%s', access-key: '%s', secret-key: '%s', bucket: warehouse}"
                .formatted(container.endpoint(), container.accessKey(), container.secretKey());
      }
      String yaml =
          """
          catalog: {port: 0}
          %s
          trino: {port: 0, heap: 2G}
          spark: {master: 'local[2]', driver-memory: 1g}
          """
              .formatted(storage);
      FloeConfig config =
          FloeConfig.parse("(test stack)", yaml, System::getenv, home).withHome(home);
      EmbeddedStack stack =
          EmbeddedStack.builder(config)
              .trinoCatalogProperties(
                  Map.of(
                      "iceberg.expire-snapshots.min-retention", "0s",
                      "iceberg.remove-orphan-files.min-retention", "0s"))
              .start();
      return new SharedStack(config, stack, objectStore, minio);
    }

    @Override
    public void close() throws Exception {
      stack.close();
      if (minio != null) {
        minio.close();
      }
    }
  }
}
