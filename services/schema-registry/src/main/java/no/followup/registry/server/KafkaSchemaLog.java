package no.followup.registry.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import no.followup.registry.CompatibilityLevel;
import no.followup.registry.SchemaRegistryState;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the registry in a compacted, single-partition Kafka topic, in the record layout of the
 * Confluent Schema Registry: JSON keys such as {@code {"keytype":"SCHEMA","subject":..,"version":..,"magic":1}}
 * and {@code {"keytype":"CONFIG","subject":..,"magic":0}}, JSON values. One partition keeps all
 * changes in order; compaction keeps the latest value per key, which is all a replay needs.
 *
 * <p>A single writer is assumed (this process): the topic is read to its end at start, and each
 * change is written and acknowledged by the broker (acks=all) before it is applied and answered.
 */
final class KafkaSchemaLog implements SchemaLog {

  private static final Logger log = LoggerFactory.getLogger(KafkaSchemaLog.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final String bootstrapServers;
  private final String topic;
  private final ObjectMapper json = new ObjectMapper();
  private KafkaProducer<byte[], byte[]> producer;

  KafkaSchemaLog(String bootstrapServers, String topic) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
  }

  @Override
  public void load(SchemaRegistryState state) {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      ensureTopic(admin);
    }
    int records = readToEnd(state);
    producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 0,
        ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis(),
        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis() / 2),
        new ByteArraySerializer(), new ByteArraySerializer());
    log.info("Read {} records of topic {}: {} subjects", records, topic, state.subjects().size());
  }

  @Override
  public void write(SchemaRegistryState.NewVersion version) throws Exception {
    ObjectNode key = json.createObjectNode()
        .put("keytype", "SCHEMA").put("subject", version.subject()).put("version", version.version()).put("magic", 1);
    ObjectNode value = json.createObjectNode()
        .put("subject", version.subject()).put("version", version.version()).put("id", version.id())
        .put("schema", version.schema().toString()).put("deleted", false);
    send(key, value);
  }

  @Override
  public void write(SchemaRegistryState.ConfigChange change) throws Exception {
    ObjectNode key = json.createObjectNode().put("keytype", "CONFIG");
    key.put("subject", change.subject()).put("magic", 0);
    ObjectNode value = change.level() == null ? null : json.createObjectNode().put("compatibilityLevel", change.level().name());
    send(key, value);
  }

  private void send(ObjectNode key, ObjectNode value) throws Exception {
    byte[] valueBytes = value == null ? null : json.writeValueAsBytes(value);
    producer.send(new ProducerRecord<>(topic, 0, json.writeValueAsBytes(key), valueBytes))
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void ensureTopic(Admin admin) {
    try {
      Set<String> existing = admin.listTopics().names().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (!existing.contains(topic)) {
        int brokers = admin.describeCluster().nodes().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
        short replication = (short) Math.min(3, brokers);
        NewTopic newTopic = new NewTopic(topic, 1, replication).configs(Map.of(
            TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
        try {
          admin.createTopics(List.of(newTopic)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          log.info("Created schema topic {} (1 partition, compacted, replication factor {})", topic, replication);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      verifyTopicOnceVisible(admin);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while preparing schema topic " + topic, e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("could not prepare schema topic " + topic + ": " + e.getMessage(), e);
    }
  }

  /**
   * A topic just created may not be in the metadata of the broker answering yet: describing it then
   * fails with UnknownTopicOrPartition for a moment, so that one error is retried until the timeout.
   */
  private void verifyTopicOnceVisible(Admin admin) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (true) {
      try {
        verifyTopic(admin);
        return;
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof org.apache.kafka.common.errors.UnknownTopicOrPartitionException) || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
  }

  /** Refuses a topic that would lose schemas (deleted by retention) or reorder them (several partitions), as Confluent's registry does. */
  private void verifyTopic(Admin admin) throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
    TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
        .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
    if (description.partitions().size() != 1) {
      throw new IllegalStateException("schema topic " + topic + " must have exactly 1 partition, has " + description.partitions().size());
    }
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    Config config = admin.describeConfigs(List.of(resource)).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource);
    String policy = config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value();
    if (!policy.equals(TopicConfig.CLEANUP_POLICY_COMPACT)) {
      throw new IllegalStateException("schema topic " + topic + " must have cleanup.policy=compact, has " + policy);
    }
  }

  private int readToEnd(SchemaRegistryState state) {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition), TIMEOUT).get(partition);
      long deadline = System.nanoTime() + TIMEOUT.toNanos() * 4;
      int records = 0;
      while (consumer.position(partition, TIMEOUT) < end) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("timed out reading schema topic " + topic + " to offset " + end);
        }
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
          apply(state, record);
          records++;
        }
      }
      return records;
    }
  }

  private void apply(SchemaRegistryState state, ConsumerRecord<byte[], byte[]> record) {
    JsonNode key;
    JsonNode value;
    try {
      key = json.readTree(record.key());
      value = record.value() == null ? null : json.readTree(record.value());
    } catch (IOException | RuntimeException e) {
      log.warn("Skipping unreadable record at offset {} of {}: {}", record.offset(), topic, e.toString());
      return;
    }
    try {
      applyRecord(state, record, key, value);
    } catch (RuntimeException e) {
      // the topic may be written by anything with access: one bad record must not keep the registry down
      log.warn("Skipping unusable record at offset {} of {}: {}", record.offset(), topic, e.getClass().getName());
    }
  }

  private void applyRecord(SchemaRegistryState state, ConsumerRecord<byte[], byte[]> record, JsonNode key, JsonNode value) {
    String keyType = key.path("keytype").asText();
    switch (keyType) {
      case "SCHEMA" -> {
        String subject = key.path("subject").asText();
        int version = key.path("version").asInt();
        if (value == null || value.path("deleted").asBoolean(false)) {
          state.removeVersion(subject, version);
        } else if (!value.path("schemaType").asText("AVRO").equals("AVRO")) {
          log.warn("Skipping {} schema of subject '{}' version {}: only AVRO is supported", value.path("schemaType").asText(), subject, version);
        } else {
          state.applyVersion(subject, version, value.path("id").asInt(), SchemaRegistryState.parse(value.path("schema").asText()));
        }
      }
      case "CONFIG" -> {
        String subject = key.hasNonNull("subject") ? key.get("subject").asText() : null;
        CompatibilityLevel level = value == null || !value.hasNonNull("compatibilityLevel") ? null
            : CompatibilityLevel.parse(value.get("compatibilityLevel").asText());
        state.applyConfig(new SchemaRegistryState.ConfigChange(subject, level));
      }
      default -> log.debug("Ignoring {} record at offset {} of {}", keyType, record.offset(), topic);
    }
  }

  @Override
  public void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
  }
}
