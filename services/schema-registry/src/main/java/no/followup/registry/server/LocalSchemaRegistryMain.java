package no.followup.registry.server;

import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** Runs the {@link LocalSchemaRegistry} (a local convenience) until SIGTERM. */
@Command(name = "local-schema-registry", mixinStandardHelpOptions = true,
    description = "A local Confluent-compatible schema registry (Avro only) keeping its schemas in a compacted Kafka topic.")
public final class LocalSchemaRegistryMain implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}, env KAFKA_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(names = "--port", defaultValue = "${env:SCHEMA_REGISTRY_PORT:-8081}",
      description = "HTTP port (default: ${DEFAULT-VALUE}, env SCHEMA_REGISTRY_PORT).")
  int port;

  @Option(names = "--host", defaultValue = "${env:SCHEMA_REGISTRY_HOST:-127.0.0.1}",
      description = "Address to listen on; 0.0.0.0 in a container (default: ${DEFAULT-VALUE}, env SCHEMA_REGISTRY_HOST).")
  String host;

  @Option(names = "--topic", defaultValue = "${env:SCHEMA_REGISTRY_TOPIC:-" + LocalSchemaRegistry.DEFAULT_TOPIC + "}",
      description = "Topic the schemas are kept in (default: ${DEFAULT-VALUE}, env SCHEMA_REGISTRY_TOPIC).")
  String topic;

  @Override
  public Integer call() throws InterruptedException {
    LocalSchemaRegistry registry = LocalSchemaRegistry.start(new LocalSchemaRegistry.Options(bootstrapServers, host, port, topic));
    return RunUntilShutdown.closeOnShutdown(registry, "schema-registry");
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new LocalSchemaRegistryMain()).execute(args));
  }
}
