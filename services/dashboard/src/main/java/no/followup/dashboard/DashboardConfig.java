package no.followup.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.auth.LocalToken;

/**
 * Settings of the dashboard.
 *
 * @param kafka where Kafka is and how to authenticate to it
 * @param schemaRegistryUrl schema registry url
 * @param intakeUrl base url of the intake service (tasks marked done become events there)
 * @param host address the HTTP server binds to
 * @param port HTTP port; 0 picks a free one
 * @param signIn how people sign in, and how the dashboard signs in at the intake
 * @param auditLogPath the audit log file (JSON lines)
 * @param stateDir the read model's store (RocksDB); one per instance, kept across restarts
 * @param zone the zone of "today" and the 30-day window
 * @param clock the clock of the views (injectable for tests)
 * @param createTopics create the topics the dashboard reads when missing (so it can start first)
 * @param topicPartitions partitions of topics created at start
 * @param replicationFactor replication factor of topics created at start
 * @param pushInterval how often changed views are pushed to open pages
 * @param pendingTimeout how long a task marked done waits for its confirmation before showing as open again
 * @param sessionTtl lifetime of a local-mode session
 * @param noContactDays days without contact that put a participant on the "no contact" list
 * @param missedLookbackDays how far back a recorded missed meeting still needs follow-up
 * @param status the status service, whose API serves the participant page's timeline
 */
public record DashboardConfig(
    KafkaConnection kafka,
    String schemaRegistryUrl,
    String intakeUrl,
    String host,
    int port,
    DashboardSignIn signIn,
    Path auditLogPath,
    Path stateDir,
    ZoneId zone,
    Clock clock,
    boolean createTopics,
    int topicPartitions,
    short replicationFactor,
    Duration pushInterval,
    Duration pendingTimeout,
    Duration sessionTtl,
    int noContactDays,
    int missedLookbackDays,
    StatusService status) {

  public static final int DEFAULT_PORT = 8088;
  public static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  /**
   * Where the status service's API is, and the scope of the dashboard's client-credentials token for
   * it (OIDC mode; ignored in local mode, which uses the local token).
   */
  public record StatusService(String url, String tokenScope) {
    public static final String DEFAULT_URL = "http://127.0.0.1:8082";

    public StatusService {
      Objects.requireNonNull(url, "status url");
      tokenScope = tokenScope == null ? "" : tokenScope;
    }
  }

  public DashboardConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(intakeUrl, "intakeUrl");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(signIn, "signIn");
    Objects.requireNonNull(auditLogPath, "auditLogPath");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(pushInterval, "pushInterval");
    Objects.requireNonNull(pendingTimeout, "pendingTimeout");
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    Objects.requireNonNull(status, "status");
    if (port < 0 || topicPartitions < 1 || replicationFactor < 1 || noContactDays < 1 || missedLookbackDays < 1) {
      throw new IllegalArgumentException("invalid dashboard settings: " + this);
    }
  }

  /**
   * Local defaults: a broker without authentication, port 8088, audit log {@code <dataDir>/audit.log},
   * state store {@code <dataDir>/state}, Europe/Oslo. People sign in with a fresh local token, known only through {@link #signIn()} (nobody
   * else gets in), for a Secure cookie.
   */
  public static DashboardConfig defaults(String bootstrapServers, String schemaRegistryUrl, String intakeUrl, Path dataDir) {
    return new DashboardConfig(KafkaConnection.plaintext(bootstrapServers), schemaRegistryUrl, intakeUrl, "127.0.0.1", DEFAULT_PORT,
        DashboardSignIn.local(LocalToken.generate(), true), dataDir.resolve("audit.log"), dataDir.resolve("state"), OSLO, Clock.systemUTC(), true, 3, (short) 1, Duration.ofMillis(200),
        Duration.ofMinutes(10), Duration.ofHours(12), 14, 7,
        new StatusService(StatusService.DEFAULT_URL, ""));
  }

  public DashboardConfig withKafka(KafkaConnection value) {
    return new DashboardConfig(value, schemaRegistryUrl, intakeUrl, host, port, signIn, auditLogPath, stateDir, zone, clock, createTopics,
        topicPartitions, replicationFactor, pushInterval, pendingTimeout, sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withHttp(String newHost, int newPort) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, newHost, newPort, signIn,
        auditLogPath, stateDir, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withSignIn(DashboardSignIn value) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, value,
        auditLogPath, stateDir, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withAuditLogPath(Path path) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        path, stateDir, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withStateDir(Path directory) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, directory, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withClock(Clock newClock) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, stateDir, zone, newClock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withZone(ZoneId newZone) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, stateDir, newZone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withTopics(boolean create, int partitions, short replication) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, stateDir, zone, clock, create, partitions, replication, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withPushInterval(Duration interval) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, stateDir, zone, clock, createTopics, topicPartitions, replicationFactor, interval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withPendingTimeout(Duration timeout) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, stateDir, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, timeout,
        sessionTtl, noContactDays, missedLookbackDays, status);
  }

  public DashboardConfig withStatus(StatusService value) {
    return new DashboardConfig(kafka, schemaRegistryUrl, intakeUrl, host, port, signIn,
        auditLogPath, stateDir, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays, value);
  }
}
