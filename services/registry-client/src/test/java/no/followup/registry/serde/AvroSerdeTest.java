package no.followup.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingScheduled;
import no.followup.registry.InMemorySchemaRegistryClient;
import no.followup.registry.TestEvents;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

  private static final String TOPIC = "followup.events.v1";
  private static final String SCOPE = "avro-serde-test";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();

  @AfterEach
  void forget() {
    InMemorySchemaRegistryClient.dropScope(SCOPE);
  }

  @Test
  void specificRoundTripKeepsLogicalTypes() {
    FollowUpEvent event = TestEvents.meetingScheduled("p-1");
    var serde = new SpecificAvroSerde<>(registry, FollowUpEvent.class);

    FollowUpEvent back = serde.deserializer().deserialize(TOPIC, serde.serializer().serialize(TOPIC, event));

    assertThat(back).isEqualTo(event);
    assertThat(back.getEventId()).isEqualTo(event.getEventId()); // a java.util.UUID again
    assertThat(((MeetingScheduled) back.getPayload()).getStartsAt()).isEqualTo(((MeetingScheduled) event.getPayload()).getStartsAt());
  }

  @Test
  void aValueThatCannotBeWrittenIsNeverQuotedInTheError() {
    Schema schema = TestEvents.record("Scored", "{\"name\":\"kind\",\"type\":{\"type\":\"enum\",\"name\":\"Kind\",\"symbols\":[\"A\"]}}");
    GenericRecord record = new GenericData.Record(schema);
    record.put("kind", "SECRET-HEALTH-DETAIL"); // not a symbol: Avro's own message would quote it
    GenericAvroSerializer serializer = new GenericAvroSerializer(registry);

    assertThatThrownBy(() -> serializer.serialize(TOPIC, record))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Scored")
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("SECRET-HEALTH-DETAIL"));
  }

  @Test
  void configuredByMapLikeKafkaDoesWithMockUrls() {
    Map<String, Object> config = Map.of("schema.registry.url", "mock://" + SCOPE,
        AvroSerdeConfig.SPECIFIC_AVRO_VALUE_TYPE, FollowUpEvent.class.getName());
    SpecificAvroSerde<FollowUpEvent> producerSide = new SpecificAvroSerde<>();
    producerSide.configure(config, false);
    SpecificAvroSerde<FollowUpEvent> consumerSide = new SpecificAvroSerde<>();
    consumerSide.configure(config, false);
    // without a configured type the class is found by the writer schema's name
    SpecificAvroDeserializer<FollowUpEvent> byName = new SpecificAvroDeserializer<>();
    byName.configure(Map.of("schema.registry.url", "mock://" + SCOPE), false);

    FollowUpEvent event = TestEvents.meetingScheduled("p-2");
    byte[] bytes = producerSide.serializer().serialize(TOPIC, event);

    assertThat(consumerSide.deserializer().deserialize(TOPIC, bytes)).isEqualTo(event);
    assertThat(byName.deserialize(TOPIC, bytes)).isEqualTo(event);
  }

  @Test
  void keysAndValuesUseTopicNameSubjects() {
    GenericRecord key = new GenericData.Record(TestEvents.record("Key", "{\"name\":\"id\",\"type\":\"string\"}"));
    key.put("id", "k");
    GenericAvroSerializer keySerializer = new GenericAvroSerializer(registry);
    keySerializer.configure(Map.of(), true);
    keySerializer.serialize("some.topic", key);
    new SpecificAvroSerializer<FollowUpEvent>(registry).serialize("some.topic", TestEvents.meetingScheduled("p"));

    assertThat(registry.getSubjects()).containsExactly("some.topic-key", "some.topic-value");
  }

  @Test
  void nullIsATombstoneBothWays() {
    var serde = new SpecificAvroSerde<>(registry, FollowUpEvent.class);
    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
    assertThat(registry.getSubjects()).isEmpty();
  }

  @Test
  void wrongMagicByteIsAClearError() {
    byte[] bytes = new SpecificAvroSerializer<FollowUpEvent>(registry).serialize(TOPIC, TestEvents.meetingScheduled("p"));
    bytes[0] = 1;
    assertThatThrownBy(() -> new SpecificAvroDeserializer<>(registry, FollowUpEvent.class).deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Unknown magic byte 0x01").hasMessageContaining(TOPIC);
  }

  @Test
  void plainTextIsNotMistakenForAvro() {
    assertThatThrownBy(() -> new GenericAvroDeserializer(registry).deserialize(TOPIC, "{\"json\":true}".getBytes()))
        .isInstanceOf(SerializationException.class).hasMessageContaining("magic byte 0x7b");
  }

  @Test
  void unknownSchemaIdIsAClearError() {
    byte[] bytes = new SpecificAvroSerializer<FollowUpEvent>(registry).serialize(TOPIC, TestEvents.meetingScheduled("p"));
    ByteBuffer.wrap(bytes).putInt(1, 4711);
    assertThatThrownBy(() -> new SpecificAvroDeserializer<>(registry, FollowUpEvent.class).deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class).hasMessageContaining("Unknown schema id 4711");
  }

  @Test
  void truncatedRecordsAreClearErrors() {
    byte[] bytes = new SpecificAvroSerializer<FollowUpEvent>(registry).serialize(TOPIC, TestEvents.meetingScheduled("p"));
    var deserializer = new SpecificAvroDeserializer<>(registry, FollowUpEvent.class);

    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, Arrays.copyOf(bytes, 3)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("Truncated record").hasMessageContaining("3 bytes");
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, Arrays.copyOf(bytes, 5)))
        .isInstanceOf(SerializationException.class).hasMessageContaining("Truncated record");
    assertThatThrownBy(() -> deserializer.deserialize(TOPIC, Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("Truncated record").hasMessageContaining("no.followup.events.FollowUpEvent");
  }

  @Test
  void withoutAutoRegistrationAnUnregisteredSchemaFailsAndARegisteredOneIsUsed() {
    SpecificAvroSerializer<FollowUpEvent> serializer = new SpecificAvroSerializer<>(registry);
    serializer.configure(Map.of(AvroSerdeConfig.AUTO_REGISTER_SCHEMAS, "false"), false);
    FollowUpEvent event = TestEvents.meetingScheduled("p");

    assertThatThrownBy(() -> serializer.serialize(TOPIC, event))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("not registered under subject 'followup.events.v1-value'")
        .hasMessageContaining("auto.register.schemas is false");
    assertThat(registry.getSubjects()).isEmpty();

    // registered as the registration command does: from the contract file
    int id = registry.register(TOPIC + "-value", TestEvents.contractSchema());
    assertThat(ByteBuffer.wrap(serializer.serialize(TOPIC, event), 1, 4).getInt()).isEqualTo(id);
    assertThat(registry.getVersions(TOPIC + "-value")).containsExactly(1);
  }

  @Test
  void oldRecordsDecodeWithAnEvolvedReaderSchema() {
    Schema evolved = TestEvents.evolvedEventSchema();
    FollowUpEvent event = TestEvents.meetingScheduled("p-3");
    byte[] old = new SpecificAvroSerializer<FollowUpEvent>(registry).serialize(TOPIC, event);
    // the evolved schema is accepted under BACKWARD
    assertThat(registry.register(TOPIC + "-value", evolved)).isPositive();

    GenericRecord read = new GenericAvroDeserializer(registry, evolved).deserialize(TOPIC, old);

    assertThat(read.getSchema()).isEqualTo(evolved);
    assertThat(read.get("channelOfRecord")).isNull();
    assertThat(read.get("participantId").toString()).isEqualTo("p-3");
    assertThat(((GenericRecord) read.get("payload")).getSchema().getName()).isEqualTo("MeetingScheduled");
  }

  @Test
  void anOldReaderRejectsANewPayloadTypeInsteadOfReadingItAsAnotherOne() {
    // Avro alone would resolve WalkCompleted{minutes} into the first old payload whose fields all
    // have defaults (HomeVisitCompleted): the deserializer must refuse that
    Schema evolved = TestEvents.evolvedEventSchema();
    GenericRecord newType = TestEvents.withNewPayload(TestEvents.asGeneric(TestEvents.meetingScheduled("p-4"), evolved), 30);
    FollowUpEvent known = TestEvents.meetingScheduled("p-5");
    GenericRecord knownType = TestEvents.asGeneric(known, evolved);
    var serializer = new GenericAvroSerializer(registry);
    byte[] newTypeBytes = serializer.serialize(TOPIC, newType);
    byte[] knownTypeBytes = serializer.serialize(TOPIC, knownType);
    var oldReader = new SpecificAvroDeserializer<>(registry, FollowUpEvent.class);

    assertThatThrownBy(() -> oldReader.deserialize(TOPIC, newTypeBytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("no.followup.events.WalkCompleted")
        .hasMessageContaining("union branch the reader schema no.followup.events.FollowUpEvent does not have");
    // records of the same newer writer with a payload type the reader knows still read fine
    assertThat(oldReader.deserialize(TOPIC, knownTypeBytes)).isEqualTo(known);
  }

  @Test
  void anIncompatibleSchemaIsRejectedWhenAutoRegistering() {
    new SpecificAvroSerializer<FollowUpEvent>(registry).serialize(TOPIC, TestEvents.meetingScheduled("p"));
    Schema breaking = TestEvents.eventSchemaWithNewRequiredField();
    GenericRecord event = TestEvents.asGeneric(TestEvents.meetingScheduled("p"), breaking);
    event.put("mandatoryNewField", "x");

    assertThatThrownBy(() -> new GenericAvroSerializer(registry).serialize(TOPIC, event))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("incompatible with subject 'followup.events.v1-value'")
        .hasMessageContaining("409");
    assertThat(registry.getVersions(TOPIC + "-value")).containsExactly(1);
  }
}
