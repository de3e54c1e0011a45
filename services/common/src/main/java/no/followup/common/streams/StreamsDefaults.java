package no.followup.common.streams;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import no.followup.common.ErasureDeadline;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.metrics.ServiceMetrics;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The base configuration every Kafka Streams application of the pipeline starts from:
 * <ul>
 *   <li>{@code exactly_once_v2} (which also reads input {@code read_committed});</li>
 *   <li>a short commit interval (default {@value #DEFAULT_COMMIT_INTERVAL_MS} ms): under EOS output
 *       becomes visible to read_committed consumers only at commit, so this is the latency of the
 *       pipeline;</li>
 *   <li>one stream thread (the machine is small; scale out with instances, not threads);</li>
 *   <li>bounded RocksDB memory ({@link BoundedRocksDbConfigSetter}) and a small record cache;</li>
 *   <li>one standby replica of every store, so another instance takes over a failed one's state warm;</li>
 *   <li>payload-free dead-letter handlers ({@link DeadLetters}) writing to {@link Topics#DEAD_LETTER};</li>
 *   <li>internal topics (changelogs, repartition topics) created with the settings that bound how long
 *       an erased participant's values stay on them ({@link ErasureDeadline});</li>
 *   <li>producer batches of up to {@value #PRODUCER_BATCH_BYTES} bytes (see there);</li>
 *   <li>String keys by default.</li>
 * </ul>
 * Usage: {@code StreamsDefaults.builder("followup-status", kafka).stateDir(dir).build()};
 * anything else goes in with {@link Builder#with(String, Object)}, which wins over the defaults.
 */
public final class StreamsDefaults {

  public static final long DEFAULT_COMMIT_INTERVAL_MS = 200;
  public static final long DEFAULT_STATESTORE_CACHE_BYTES = 1024 * 1024;
  public static final int DEFAULT_STANDBY_REPLICAS = 1;
  /**
   * The producer's {@code batch.size}, against Kafka's 16 KiB. A stateful application writes a
   * changelog record per store write, several per input record; with 16 KiB batches the status
   * service sent a produce request for every few dozen of them, and the broker, on the same cores,
   * spent its time on requests. Measured with the benchmark (status over a pre-loaded topic, three
   * runs each, 300,000 events): 0.19-0.20 of the count ceiling at 10 events per participant and
   * 0.073-0.084 at 100 with 16 KiB; 0.24 and 0.096-0.099 with 256 KiB. A batch is sent at the
   * commit whether full or not, so this adds no latency under exactly-once.
   */
  public static final int PRODUCER_BATCH_BYTES = 256 * 1024;

  private StreamsDefaults() {}

  /** For a broker that needs no authentication: topology tests, the local stack. */
  public static Builder builder(String applicationId, String bootstrapServers) {
    return builder(applicationId, KafkaConnection.plaintext(bootstrapServers));
  }

  /** Streams' clients (consumers, producers, admin) all connect with {@code kafka}'s security settings. */
  public static Builder builder(String applicationId, KafkaConnection kafka) {
    return new Builder(applicationId, kafka);
  }

  /**
   * Closes {@code streams} and leaves the consumer group. Streams stays in the group on a plain
   * close, so a restarted instance waits for the session timeout (45 s) before it gets its tasks;
   * leaving hands them over at once.
   *
   * @return true when every thread stopped within {@code timeout}
   */
  public static boolean closeLeavingGroup(KafkaStreams streams, Duration timeout) {
    return streams.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
        .withTimeout(timeout));
  }

  /** Collects settings; {@link #build()} / {@link #toMap()} produce the Streams configuration. */
  public static final class Builder {
    private final String applicationId;
    private final KafkaConnection kafka;
    private Path stateDir;
    private Duration commitInterval = Duration.ofMillis(DEFAULT_COMMIT_INTERVAL_MS);
    private int replicationFactor = -1; // -1: the broker's default.replication.factor
    private int streamThreads = 1;
    private long stateStoreCacheBytes = DEFAULT_STATESTORE_CACHE_BYTES;
    private long rocksDbTotalBytes = BoundedRocksDbConfigSetter.DEFAULT_TOTAL_BYTES;
    private String deadLetterTopic = Topics.DEAD_LETTER.name();
    private String instanceId;
    private int standbyReplicas = DEFAULT_STANDBY_REPLICAS;
    private final Map<String, Object> overrides = new LinkedHashMap<>();

    private Builder(String applicationId, KafkaConnection kafka) {
      this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
      this.kafka = Objects.requireNonNull(kafka, "kafka");
    }

    public Builder stateDir(Path dir) {
      this.stateDir = dir;
      return this;
    }

    public Builder commitInterval(Duration interval) {
      this.commitInterval = Objects.requireNonNull(interval);
      return this;
    }

    /** Replication factor of internal topics (changelogs, repartition topics). */
    public Builder replicationFactor(int factor) {
      this.replicationFactor = factor;
      return this;
    }

    public Builder streamThreads(int threads) {
      this.streamThreads = threads;
      return this;
    }

    public Builder stateStoreCacheBytes(long bytes) {
      this.stateStoreCacheBytes = bytes;
      return this;
    }

    /** Total RocksDB budget of the JVM (shared by every store; see {@link BoundedRocksDbConfigSetter}). */
    public Builder rocksDbTotalBytes(long bytes) {
      this.rocksDbTotalBytes = bytes;
      return this;
    }

    public Builder deadLetterTopic(String topic) {
      this.deadLetterTopic = Objects.requireNonNull(topic);
      return this;
    }

    /**
     * Static group membership ({@code group.instance.id} = application id + "-" + this id; Streams
     * adds the thread index): an instance restarted after a crash takes its tasks back at once,
     * instead of the group waiting out its dead predecessor's session (45 s). The id must be unique
     * per instance and stay the same across its restarts; two live instances with one id fence each other.
     */
    public Builder instanceId(String id) {
      this.instanceId = id;
      return this;
    }

    /** Counts dead-lettered records on the service's registry (see {@link ServiceMetrics#REGISTRY_CONFIG}). */
    public Builder metrics(ServiceMetrics metrics) {
      return with(ServiceMetrics.REGISTRY_CONFIG, metrics.registry());
    }

    /**
     * Standby replicas per stateful task (default {@value #DEFAULT_STANDBY_REPLICAS}): another
     * instance keeps a warm copy of each store, so when an instance dies its tasks move to one
     * that is already caught up and serve again within seconds instead of restoring the changelog
     * from the beginning. Without a second instance nothing is placed.
     */
    public Builder standbyReplicas(int replicas) {
      this.standbyReplicas = replicas;
      return this;
    }

    /** Sets {@code schema.registry.url}, read by the Avro serdes the application configures. */
    public Builder schemaRegistryUrl(String url) {
      return with("schema.registry.url", url);
    }

    /** Any other setting; wins over the defaults above. */
    public Builder with(String key, Object value) {
      overrides.put(key, value);
      return this;
    }

    /** Other settings; win over the defaults above. */
    public Builder with(Map<String, ?> settings) {
      overrides.putAll(settings);
      return this;
    }

    public Map<String, Object> toMap() {
      Map<String, Object> c = new LinkedHashMap<>(kafka.clientConfig());
      c.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
      if (stateDir != null) {
        c.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toAbsolutePath().toString());
      }
      c.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
      c.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitInterval.toMillis());
      c.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, streamThreads);
      c.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, replicationFactor);
      c.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, standbyReplicas);
      c.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, stateStoreCacheBytes);
      c.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbConfigSetter.class);
      c.put(BoundedRocksDbConfigSetter.TOTAL_BYTES_CONFIG, rocksDbTotalBytes);
      c.put(StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, deadLetterTopic);
      c.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.DeserializationHandler.class);
      c.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.ProcessingHandler.class);
      c.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetters.ProductionHandler.class);
      c.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
      c.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), PRODUCER_BATCH_BYTES);
      // EOS already implies read_committed; stated so nobody "fixes" it by overriding the guarantee.
      c.put(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG), "read_committed");
      ErasureDeadline.topicConfigs().forEach((name, value) -> c.put(StreamsConfig.topicPrefix(name), value));
      if (instanceId != null) {
        c.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), applicationId + "-" + instanceId);
      }
      c.putAll(overrides);
      return c;
    }

    public Properties build() {
      Properties p = new Properties();
      p.putAll(toMap());
      return p;
    }
  }
}
