package no.followup.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import no.followup.common.RunUntilShutdown;
import no.followup.common.ServiceLogging;
import no.followup.common.crypto.MasterKey;
import no.followup.common.cli.KafkaOptions;
import no.followup.common.cli.MasterKeyRequirement;
import no.followup.common.cli.SignInOptions;
import no.followup.common.cli.TopicOptions;
import no.followup.common.kafka.KafkaConnection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine;

/** Command line entry point of the status application. */
@Command(name = "followup-status", mixinStandardHelpOptions = true,
    description = "Live participant status and tallies (Kafka Streams) with an HTTP query API.")
public final class StatusMain implements Callable<Integer> {

  @Mixin KafkaOptions kafka;

  @Mixin TopicOptions topics;

  @Mixin SignInOptions signIn;

  @Option(names = "--application-id", defaultValue = "${env:STATUS_APPLICATION_ID:-followup-status}",
      description = "Kafka Streams application id (default: ${DEFAULT-VALUE}).")
  String applicationId;

  @Option(names = "--instance-id", defaultValue = "${env:INSTANCE_ID:-1}",
      description = "This instance's id: unique per instance, the same across its restarts (default: ${DEFAULT-VALUE}).")
  String instanceId;

  @Option(names = "--state-dir", defaultValue = "${env:STATE_DIR:-${sys:java.io.tmpdir}/followup-status-state}",
      description = "Kafka Streams state directory (default: ${DEFAULT-VALUE}).")
  Path stateDir;

  @Option(names = "--http-host", defaultValue = "${env:HTTP_HOST:-127.0.0.1}", description = "HTTP bind address.")
  String httpHost;

  @Option(names = "--http-port", defaultValue = "${env:HTTP_PORT:-8082}", description = "HTTP port.")
  int httpPort;

  @Option(names = "--commit-interval-ms", defaultValue = "${env:STATUS_COMMIT_INTERVAL_MS:-200}",
      description = "Streams commit interval in ms.")
  long commitIntervalMs;

  @Option(names = "--zone", defaultValue = "${env:STATUS_ZONE:-Europe/Oslo}", description = "Time zone for dates.")
  String zone;

  @Option(names = "--stream-threads", defaultValue = "${env:STATUS_STREAM_THREADS:-1}",
      description = "Kafka Streams threads of this instance; at most one per partition does work (default: ${DEFAULT-VALUE}).")
  int streamThreads;

  @Option(names = "--audit-log", defaultValue = "${env:AUDIT_LOG:-}",
      description = "Audit log of the API's person-level reads (default: audit.log in <state-dir>-audit, beside the state).")
  String auditLog;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    KafkaConnection connection = kafka.connection();
    StatusConfig defaults = StatusConfig.defaults(connection.bootstrapServers(), kafka.schemaRegistryUrl());
    StatusConfig cfg = new StatusConfig(connection, kafka.schemaRegistryUrl(), applicationId, stateDir, httpHost, httpPort,
        topics.partitions(), topics.replicationFactor(), Duration.ofMillis(commitIntervalMs), defaults.tallyRefreshInterval(),
        ZoneId.of(zone), defaults.startupTimeout(), instanceId,
        signIn.signIn(), streamThreads, auditLog == null || auditLog.isBlank() ? null : Path.of(auditLog));
    MasterKeyRequirement.check(spec.commandLine(), cfg.signIn().local(), MasterKey.fromConfiguration().isPresent(),
        "the status service must read sealed payloads: without the key it takes every enrolment and exit as missing");
    StatusApp app = StatusApp.start(cfg);
    return RunUntilShutdown.closeOnShutdown(app, "status");
  }

  public static void main(String[] args) {
    ServiceLogging.useServiceConfiguration();
    System.exit(new CommandLine(new StatusMain()).execute(args));
  }
}
