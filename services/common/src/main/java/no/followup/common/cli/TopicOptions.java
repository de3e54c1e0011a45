package no.followup.common.cli;

import picocli.CommandLine.Option;

/**
 * Settings of the topics a service creates at startup when they are missing; use with
 * {@code @Mixin}. Defaults come from {@code TOPIC_PARTITIONS} and {@code TOPIC_REPLICATION_FACTOR}.
 */
public final class TopicOptions {

  @Option(names = "--partitions", defaultValue = "${env:TOPIC_PARTITIONS:-3}",
      description = "Partitions of topics created (default: ${DEFAULT-VALUE}).")
  private int partitions;

  @Option(names = "--replication-factor", defaultValue = "${env:TOPIC_REPLICATION_FACTOR:-1}",
      description = "Replication factor of topics created (default: ${DEFAULT-VALUE}).")
  private short replicationFactor;

  public int partitions() {
    return partitions;
  }

  public short replicationFactor() {
    return replicationFactor;
  }
}
