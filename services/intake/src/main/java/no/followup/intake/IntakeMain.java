package no.followup.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the intake service until SIGTERM. */
@Command(name = "followup-intake", mixinStandardHelpOptions = true,
    description = "HTTP intake for follow-up events: validates them and publishes them to Kafka.")
public final class IntakeMain implements Callable<Integer> {

  @Option(names = "--bootstrap-servers", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-127.0.0.1:9092}",
      description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE})")
  String bootstrapServers;

  @Option(names = "--schema-registry-url", defaultValue = "${env:SCHEMA_REGISTRY_URL:-http://127.0.0.1:8081}",
      description = "Schema registry url (default: ${DEFAULT-VALUE})")
  String schemaRegistryUrl;

  @Option(names = "--host", defaultValue = "${env:INTAKE_HOST:-127.0.0.1}",
      description = "Address to listen on (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--port", defaultValue = "${env:INTAKE_PORT:-8080}", description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--max-body-bytes", defaultValue = "${env:INTAKE_MAX_BODY_BYTES:-1048576}",
      description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE})")
  long maxBodyBytes;

  @Option(names = "--auto-register-schemas", arity = "1", defaultValue = "${env:AUTO_REGISTER_SCHEMAS:-true}",
      description = "Register the event schema on first use (default: ${DEFAULT-VALUE})")
  boolean autoRegisterSchemas;

  @Option(names = "--create-topics", arity = "1", defaultValue = "${env:CREATE_TOPICS:-true}",
      description = "Create the events topic at startup when missing (default: ${DEFAULT-VALUE})")
  boolean createTopics;

  @Option(names = "--partitions", defaultValue = "${env:TOPIC_PARTITIONS:-3}",
      description = "Partitions of a topic created at startup (default: ${DEFAULT-VALUE})")
  int partitions;

  @Option(names = "--replication-factor", defaultValue = "${env:TOPIC_REPLICATION_FACTOR:-1}",
      description = "Replication factor of a topic created at startup (default: ${DEFAULT-VALUE})")
  short replicationFactor;

  @Option(names = "--ack-timeout-seconds", defaultValue = "${env:INTAKE_ACK_TIMEOUT_SECONDS:-10}",
      description = "How long to wait for the broker before answering 503 (default: ${DEFAULT-VALUE})")
  int ackTimeoutSeconds;

  @Option(names = "--transactional-producers", defaultValue = "${env:INTAKE_TRANSACTIONAL_PRODUCERS:-2}",
      description = "Batches written in parallel (default: ${DEFAULT-VALUE})")
  int transactionalProducers;

  @Option(names = "--max-batch-events", defaultValue = "${env:INTAKE_MAX_BATCH_EVENTS:-1000}",
      description = "Most events in one batch (default: ${DEFAULT-VALUE})")
  int maxBatchEvents;

  IntakeConfig config() {
    return new IntakeConfig(bootstrapServers, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, partitions, replicationFactor, Duration.ofSeconds(ackTimeoutSeconds), transactionalProducers,
        maxBatchEvents, IntakeConfig.DEFAULT_RECENT_EVENT_IDS, Clock.systemUTC());
  }

  @Override
  public Integer call() throws InterruptedException {
    IntakeApp app = IntakeApp.start(config());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      app.close();
      stopped.countDown();
    }, "intake-shutdown"));
    stopped.await();
    return 0;
  }

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "followup-intake-logback.xml");
    }
    int exit = new CommandLine(new IntakeMain()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
