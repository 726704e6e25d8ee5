package io.floe.app.pipeline;

import io.floe.catalog.TableRef;
import io.floe.core.config.ConfigNode;
import io.floe.core.config.FloeConfig;
import io.floe.quality.Suite;
import io.floe.quality.Suites;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The quality suites the e-commerce example ships with, merged under the suites {@code floe.yaml}
 * declares: a table's suite in the configuration replaces the example's for that table.
 */
public final class ExampleSuites {
  static final String RESOURCE = "/io/floe/app/examples/ecommerce-suites.yaml";

  private ExampleSuites() {}

  /** The example's suites, with the configuration's own suites taking precedence. */
  public static Map<TableRef, Suite> withExamples(FloeConfig config) {
    return withExamples(Suites.load(config));
  }

  /** The example's suites, with {@code declared} (the configuration's) taking precedence. */
  public static Map<TableRef, Suite> withExamples(Map<TableRef, Suite> declared) {
    Map<TableRef, Suite> suites = new LinkedHashMap<>(ecommerce());
    suites.putAll(declared);
    return suites;
  }

  /** The built-in e-commerce suites. */
  public static Map<TableRef, Suite> ecommerce() {
    ConfigNode root = ConfigNode.parse("(built-in " + RESOURCE + ")", read(), System::getenv);
    Map<TableRef, Suite> suites = new LinkedHashMap<>();
    for (String name : root.names()) {
      TableRef table = TableRef.parse(name);
      suites.put(table, Suites.parse(table, root.section(name)));
    }
    return suites;
  }

  private static String read() {
    try (InputStream in = ExampleSuites.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + RESOURCE);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
