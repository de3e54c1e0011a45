package no.followup.dashboard;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Objects;
import no.followup.dashboard.auth.OidcSettings;

/**
 * Settings of the dashboard.
 *
 * @param bootstrapServers Kafka bootstrap servers
 * @param schemaRegistryUrl schema registry url
 * @param intakeUrl base url of the intake service (tasks marked done become events there)
 * @param host address the HTTP server binds to
 * @param port HTTP port; 0 picks a free one
 * @param authMode LOCAL (one-time token, the embedded default) or OIDC (bearer tokens)
 * @param oidc the OIDC settings; required in OIDC mode
 * @param auditLogPath the audit log file (JSON lines)
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
 */
public record DashboardConfig(
    String bootstrapServers,
    String schemaRegistryUrl,
    String intakeUrl,
    String host,
    int port,
    AuthMode authMode,
    OidcSettings oidc,
    Path auditLogPath,
    ZoneId zone,
    Clock clock,
    boolean createTopics,
    int topicPartitions,
    short replicationFactor,
    Duration pushInterval,
    Duration pendingTimeout,
    Duration sessionTtl,
    int noContactDays,
    int missedLookbackDays) {

  /** How requests are authenticated. */
  public enum AuthMode { LOCAL, OIDC }

  public static final int DEFAULT_PORT = 8088;
  public static final ZoneId OSLO = ZoneId.of("Europe/Oslo");

  public DashboardConfig {
    Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(intakeUrl, "intakeUrl");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(authMode, "authMode");
    Objects.requireNonNull(auditLogPath, "auditLogPath");
    Objects.requireNonNull(zone, "zone");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(pushInterval, "pushInterval");
    Objects.requireNonNull(pendingTimeout, "pendingTimeout");
    Objects.requireNonNull(sessionTtl, "sessionTtl");
    if (authMode == AuthMode.OIDC && oidc == null) {
      throw new IllegalArgumentException("OIDC mode needs the OIDC settings (issuer, audience)");
    }
    if (port < 0 || topicPartitions < 1 || replicationFactor < 1 || noContactDays < 1 || missedLookbackDays < 1) {
      throw new IllegalArgumentException("invalid dashboard settings: " + this);
    }
  }

  /** Local defaults: port 8088, local sign-in, audit log {@code <dataDir>/audit.log}, Europe/Oslo. */
  public static DashboardConfig defaults(String bootstrapServers, String schemaRegistryUrl, String intakeUrl, Path dataDir) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, "127.0.0.1", DEFAULT_PORT, AuthMode.LOCAL,
        null, dataDir.resolve("audit.log"), OSLO, Clock.systemUTC(), true, 3, (short) 1, Duration.ofMillis(200),
        Duration.ofMinutes(10), Duration.ofHours(12), 14, 7);
  }

  public DashboardConfig withHttp(String newHost, int newPort) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, newHost, newPort, authMode, oidc,
        auditLogPath, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withOidc(OidcSettings settings) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, AuthMode.OIDC, settings,
        auditLogPath, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withAuditLogPath(Path path) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, authMode, oidc,
        path, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withClock(Clock newClock) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, authMode, oidc,
        auditLogPath, zone, newClock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withZone(ZoneId newZone) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, authMode, oidc,
        auditLogPath, newZone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withTopics(boolean create, int partitions, short replication) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, authMode, oidc,
        auditLogPath, zone, clock, create, partitions, replication, pushInterval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withPushInterval(Duration interval) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, authMode, oidc,
        auditLogPath, zone, clock, createTopics, topicPartitions, replicationFactor, interval, pendingTimeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }

  public DashboardConfig withPendingTimeout(Duration timeout) {
    return new DashboardConfig(bootstrapServers, schemaRegistryUrl, intakeUrl, host, port, authMode, oidc,
        auditLogPath, zone, clock, createTopics, topicPartitions, replicationFactor, pushInterval, timeout,
        sessionTtl, noContactDays, missedLookbackDays);
  }
}
