package io.floe.kafkabroker;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs a single-node KRaft broker from a {@code server.properties} file, formatting its log
 * directory first when it has never been formatted, so one JVM start does both.
 *
 * <p>Arguments: {@code <server.properties> <cluster id>}.
 */
public final class KafkaBrokerMain {
  private KafkaBrokerMain() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: KafkaBrokerMain <server.properties> <cluster id>");
      System.exit(2);
    }
    String serverProperties = args[0];
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(Path.of(serverProperties))) {
      properties.load(in);
    }
    Path logDir = Path.of(properties.getProperty("log.dirs"));
    if (!Files.isRegularFile(logDir.resolve("meta.properties"))) {
      int code = format(Path.of(serverProperties), args[1]);
      if (code != 0) {
        System.err.println("formatting " + logDir + " failed with code " + code);
        System.exit(code);
      }
    }
    kafka.Kafka.main(new String[] {serverProperties});
  }

  /**
   * Formats the log directory of {@code serverProperties} for {@code clusterId}; Kafka's storage
   * tool's exit code. The id is joined to its option with {@code =}: a base64 id may start with a
   * dash, which would otherwise be taken for an option.
   */
  static int format(Path serverProperties, String clusterId) {
    return kafka.tools.StorageTool.execute(
        new String[] {
          "format", "--cluster-id=" + clusterId, "--config", serverProperties.toString()
        },
        System.out);
  }
}
