package no.followup.registry.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import no.followup.common.TopicProvisioner;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.localkafka.LocalKafkaBroker;
import no.followup.registry.CompatibilityLevel;
import no.followup.registry.SchemaRegistryClient;
import no.followup.registry.SchemaRegistryClients;
import no.followup.registry.TestEvents;
import no.followup.registry.serde.AvroSerdeConfig;
import no.followup.registry.serde.GenericAvroDeserializer;
import no.followup.registry.serde.GenericAvroSerializer;
import no.followup.registry.serde.SpecificAvroDeserializer;
import no.followup.registry.serde.SpecificAvroSerializer;
import no.followup.registry.tools.RegisterSchemasCommand;
import org.apache.avro.Schema;

import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The serdes and the local registry together on a real broker. Each test uses its own registry topic, so tests do not share ids. */
class SchemaRegistryKafkaIT {

  @TempDir static Path dir;
  static LocalKafkaBroker broker;
  static Admin admin;

  @BeforeAll
  static void up() {
    broker = LocalKafkaBroker.start(LocalKafkaBroker.Options.ephemeral(dir));
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
  }

  @AfterAll
  static void down() {
    if (admin != null) {
      admin.close();
    }
    broker.close();
  }

  private static LocalSchemaRegistry registry() {
    return LocalSchemaRegistry.start(new LocalSchemaRegistry.Options(
        broker.bootstrapServers(), "127.0.0.1", 0, "_schemas-" + UUID.randomUUID(), null));
  }

  private static String newTopic(String prefix) throws Exception {
    String topic = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    return topic;
  }

  private static <T> KafkaProducer<String, T> producer(Serializer<T> valueSerializer, Map<String, Object> serdeConfig) {
    valueSerializer.configure(serdeConfig, false);
    return new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
        new StringSerializer(), valueSerializer);
  }

  /** Every record of a topic, as raw bytes (deserialized by the caller, so one bad record does not hide the rest). */
  private static List<byte[]> readAll(String topic, int expected) {
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", broker.bootstrapServers(), "isolation.level", "read_committed"),
        new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      List<byte[]> values = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (values.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(record -> values.add(record.value()));
      }
      return values;
    }
  }

  private static long endOffset(String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(topic, 0);
      return consumer.endOffsets(List.of(partition), Duration.ofSeconds(30)).get(partition);
    }
  }

  @Test
  void eventsRoundTripThroughTheBrokerWithTheSchemaRegisteredOnceAndCached() throws Exception {
    new TopicProvisioner(1, (short) 1).ensure(admin, List.of(Topics.EVENTS));
    try (LocalSchemaRegistry registry = registry()) {
      Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
          AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, FollowUpEvent.class.getName());
      List<FollowUpEvent> sent = new ArrayList<>();
      try (KafkaProducer<String, FollowUpEvent> producer = producer(new SpecificAvroSerializer<>(), serdeConfig)) {
        for (int i = 0; i < 25; i++) {
          FollowUpEvent event = TestEvents.meetingScheduled("p-" + i);
          sent.add(event);
          producer.send(new ProducerRecord<>(Topics.EVENTS.name(), event.getParticipantId(), event)).get(30, TimeUnit.SECONDS);
        }
      }

      SpecificAvroDeserializer<FollowUpEvent> deserializer = new SpecificAvroDeserializer<>();
      deserializer.configure(serdeConfig, false);
      List<FollowUpEvent> received = new ArrayList<>();
      try (KafkaConsumer<String, FollowUpEvent> consumer = new KafkaConsumer<>(Map.of(
          "bootstrap.servers", broker.bootstrapServers(), "group.id", "round-trip", "auto.offset.reset", "earliest",
          "isolation.level", "read_committed"), new StringDeserializer(), deserializer)) {
        consumer.subscribe(Set.of(Topics.EVENTS.name()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (received.size() < sent.size() && System.nanoTime() < deadline) {
          for (ConsumerRecord<String, FollowUpEvent> record : consumer.poll(Duration.ofMillis(200))) {
            received.add(record.value());
          }
        }
      }

      assertThat(received).containsExactlyElementsOf(sent);
      // one registration by the producer, one fetch by id by the consumer: the caches did the rest
      assertThat(registry.requestCount("POST", "/subjects/{subject}/versions")).isEqualTo(1);
      assertThat(registry.requestCount("GET", "/schemas/ids/{id}")).isEqualTo(1);
      assertThat(registry.requestCounts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(2);
      assertThat(SchemaRegistryClients.create(registry.url()).getVersions(Topics.EVENTS.name() + "-value")).containsExactly(1);
    }
  }

  @Test
  void anEvolvedSchemaIsAcceptedUnderBackwardAndOldRecordsStillDecode() throws Exception {
    String topic = newTopic("evolution");
    try (LocalSchemaRegistry registry = registry()) {
      Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
      List<FollowUpEvent> old = List.of(TestEvents.meetingScheduled("p-1"), TestEvents.meetingScheduled("p-2"));
      try (KafkaProducer<String, FollowUpEvent> producer = producer(new SpecificAvroSerializer<>(), serdeConfig)) {
        for (FollowUpEvent event : old) {
          producer.send(new ProducerRecord<>(topic, event.getParticipantId(), event)).get(30, TimeUnit.SECONDS);
        }
      }
      // the new version: an optional envelope field and a new payload type, written by a newer producer
      Schema evolved = TestEvents.evolvedEventSchema();
      GenericRecord walk = TestEvents.withNewPayload(TestEvents.asGeneric(TestEvents.meetingScheduled("p-3"), evolved), 45);
      try (KafkaProducer<String, GenericRecord> producer = producer(new GenericAvroSerializer(), serdeConfig)) {
        producer.send(new ProducerRecord<>(topic, "p-3", walk)).get(30, TimeUnit.SECONDS);
      }
      SchemaRegistryClient client = SchemaRegistryClients.create(registry.url());
      assertThat(client.getCompatibility(topic + "-value")).isEqualTo(CompatibilityLevel.BACKWARD);
      assertThat(client.getVersions(topic + "-value")).containsExactly(1, 2);

      List<byte[]> records = readAll(topic, 3);
      assertThat(records).hasSize(3);

      // a consumer on the new schema reads old and new records
      Deserializer<GenericRecord> newReader = new GenericAvroDeserializer(null, evolved);
      newReader.configure(serdeConfig, false);
      GenericRecord firstOld = newReader.deserialize(topic, records.get(0));
      assertThat(firstOld.get("participantId").toString()).isEqualTo("p-1");
      assertThat(firstOld.get("eventId").toString()).isEqualTo(old.get(0).getEventId().toString());
      assertThat(firstOld.get("channelOfRecord")).isNull();
      assertThat(((GenericRecord) newReader.deserialize(topic, records.get(2)).get("payload")).get("minutes")).isEqualTo(45);

      // a consumer still on the old generated class reads the old records, and refuses the new payload type clearly
      SpecificAvroDeserializer<FollowUpEvent> oldReader = new SpecificAvroDeserializer<>(FollowUpEvent.class);
      oldReader.configure(serdeConfig, false);
      assertThat(oldReader.deserialize(topic, records.get(0))).isEqualTo(old.get(0));
      assertThat(oldReader.deserialize(topic, records.get(1))).isEqualTo(old.get(1));
      assertThatThrownBy(() -> oldReader.deserialize(topic, records.get(2)))
          .isInstanceOf(SerializationException.class).hasMessageContaining("WalkCompleted");
    }
  }

  @Test
  void breakingChangesAreRejectedWith409BeforeAnythingIsProduced() throws Exception {
    String topic = newTopic("breaking");
    try (LocalSchemaRegistry registry = registry()) {
      Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url());
      FollowUpEvent first = TestEvents.meetingScheduled("p-1");
      try (KafkaProducer<String, FollowUpEvent> producer = producer(new SpecificAvroSerializer<>(), serdeConfig)) {
        producer.send(new ProducerRecord<>(topic, "p-1", first)).get(30, TimeUnit.SECONDS);
      }

      GenericRecord requiredField = TestEvents.asGeneric(first, TestEvents.eventSchemaWithNewRequiredField());
      requiredField.put("mandatoryNewField", "x");
      GenericRecord fewerPayloads = TestEvents.asGeneric(first, TestEvents.eventSchemaWithoutLastPayload());
      try (KafkaProducer<String, GenericRecord> producer = producer(new GenericAvroSerializer(), serdeConfig)) {
        for (GenericRecord breaking : List.of(requiredField, fewerPayloads)) {
          assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "p-1", breaking)))
              .isInstanceOf(SerializationException.class)
              .hasMessageContaining("incompatible with subject '" + topic + "-value'")
              .hasMessageContaining("409");
        }
        producer.flush();
      }

      assertThat(endOffset(topic)).as("only the first record landed").isEqualTo(1);
      assertThat(SchemaRegistryClients.create(registry.url()).getVersions(topic + "-value")).containsExactly(1);
    }
  }

  @Test
  void withoutAutoRegistrationProducersNeedTheRegistrationCommandFirst() throws Exception {
    new TopicProvisioner(1, (short) 1).ensure(admin, List.of(Topics.EVENTS));
    try (LocalSchemaRegistry registry = registry()) {
      Map<String, Object> serdeConfig = Map.of(AvroSerdeConfig.SCHEMA_REGISTRY_URL, registry.url(),
          AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, false);
      FollowUpEvent event = TestEvents.meetingScheduled("p-9");
      try (KafkaProducer<String, FollowUpEvent> producer = producer(new SpecificAvroSerializer<>(), serdeConfig)) {
        assertThatThrownBy(() -> producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "p-9", event)))
            .isInstanceOf(SerializationException.class)
            .hasMessageContaining("not registered under subject 'followup.events.v1-value'");
      }

      StringWriter out = new StringWriter();
      int exit = new CommandLine(new RegisterSchemasCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(out))
          .execute("--registry-url", registry.url(), "--from-classpath");
      assertThat(exit).as(out.toString()).isZero();
      assertThat(out.toString()).contains("subject 'followup.events.v1-value'");

      long lookupsBefore = registry.requestCount("POST", "/subjects/{subject}");
      long registrationsBefore = registry.requestCount("POST", "/subjects/{subject}/versions");
      try (KafkaProducer<String, FollowUpEvent> producer = producer(new SpecificAvroSerializer<>(), serdeConfig)) {
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "p-9", event)).get(30, TimeUnit.SECONDS);
        producer.send(new ProducerRecord<>(Topics.EVENTS.name(), "p-9", TestEvents.meetingScheduled("p-9"))).get(30, TimeUnit.SECONDS);
      }
      assertThat(registry.requestCount("POST", "/subjects/{subject}") - lookupsBefore).as("one lookup, then cached").isEqualTo(1);
      assertThat(registry.requestCount("POST", "/subjects/{subject}/versions")).as("the producer registered nothing")
          .isEqualTo(registrationsBefore);
    }
  }

  /** Anything with access may write the schema topic: records the registry cannot use are skipped, not fatal. */
  @Test
  void recordsOnTheSchemaTopicThatCannotBeUsedAreSkippedAndTheRestIsServed() throws Exception {
    String schemaTopic = "_schemas-hostile-" + UUID.randomUUID().toString().substring(0, 8);
    LocalSchemaRegistry.Options options = new LocalSchemaRegistry.Options(broker.bootstrapServers(), "127.0.0.1", 0, schemaTopic, null);
    Schema good = TestEvents.record("Kept", "{\"name\":\"a\",\"type\":\"int\"}");
    int id;
    try (LocalSchemaRegistry registry = LocalSchemaRegistry.start(options)) {
      id = SchemaRegistryClients.create(registry.url()).register("kept-value", good);
    }
    try (KafkaProducer<String, String> raw = new KafkaProducer<>(Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
        new StringSerializer(), new StringSerializer())) {
      String[][] records = {
          {"{\"keytype\":\"SCHEMA\",\"subject\":\"bad-value\",\"version\":1,\"magic\":1}",
              "{\"subject\":\"bad-value\",\"version\":1,\"id\":900,\"schema\":\"{\\\"type\\\":\\\"no-such-type\\\"}\"}"},
          {"{\"keytype\":\"CONFIG\",\"subject\":\"kept-value\",\"magic\":0}", "{\"compatibilityLevel\":\"SIDEWAYS\"}"},
          {"not json", "not json either"},
      };
      for (String[] record : records) {
        raw.send(new ProducerRecord<>(schemaTopic, record[0], record[1])).get(30, TimeUnit.SECONDS);
      }
    }

    try (LocalSchemaRegistry registry = LocalSchemaRegistry.start(options)) {
      SchemaRegistryClient client = SchemaRegistryClients.create(registry.url());
      assertThat(client.getSchemaById(id)).isEqualTo(good);
      assertThat(client.getSubjects()).contains("kept-value").doesNotContain("bad-value");
    }
  }

  @Test
  void idsVersionsAndLevelsSurviveARestartOfTheRegistry() throws Exception {
    String schemaTopic = "_schemas-restart";
    LocalSchemaRegistry.Options options = new LocalSchemaRegistry.Options(broker.bootstrapServers(), "127.0.0.1", 0, schemaTopic, null);
    Schema v1 = TestEvents.record("Restart", "{\"name\":\"a\",\"type\":\"int\"}");
    Schema v2 = TestEvents.record("Restart", "{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":[\"null\",\"int\"],\"default\":null}");
    int id1;
    int id2;
    try (LocalSchemaRegistry registry = LocalSchemaRegistry.start(options)) {
      SchemaRegistryClient client = SchemaRegistryClients.create(registry.url());
      id1 = client.register("restart-value", v1);
      id2 = client.register("restart-value", v2);
      client.setCompatibility("restart-value", CompatibilityLevel.FULL);
      client.setGlobalCompatibility(CompatibilityLevel.FORWARD);
    }

    try (LocalSchemaRegistry registry = LocalSchemaRegistry.start(options)) {
      SchemaRegistryClient client = SchemaRegistryClients.create(registry.url());
      assertThat(client.getSchemaById(id1)).isEqualTo(v1);
      assertThat(client.getVersions("restart-value")).containsExactly(1, 2);
      assertThat(client.lookup("restart-value", v2).id()).isEqualTo(id2);
      assertThat(client.getCompatibility("restart-value")).isEqualTo(CompatibilityLevel.FULL);
      assertThat(client.getGlobalCompatibility()).isEqualTo(CompatibilityLevel.FORWARD);
      // ids keep growing: none is handed out twice
      assertThat(client.register("other-value", TestEvents.record("Other", ""))).isGreaterThan(id2);
    }

    // the topic as Confluent's registry lays it out
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, schemaTopic);
    Config config = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
    assertThat(config.get("cleanup.policy").value()).isEqualTo("compact");
    assertThat(admin.describeTopics(List.of(schemaTopic)).allTopicNames().get(30, TimeUnit.SECONDS).get(schemaTopic).partitions()).hasSize(1);
    ObjectMapper json = new ObjectMapper();
    List<JsonNode> keys = new ArrayList<>();
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", broker.bootstrapServers()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition partition = new TopicPartition(schemaTopic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (keys.size() < 5 && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          keys.add(json.readTree(record.key()));
        }
      }
    }
    assertThat(keys.get(0).toString()).isEqualTo("{\"keytype\":\"SCHEMA\",\"subject\":\"restart-value\",\"version\":1,\"magic\":1}");
    assertThat(keys).anySatisfy(key -> assertThat(key.toString()).isEqualTo("{\"keytype\":\"CONFIG\",\"subject\":\"restart-value\",\"magic\":0}"));
  }
}
