package io.floe.bench;

import io.floe.core.config.FloeConfig;
import java.nio.file.Path;

/** Configurations of the embedded stack that benchmarks start for themselves. */
public final class BenchStack {
  private BenchStack() {}

  /**
   * S3 and the REST catalog on free ports in {@code home}, Spark in local mode, and no Trino (an
   * external URL that is never opened), for benchmarks that do not query.
   */
  public static FloeConfig withoutTrino(Path home) {
    return FloeConfig.parse(
            "(bench)",
            """
            catalog: {port: 0}
            storage: {port: 0}
            trino: {deployment: external, url: 'jdbc:trino://127.0.0.1:1'}
            spark: {master: 'local[2]', driver-memory: 2g}
            """,
            System::getenv,
            home)
        .withHome(home);
  }
}
