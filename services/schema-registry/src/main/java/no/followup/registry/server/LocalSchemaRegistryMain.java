package no.followup.registry.server;

import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
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

  @Option(names = "--user", defaultValue = "${env:SCHEMA_REGISTRY_USER:-followup}",
      description = "The user every request must sign in as (HTTP basic auth); its password comes from the environment"
          + " variable " + PASSWORD_VARIABLE + " only, never an argument (default: ${DEFAULT-VALUE}).")
  String user;

  @Option(names = "--open", description = "Let anyone in, without sign-in: only on a loopback address, for a developer's own machine.")
  boolean open;

  static final String PASSWORD_VARIABLE = "SCHEMA_REGISTRY_PASSWORD";

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    LocalSchemaRegistry registry = LocalSchemaRegistry.start(options(System.getenv(PASSWORD_VARIABLE)));
    return RunUntilShutdown.closeOnShutdown(registry, "schema-registry");
  }

  /** Fails closed: without a password nobody is let in, unless {@code --open} was asked for on a loopback address. */
  LocalSchemaRegistry.Options options(String password) {
    var options = new LocalSchemaRegistry.Options(bootstrapServers, host, port, topic, null);
    if (open) {
      if (!isLoopback(host)) {
        throw new ParameterException(spec.commandLine(), "--open is only for a loopback --host (127.0.0.1, ::1, localhost), not " + host);
      }
      return options;
    }
    if (password == null || password.isEmpty()) {
      throw new ParameterException(spec.commandLine(), PASSWORD_VARIABLE + " is not set: the registry lets nobody in without"
          + " a password (or start it with --open on a loopback address)");
    }
    try {
      return options.withUser(new RegistryUser(user, password));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage() + " (" + PASSWORD_VARIABLE + ", --user)");
    }
  }

  private static boolean isLoopback(String address) {
    return address.equals("localhost") || address.equals("::1") || address.startsWith("127.");
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new LocalSchemaRegistryMain()).execute(args));
  }
}
