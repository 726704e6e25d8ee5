package io.floe.pipeline;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Kafka topic of JSON messages streamed into one bronze table exactly once. Without {@code
 * bootstrapServers} it is the embedded example broker.
 *
 * @param trigger {@link Trigger#AVAILABLE_NOW} drains what is there and stops (scheduled runs);
 *     {@link Trigger#CONTINUOUS} keeps running with a micro-batch every {@code interval}
 * @param checkpoint the streaming checkpoint: a local directory or an {@code s3://}/{@code s3a://}
 *     location (written through Hadoop's S3A); default {@code s3a://<warehouse
 *     bucket>/_floe/checkpoints/<namespace>.<target>}
 */
public record KafkaSource(
    String name,
    Optional<String> bootstrapServers,
    String topic,
    String target,
    Trigger trigger,
    Duration interval,
    Optional<String> checkpoint,
    String startingOffsets,
    List<Column> columns) {
  public enum Trigger {
    AVAILABLE_NOW,
    CONTINUOUS
  }

  public KafkaSource {
    requireNonNull(name, "name is null");
    requireNonNull(bootstrapServers, "bootstrapServers is null");
    requireNonNull(topic, "topic is null");
    requireNonNull(target, "target is null");
    requireNonNull(trigger, "trigger is null");
    requireNonNull(interval, "interval is null");
    requireNonNull(checkpoint, "checkpoint is null");
    requireNonNull(startingOffsets, "startingOffsets is null");
    columns = List.copyOf(columns);
  }
}
