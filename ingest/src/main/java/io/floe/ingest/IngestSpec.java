package io.floe.ingest;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * What one ingest run does, read from the properties file the launcher wrote (it holds JDBC
 * passwords, so it is a file readable by its owner only, not command-line arguments).
 *
 * <pre>
 * run-id, namespace, ingested-at, sources=N,
 * source.I.kind = jdbc | files | kafka, source.I.target, and per kind:
 *   jdbc:  url, user, password, table (schema.table), mode (incremental|full), watermark,
 *          lookback-ms
 *   files: location (s3://...), format (csv|tsv|jsonl), compression (auto|gzip|none), header, columns
 *   kafka: bootstrap, topic, trigger (available-now|continuous), interval-ms, run-for-ms,
 *          checkpoint, starting-offsets, columns
 * </pre>
 */
record IngestSpec(String runId, String namespace, Instant ingestedAt, List<Source> sources) {

  /** One source of the run. */
  record Source(int index, Properties properties) {
    String kind() {
      return required("kind");
    }

    String target() {
      return required("target");
    }

    String required(String key) {
      String value = properties.getProperty(key);
      if (value == null) {
        throw new IllegalArgumentException(
            "ingest spec: source." + index + "." + key + " is missing");
      }
      return value;
    }

    String optional(String key, String fallback) {
      return properties.getProperty(key, fallback);
    }
  }

  static IngestSpec read(Path file) throws IOException {
    Properties all = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      all.load(in);
    }
    int count = Integer.parseInt(all.getProperty("sources", "0"));
    List<Source> sources = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String prefix = "source." + i + ".";
      Properties own = new Properties();
      for (String key : all.stringPropertyNames()) {
        if (key.startsWith(prefix)) {
          own.setProperty(key.substring(prefix.length()), all.getProperty(key));
        }
      }
      sources.add(new Source(i, own));
    }
    return new IngestSpec(
        all.getProperty("run-id"),
        all.getProperty("namespace", "bronze"),
        Instant.parse(all.getProperty("ingested-at")),
        sources);
  }

  String table(String target) {
    return namespace + "." + target;
  }
}
