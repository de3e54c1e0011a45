package no.followup.common.cli;

import picocli.CommandLine.Option;

/**
 * Where a service finds Kafka and the schema registry; use with {@code @Mixin}. Defaults come from
 * {@code KAFKA_BOOTSTRAP_SERVERS} and {@code SCHEMA_REGISTRY_URL}, else the local stack's addresses.
 */
public final class KafkaOptions {

  @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
  private String bootstrapServers;

  @Option(names = "--schema-registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
      description = "Schema registry url (default: ${DEFAULT-VALUE}).")
  private String schemaRegistryUrl;

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }
}
