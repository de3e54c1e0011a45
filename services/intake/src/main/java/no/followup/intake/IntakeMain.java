package no.followup.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.crypto.MasterKey;
import no.followup.common.ServiceLogging;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.MasterKeyRequirement;
import no.followup.common.cli.SchemaRegistrationOptions;
import no.followup.common.cli.SignInOptions;
import no.followup.common.cli.TopicOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Runs the intake service until SIGTERM. */
@Command(name = "followup-intake", mixinStandardHelpOptions = true,
    description = "HTTP intake for follow-up events: validates them and publishes them to Kafka.")
public final class IntakeMain implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Option(names = {"--http-host", "--host"}, defaultValue = "${env:HTTP_HOST:-127.0.0.1}",
      description = "Address to listen on (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = {"--http-port", "--port"}, defaultValue = "${env:HTTP_PORT:-8080}", description = "HTTP port (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--max-body-bytes", defaultValue = "${env:INTAKE_MAX_BODY_BYTES:-1048576}",
      description = "Largest request body; larger ones get 413 (default: ${DEFAULT-VALUE})")
  long maxBodyBytes;

  @Mixin SchemaRegistrationOptions schemas;

  @Mixin SignInOptions signIn;

  @Option(names = "--create-topics", arity = "1", defaultValue = "${env:CREATE_TOPICS:-true}",
      description = "Create the events topic at startup when missing (default: ${DEFAULT-VALUE})")
  boolean createTopics;

  @Mixin TopicOptions topics;

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
    return new IntakeConfig(kafka.connection(), kafka.schemaRegistryUrl(), host, port, maxBodyBytes,
        schemas.autoRegisterSchemas(), createTopics, topics.partitions(), topics.replicationFactor(), Duration.ofSeconds(ackTimeoutSeconds), transactionalProducers,
        maxBatchEvents, IntakeConfig.DEFAULT_RECENT_EVENT_IDS, Clock.systemUTC(), signIn.signIn());
  }

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    IntakeConfig config = config();
    requireSealing(config.signIn().local(), MasterKey.fromConfiguration().isPresent());
    IntakeApp app = IntakeApp.start(config);
    return RunUntilShutdown.closeOnShutdown(app, "intake");
  }

  /** Outside local mode the intake never writes health payloads unsealed ({@link MasterKeyRequirement}). */
  void requireSealing(boolean localMode, boolean masterKeyConfigured) {
    MasterKeyRequirement.check(spec.commandLine(), localMode, masterKeyConfigured,
        "the intake does not write health payloads unsealed");
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    int exit = new CommandLine(new IntakeMain()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
