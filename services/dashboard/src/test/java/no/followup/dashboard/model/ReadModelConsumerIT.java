package no.followup.dashboard.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.common.kafka.KafkaConnection;
import no.followup.common.metrics.ServiceMetrics;
import no.followup.dashboard.Fixtures;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.serde.PoisonRecords;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.server.LocalSchemaRegistry;
import no.followup.status.ParticipantStatus;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read model's consumer on a real broker. Poison on every topic the dashboard reads: each record is
 * skipped with a dead-letter pointer, the reading goes on, and the next ordinary record shows within
 * 5 s. A restart reads only the records written since the store's offsets, not the history.
 */
class ReadModelConsumerIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static LocalSchemaRegistry registry;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir.resolve("kafka")));
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      new TopicProvisioner(1, (short) 1).ensure(admin, Topics.ALL);
    }
    registry = LocalSchemaRegistry.start(broker.bootstrapServers(), 0);
  }

  @AfterAll
  static void down() {
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void everyPoisonKindOnEveryInputTopicIsPointedAtAndTheNextRecordStillShows() throws Exception {
    try (ReadModel model = new ReadModel();
        ServiceMetrics metrics = ServiceMetrics.create("dashboard");
        ReadModelConsumer consumer = new ReadModelConsumer(KafkaConnection.plaintext(broker.bootstrapServers()), registry.url(), model,
            Clock.systemUTC(), metrics);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
            "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer());
        SpecificAvroSerializer<ParticipantStatus> statuses = new SpecificAvroSerializer<>()) {
      statuses.configure(Map.of("schema.registry.url", registry.url()), false);
      consumer.start();
      await().atMost(Duration.ofSeconds(60)).until(consumer::caughtUp);

      byte[] status = statuses.serialize(Topics.PARTICIPANT_STATUS.name(),
          Fixtures.status("p-after-poison", "0403", "s-12", Instant.parse("2026-11-01T09:00:00Z")).build());
      Set<String> poisoned = new HashSet<>();
      int kinds = 0;
      for (String topic : ReadModelConsumer.TOPICS) {
        // a status value stands in for "valid Avro of the wrong type" on the other topics
        Map<String, byte[]> poison = PoisonRecords.of(status, status, new Random(7));
        kinds = poison.size();
        for (Map.Entry<String, byte[]> kind : poison.entrySet()) {
          RecordMetadata written = producer.send(new ProducerRecord<>(topic, ("poison-" + kind.getKey().replace(' ', '-'))
              .getBytes(StandardCharsets.UTF_8), kind.getValue())).get();
          poisoned.add(topic + "/" + written.partition() + "/" + written.offset());
        }
      }
      producer.send(new ProducerRecord<>(Topics.PARTICIPANT_STATUS.name(), "p-after-poison".getBytes(StandardCharsets.UTF_8),
          status)).get();

      await().atMost(Duration.ofSeconds(5)).until(() -> model.status("p-after-poison") != null);
      assertThat(consumer.alive()).isTrue();
      // on the status topic, "valid Avro of the wrong type" is a valid status: 6 poison kinds there, 7 elsewhere
      int expectedSkipped = kinds * ReadModelConsumer.TOPICS.size() - 1;
      assertThat(consumer.skippedRecords()).isEqualTo(expectedSkipped);
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
          assertThat(pointers()).hasSize(expectedSkipped).allMatch(poisoned::contains));
      double counted = 0;
      for (String topic : ReadModelConsumer.TOPICS) {
        counted += metrics.registry().get(ServiceMetrics.DEAD_LETTERS).tag("source_topic", topic).counter().count();
      }
      assertThat(counted).isEqualTo(expectedSkipped);
    }
  }

  @Test
  void aRestartReadsOnlyWhatWasWrittenSinceTheStoredOffsets() throws Exception {
    Path store = dir.resolve("restart-store");
    try (SpecificAvroSerializer<ParticipantStatus> statuses = new SpecificAvroSerializer<>();
        ServiceMetrics metrics = ServiceMetrics.create("dashboard");
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
            "acks", "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
      statuses.configure(Map.of("schema.registry.url", registry.url()), false);
      long readAtFirstStart;
      try (ReadModel model = ReadModel.open(store); ReadModelConsumer consumer = consumer(model, metrics)) {
        consumer.start();
        await().atMost(Duration.ofSeconds(60)).until(consumer::caughtUp);
        writeStatuses(producer, statuses, "before-", 20);
        await().atMost(Duration.ofSeconds(10)).until(() -> model.status("before-19") != null);
        readAtFirstStart = consumer.recordsRead();
      }
      writeStatuses(producer, statuses, "while-down-", 5);

      try (ReadModel model = ReadModel.open(store); ReadModelConsumer consumer = consumer(model, metrics)) {
        consumer.start();
        // generous: the machine is shared; what is asserted is what was read, not how fast
        await().atMost(Duration.ofSeconds(60)).until(consumer::caughtUp);
        assertThat(consumer.recordsRead()).as("only the records written while it was down").isEqualTo(5);
        assertThat(model.status("before-0")).isNotNull();
        assertThat(model.status("while-down-4")).isNotNull();
      }
      try (ReadModel fresh = ReadModel.open(dir.resolve("fresh-store")); ReadModelConsumer consumer = consumer(fresh, metrics)) {
        consumer.start();
        await().atMost(Duration.ofSeconds(60)).until(consumer::caughtUp);
        assertThat(consumer.recordsRead()).as("a new store reads everything").isGreaterThanOrEqualTo(readAtFirstStart + 5);
      }
    }
  }

  private static ReadModelConsumer consumer(ReadModel model, ServiceMetrics metrics) {
    return new ReadModelConsumer(KafkaConnection.plaintext(broker.bootstrapServers()), registry.url(), model,
        Clock.systemUTC(), metrics);
  }

  private static void writeStatuses(KafkaProducer<byte[], byte[]> producer, SpecificAvroSerializer<ParticipantStatus> statuses,
      String prefix, int count) throws Exception {
    for (int i = 0; i < count; i++) {
      String id = prefix + i;
      producer.send(new ProducerRecord<>(Topics.PARTICIPANT_STATUS.name(), id.getBytes(StandardCharsets.UTF_8),
          statuses.serialize(Topics.PARTICIPANT_STATUS.name(), Fixtures.status(id, "0403", "s-12",
              Instant.parse("2026-11-01T09:00:00Z")).build()))).get();
    }
  }

  /** The dead-letter pointers written so far, as "topic/partition/offset". */
  private static List<String> pointers() throws Exception {
    List<String> pointers = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
        ConsumerConfig.GROUP_ID_CONFIG, "poison-it-" + System.nanoTime(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      reader.subscribe(List.of(Topics.DEAD_LETTER.name()));
      for (int polls = 0; polls < 20; polls++) {
        for (var record : reader.poll(Duration.ofMillis(250))) {
          JsonNode pointer = JSON.readTree(record.value());
          pointers.add(pointer.path("sourceTopic").asText() + "/" + pointer.path("partition").asInt() + "/"
              + pointer.path("offset").asLong());
        }
      }
    }
    return pointers;
  }
}
