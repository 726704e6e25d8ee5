package io.floe.examples.junit;

import io.floe.examples.EcommerceUpstream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Starts the example upstreams (PostgreSQL and Kafka) once per test JVM and hands tests the running
 * {@link EcommerceUpstream}. Test classes isolate themselves with a database, topic and landing
 * prefix of their own (e.g. named after their Lakehouse namespace).
 */
public final class UpstreamExtension implements ParameterResolver {
  private static final ExtensionContext.Namespace STORE =
      ExtensionContext.Namespace.create(UpstreamExtension.class);

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == EcommerceUpstream.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(STORE)
        .getOrComputeIfAbsent(Shared.class, key -> Shared.start(), Shared.class)
        .upstream;
  }

  /** The upstream shared by every test class of this JVM, stopped when its tests end. */
  static final class Shared implements ExtensionContext.Store.CloseableResource {
    final EcommerceUpstream upstream;

    private Shared(EcommerceUpstream upstream) {
      this.upstream = upstream;
    }

    static Shared start() {
      try {
        Files.createDirectories(Path.of("target"));
        Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "floe-upstream-");
        return new Shared(EcommerceUpstream.start(home));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      upstream.close();
    }
  }
}
