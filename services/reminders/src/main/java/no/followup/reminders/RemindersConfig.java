package no.followup.reminders;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import no.followup.common.kafka.KafkaConnection;

/**
 * Settings of the reminders application.
 *
 * @param kafka where Kafka is and how to authenticate to it
 * @param schemaRegistryUrl schema registry url ({@code mock://...} only in unit tests)
 * @param autoRegisterSchemas whether the topic serdes register schemas (false where a deploy step does)
 * @param applicationId Kafka Streams application id (prefix of its changelog topics and consumer group)
 * @param stateDir Kafka Streams state directory (RocksDB stores; the changelogs are the durable copy)
 * @param httpHost interface the health server binds to (127.0.0.1; 0.0.0.0 in a container)
 * @param httpPort port of the health server (0: any free port)
 * @param topicPartitions partitions of topics this application creates when missing
 * @param replicationFactor replication factor of topics it creates, and of its changelogs
 * @param commitInterval Streams commit interval: under exactly-once, output is visible at commit
 * @param startupTimeout how long {@link RemindersApp#start} waits for the application to run
 * @param rules the reminder rules
 * @param topology punctuation interval and event deduplication window
 * @param streamsOverrides further Kafka Streams settings (e.g. {@code consumer.session.timeout.ms}); win over the defaults
 * @param clock the wall clock every rule reads (quiet hours, lead and grace times, inactivity, monthly
 *     review, history cutoff) and the timers fire by; the system clock in production, moved with
 *     {@link #withClock} to run the application at a chosen hour
 * @param instanceId this instance's id, unique per instance and stable across its restarts (static
 *     group membership: a restarted instance takes its tasks back at once)
 */
public record RemindersConfig(
    KafkaConnection kafka,
    String schemaRegistryUrl,
    boolean autoRegisterSchemas,
    String applicationId,
    Path stateDir,
    String httpHost,
    int httpPort,
    int topicPartitions,
    short replicationFactor,
    Duration commitInterval,
    Duration startupTimeout,
    ReminderRules rules,
    RemindersTopology.Options topology,
    Map<String, String> streamsOverrides,
    Clock clock,
    String instanceId) {

  public static final String DEFAULT_APPLICATION_ID = "followup-reminders";

  public RemindersConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(applicationId, "applicationId");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(httpHost, "httpHost");
    Objects.requireNonNull(commitInterval, "commitInterval");
    Objects.requireNonNull(startupTimeout, "startupTimeout");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(instanceId, "instanceId");
    streamsOverrides = Map.copyOf(streamsOverrides);
  }

  /**
   * Defaults for everything but where Kafka (a broker without authentication), the registry and the state
   * live; HTTP on any free port; the system clock.
   */
  public static RemindersConfig defaults(String bootstrapServers, String schemaRegistryUrl, Path stateDir) {
    return new RemindersConfig(KafkaConnection.plaintext(bootstrapServers), schemaRegistryUrl, true, DEFAULT_APPLICATION_ID, stateDir, "127.0.0.1", 0, 3, (short) 1,
        Duration.ofMillis(100), Duration.ofSeconds(120), ReminderRules.defaults(), RemindersTopology.Options.defaults(), Map.of(),
        Clock.systemUTC(), "1");
  }

  public RemindersConfig withInstanceId(String value) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, httpHost, httpPort, topicPartitions,
        replicationFactor, commitInterval, startupTimeout, rules, topology, streamsOverrides, clock, value);
  }

  public RemindersConfig withHttpPort(int port) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, httpHost, port, topicPartitions,
        replicationFactor, commitInterval, startupTimeout, rules, topology, streamsOverrides, clock, instanceId);
  }

  public RemindersConfig withRules(ReminderRules value) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, httpHost, httpPort, topicPartitions,
        replicationFactor, commitInterval, startupTimeout, value, topology, streamsOverrides, clock, instanceId);
  }

  public RemindersConfig withStreamsOverrides(Map<String, String> overrides) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, httpHost, httpPort, topicPartitions,
        replicationFactor, commitInterval, startupTimeout, rules, topology, overrides, clock, instanceId);
  }

  public RemindersConfig withApplicationId(String id) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, id, stateDir, httpHost, httpPort, topicPartitions,
        replicationFactor, commitInterval, startupTimeout, rules, topology, streamsOverrides, clock, instanceId);
  }

  public RemindersConfig withTopicPartitions(int partitions) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, httpHost, httpPort, partitions,
        replicationFactor, commitInterval, startupTimeout, rules, topology, streamsOverrides, clock, instanceId);
  }

  /**
   * Runs the application on {@code value} instead of the system clock, e.g.
   * {@code Clock.offset(Clock.systemUTC(), shift)} to see quiet hours or a DST night now. The clock
   * must move forward (Streams times its commits with it). Records are stamped with this clock, and
   * a broker refuses records stamped more than {@code message.timestamp.after.max.ms} (1 h by
   * default) ahead of its own clock, which sends the reminders to the dead-letter topic: move the
   * clock back, not forward (every hour of the day is at most 24 h back), or raise that setting.
   */
  public RemindersConfig withClock(Clock value) {
    return new RemindersConfig(kafka, schemaRegistryUrl, autoRegisterSchemas, applicationId, stateDir, httpHost, httpPort, topicPartitions,
        replicationFactor, commitInterval, startupTimeout, rules, topology, streamsOverrides, value, instanceId);
  }
}
