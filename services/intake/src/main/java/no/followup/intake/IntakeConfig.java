package no.followup.intake;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.auth.LocalToken;
import no.followup.common.auth.SignIn;

/**
 * Settings of the intake service.
 *
 * @param kafka where Kafka is and how to authenticate to it
 * @param schemaRegistryUrl schema registry url ({@code mock://scope} only in unit tests)
 * @param host address the HTTP server binds to
 * @param port HTTP port; 0 picks a free one
 * @param maxBodyBytes largest accepted request body; larger ones get 413
 * @param autoRegisterSchemas register the event schema on first use (off where a deploy step registers schemas)
 * @param createTopics create the events topic at startup when it is missing
 * @param topicPartitions partitions of a topic created at startup
 * @param replicationFactor replication factor of a topic created at startup
 * @param ackTimeout how long a caller waits for the broker's acknowledgement before getting 503
 * @param transactionalProducers transactional producers for batches (batches run in parallel up to this many)
 * @param maxBatchEvents most events in one batch request
 * @param recentEventIds how many recently accepted eventIds are remembered to skip resends
 * @param clock the time of receipt (default recordedAt, "future" checks)
 * @param signIn how callers of the API are signed in
 */
public record IntakeConfig(
    KafkaConnection kafka,
    String schemaRegistryUrl,
    String host,
    int port,
    long maxBodyBytes,
    boolean autoRegisterSchemas,
    boolean createTopics,
    int topicPartitions,
    short replicationFactor,
    Duration ackTimeout,
    int transactionalProducers,
    int maxBatchEvents,
    int recentEventIds,
    Clock clock,
    SignIn signIn) {

  public static final String DEFAULT_HOST = "127.0.0.1";
  public static final int DEFAULT_PORT = 8080;
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final int DEFAULT_PARTITIONS = 3;
  public static final Duration DEFAULT_ACK_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_TRANSACTIONAL_PRODUCERS = 2;
  public static final int DEFAULT_MAX_BATCH_EVENTS = 1000;
  public static final int DEFAULT_RECENT_EVENT_IDS = 50_000;

  public IntakeConfig {
    Objects.requireNonNull(kafka, "kafka");
    Objects.requireNonNull(schemaRegistryUrl, "schemaRegistryUrl");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(ackTimeout, "ackTimeout");
    Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(signIn, "signIn");
    if (port < 0 || maxBodyBytes < 1 || topicPartitions < 1 || replicationFactor < 1 || transactionalProducers < 1
        || maxBatchEvents < 1 || recentEventIds < 0) {
      throw new IllegalArgumentException("invalid intake settings: port " + port + ", maxBodyBytes " + maxBodyBytes
          + ", topicPartitions " + topicPartitions + ", replicationFactor " + replicationFactor
          + ", transactionalProducers " + transactionalProducers + ", maxBatchEvents " + maxBatchEvents
          + ", recentEventIds " + recentEventIds);
    }
    if (ackTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
      throw new IllegalArgumentException("ackTimeout must be at least 2 s");
    }
  }

  /**
   * The settings named in the service's description, for a broker without authentication; everything
   * else at its default. Callers sign in with a fresh local token, known only through
   * {@link #signIn()}: nobody else gets in.
   */
  public IntakeConfig(String bootstrapServers, String schemaRegistryUrl, int port, long maxBodyBytes,
      boolean autoRegisterSchemas, Clock clock) {
    this(KafkaConnection.plaintext(bootstrapServers), schemaRegistryUrl, DEFAULT_HOST, port, maxBodyBytes, autoRegisterSchemas, true,
        DEFAULT_PARTITIONS, (short) 1, DEFAULT_ACK_TIMEOUT, DEFAULT_TRANSACTIONAL_PRODUCERS, DEFAULT_MAX_BATCH_EVENTS,
        DEFAULT_RECENT_EVENT_IDS, clock, SignIn.local(LocalToken.generate()));
  }

  /** Defaults for a local setup: port 8080, 1 MiB bodies, auto-registered schemas, topics created. */
  public static IntakeConfig defaults(String bootstrapServers, String schemaRegistryUrl) {
    return new IntakeConfig(bootstrapServers, schemaRegistryUrl, DEFAULT_PORT, DEFAULT_MAX_BODY_BYTES, true,
        Clock.systemUTC());
  }

  public IntakeConfig withHost(String value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, value, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents,
        recentEventIds, clock, signIn);
  }

  public IntakeConfig withPort(int value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, value, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents,
        recentEventIds, clock, signIn);
  }

  public IntakeConfig withMaxBodyBytes(long value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, value, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents,
        recentEventIds, clock, signIn);
  }

  public IntakeConfig withAutoRegisterSchemas(boolean value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, value,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents,
        recentEventIds, clock, signIn);
  }

  public IntakeConfig withTopics(boolean create, int partitions, short replication) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        create, partitions, replication, ackTimeout, transactionalProducers, maxBatchEvents, recentEventIds, clock, signIn);
  }

  public IntakeConfig withAckTimeout(Duration value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, value, transactionalProducers, maxBatchEvents,
        recentEventIds, clock, signIn);
  }

  public IntakeConfig withTransactionalProducers(int value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, value, maxBatchEvents, recentEventIds, clock, signIn);
  }

  public IntakeConfig withMaxBatchEvents(int value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, value, recentEventIds,
        clock, signIn);
  }

  public IntakeConfig withRecentEventIds(int value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents, value,
        clock, signIn);
  }

  public IntakeConfig withSignIn(SignIn value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents,
        recentEventIds, clock, value);
  }

  public IntakeConfig withClock(Clock value) {
    return new IntakeConfig(kafka, schemaRegistryUrl, host, port, maxBodyBytes, autoRegisterSchemas,
        createTopics, topicPartitions, replicationFactor, ackTimeout, transactionalProducers, maxBatchEvents,
        recentEventIds, value, signIn);
  }
}
