package no.followup.intake;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.SpecificAvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads the committed records of the events topic the way downstream consumers do (read_committed). */
final class EventTopic {

  /** One record: key, raw value bytes and the value decoded with our deserializer. */
  record Stored(String key, byte[] bytes, FollowUpEvent event) {}

  private final String bootstrapServers;
  private final String registryUrl;

  EventTopic(String bootstrapServers, String registryUrl) {
    this.bootstrapServers = bootstrapServers;
    this.registryUrl = registryUrl;
  }

  /** Every committed record, from the beginning to the current end. */
  List<Stored> readAll() {
    SpecificAvroDeserializer<FollowUpEvent> values = new SpecificAvroDeserializer<>(FollowUpEvent.class);
    values.configure(Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registryUrl), false);
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<String, byte[]> consumer =
             new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      String topic = Topics.EVENTS.name();
      List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      List<Stored> stored = new ArrayList<>();
      Instant deadline = Instant.now().plusSeconds(60);
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
        if (Instant.now().isAfter(deadline)) {
          throw new IllegalStateException("could not read the events topic to its end within 60 s");
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          stored.add(new Stored(record.key(), record.value(), values.deserialize(topic, record.value())));
        }
      }
      return stored;
    }
  }

  List<Stored> withKey(String participantId) {
    return readAll().stream().filter(s -> participantId.equals(s.key())).toList();
  }
}
