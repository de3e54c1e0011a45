package no.followup.status;

import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;

/**
 * Settings of the status application.
 *
 * @param kafka                where Kafka is and how to authenticate to it
 * @param schemaRegistryUrl    schema registry url ({@code mock://scope} in unit tests)
 * @param applicationId        Kafka Streams application.id (prefix of internal topics, consumer group)
 * @param stateDir             Kafka Streams state directory
 * @param httpHost             interface the HTTP API binds to
 * @param httpPort             HTTP port (0 = any free port)
 * @param partitions           partitions of the topics this application creates when missing
 * @param replicationFactor    replication factor of those topics and of internal topics
 * @param commitInterval       Streams commit interval (EOS: the latency of outputs)
 * @param tallyRefreshInterval how often the tally processor checks whether the date changed
 *                             (the 30-day meeting window moves with it)
 * @param zone                 the time zone dates are counted in (meeting days, review lists)
 * @param startupTimeout       how long {@link StatusApp#start} waits for Streams to be RUNNING
 * @param instanceId           this instance's id, unique per instance and stable across its restarts
 *                             (static group membership: a restarted instance takes its tasks back at once)
 * @param signIn               how callers of the HTTP API are signed in (only services and the local user get in)
 * @param streamThreads        Kafka Streams threads of this instance (tasks are shared among them)
 * @param explicitAuditLog     the audit log of the API's person-level reads (JSON lines); null: {@code audit.log}
 *                             in a directory beside the state directory ({@link #auditLog()}), not in it, so that
 *                             removing the state for a rebuild leaves the audit trail
 */
public record StatusConfig(
    KafkaConnection kafka,
    String schemaRegistryUrl,
    String applicationId,
    Path stateDir,
    String httpHost,
    int httpPort,
    int partitions,
    short replicationFactor,
    Duration commitInterval,
    Duration tallyRefreshInterval,
    ZoneId zone,
    Duration startupTimeout,
    String instanceId,
    SignIn signIn,
    int streamThreads,
    Path explicitAuditLog) {

  public static final String DEFAULT_APPLICATION_ID = "followup-status";
  public static final int DEFAULT_HTTP_PORT = 8082;
  public static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  public StatusConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(signIn, "signIn");
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("partitions and replication factor must be at least 1");
    }
    if (streamThreads < 1) {
      throw new IllegalArgumentException("stream threads must be at least 1, not " + streamThreads);
    }
  }

  /**
   * Local defaults: a broker without authentication, port 8082, 3 partitions, replication 1, Europe/Oslo,
   * state under java.io.tmpdir. Callers sign in with a fresh local token, known only through
   * {@link #signIn()}: nobody else gets in.
   */
  public static StatusConfig defaults(String bootstrapServers, String schemaRegistryUrl) {
    return new StatusConfig(KafkaConnection.plaintext(bootstrapServers), schemaRegistryUrl, DEFAULT_APPLICATION_ID,
        Path.of(System.getProperty("java.io.tmpdir"), "followup-status-state"),
        "127.0.0.1", DEFAULT_HTTP_PORT, 3, (short) 1,
        Duration.ofMillis(200), Duration.ofMinutes(10), OSLO, Duration.ofSeconds(90), "1",
        SignIn.local(LocalToken.generate()), 1, null);
  }

  public StatusConfig withApplicationId(String id) {
    return new StatusConfig(kafka, schemaRegistryUrl, id, stateDir, httpHost, httpPort, partitions,
        replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, signIn,
        streamThreads, explicitAuditLog);
  }

  public StatusConfig withStateDir(Path dir) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, dir, httpHost, httpPort, partitions,
        replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, signIn,
        streamThreads, explicitAuditLog);
  }

  public StatusConfig withHttp(String host, int port) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, host, port, partitions,
        replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, signIn,
        streamThreads, explicitAuditLog);
  }

  public StatusConfig withTopics(int partitionCount, short replication) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, httpHost, httpPort,
        partitionCount, replication, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, signIn,
        streamThreads, explicitAuditLog);
  }

  public StatusConfig withInstanceId(String id) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, httpHost, httpPort,
        partitions, replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, id, signIn,
        streamThreads, explicitAuditLog);
  }

  public StatusConfig withSignIn(SignIn value) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, httpHost, httpPort,
        partitions, replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, value,
        streamThreads, explicitAuditLog);
  }

  public StatusConfig withStreamThreads(int threads) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, httpHost, httpPort,
        partitions, replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, signIn,
        threads, explicitAuditLog);
  }

  public StatusConfig withAuditLog(Path file) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, httpHost, httpPort,
        partitions, replicationFactor, commitInterval, tallyRefreshInterval, zone, startupTimeout, instanceId, signIn,
        streamThreads, file);
  }

  /** The audit log file: the one given, or {@code <state directory>-audit/audit.log}. */
  public Path auditLog() {
    return explicitAuditLog != null ? explicitAuditLog
        : stateDir.resolveSibling(stateDir.getFileName() + "-audit").resolve("audit.log");
  }

  public StatusConfig withTallyRefreshInterval(Duration interval) {
    return new StatusConfig(kafka, schemaRegistryUrl, applicationId, stateDir, httpHost, httpPort,
        partitions, replicationFactor, commitInterval, interval, zone, startupTimeout, instanceId, signIn,
        streamThreads, explicitAuditLog);
  }
}
