package io.floe.kafkabroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaBrokerMainTest {
  @TempDir Path dir;

  /**
   * One random base64 id in 64 starts with a dash; ids stored by earlier versions may, and the
   * storage tool read such an id as an unknown option and refused to format.
   */
  @Test
  void formatsForAClusterIdStartingWithADash() throws IOException {
    Path logDir = dir.resolve("data");
    Path config = serverProperties(logDir);

    assertThat(KafkaBrokerMain.format(config, "-my2XKAdQTeAqTbUP64dtQ")).isZero();

    Properties meta = new Properties();
    try (var in = Files.newBufferedReader(logDir.resolve("meta.properties"))) {
      meta.load(in);
    }
    assertThat(meta.getProperty("cluster.id")).isEqualTo("-my2XKAdQTeAqTbUP64dtQ");
  }

  private Path serverProperties(Path logDir) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("process.roles", "broker,controller");
    properties.setProperty("node.id", "1");
    properties.setProperty("controller.quorum.voters", "1@127.0.0.1:9093");
    properties.setProperty("controller.listener.names", "CONTROLLER");
    properties.setProperty("listeners", "PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093");
    properties.setProperty("log.dirs", logDir.toString());
    Path file = dir.resolve("server.properties");
    try (Writer out = Files.newBufferedWriter(file)) {
      properties.store(out, null);
    }
    return file;
  }
}
