package no.followup.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Random;
import no.followup.events.FollowUpEvent;
import no.followup.registry.InMemorySchemaRegistryClient;
import no.followup.registry.TestEvents;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Records anyone with write access to a topic could put there: each must fail as an ordinary
 * {@link SerializationException} (which the consumers turn into a dead letter), fast, and without
 * allocating what it declares.
 */
@Timeout(30)
class HostileRecordsTest {

  private static final String TOPIC = "followup.events.v1";

  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final SpecificAvroDeserializer<FollowUpEvent> events = new SpecificAvroDeserializer<>(registry, FollowUpEvent.class);
  private final GenericAvroDeserializer generic = new GenericAvroDeserializer(registry);

  @Test
  void avroAllocationLimitsAreInForceOnceADeserializerExists() {
    assertThat(events).isNotNull();
    assertThat(AvroLimits.inForce()).isTrue();
  }

  @Test
  void aStringDeclaringTwoGigabytesIsUndecodableNotAnOutOfMemoryError() {
    int id = registry.register(TOPIC + "-value", FollowUpEvent.getClassSchema());
    // the first field, eventId, declares a string of about 2 billion bytes, followed by three bytes
    byte[] poison = concat(WireFormat.header(id), new byte[] {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e, 1, 2, 3});
    assertThat(poison).hasSizeLessThan(20);

    assertThatThrownBy(() -> events.deserialize(TOPIC, poison))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id " + id);
  }

  @Test
  void aValueAvroCannotConvertIsNeverQuotedInTheError() {
    byte[] valid = new SpecificAvroSerializer<FollowUpEvent>(registry).serialize(TOPIC, TestEvents.meetingScheduled("p"));
    // the first field, eventId (a uuid string of 36 characters), follows the header and its length byte
    byte[] poison = valid.clone();
    byte[] notAUuid = "12345678901 is no uuid but a secret!".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(notAUuid).hasSize(36);
    System.arraycopy(notAUuid, 0, poison, WireFormat.HEADER_SIZE + 1, notAUuid.length);

    assertThatThrownBy(() -> events.deserialize(TOPIC, poison))
        .isInstanceOf(SerializationException.class)
        .hasNoCause()
        .satisfies(e -> assertThat(e.getMessage()).contains("FollowUpEvent").doesNotContain("12345678901"));
  }

  @Test
  void collectionsAndBytesDeclaringHugeSizesAreUndecodable() {
    Schema listy = TestEvents.record("Listy", "{\"name\":\"items\",\"type\":{\"type\":\"array\",\"items\":\"string\"}}");
    Schema mappy = TestEvents.record("Mappy", "{\"name\":\"items\",\"type\":{\"type\":\"map\",\"values\":\"long\"}}");
    Schema bytesy = TestEvents.record("Bytesy", "{\"name\":\"blob\",\"type\":\"bytes\"}");
    byte[] hugeCount = zigzagVarint(1_500_000_000L);
    for (Schema schema : new Schema[] {listy, mappy, bytesy}) {
      int id = registry.register("hostile-" + schema.getName() + "-value", schema);
      byte[] poison = concat(WireFormat.header(id), hugeCount);
      assertThatThrownBy(() -> generic.deserialize(TOPIC, poison)).as(schema.getName())
          .isInstanceOf(SerializationException.class);
    }
  }

  @Test
  void truncatedGarbageAndWrongTypeRecordsAreUndecodable() {
    var serde = new SpecificAvroSerde<>(registry, FollowUpEvent.class);
    byte[] valid = serde.serializer().serialize(TOPIC, TestEvents.meetingScheduled("p-hostile"));
    int id = WireFormat.schemaId(valid, TOPIC);

    byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
    byte[] wrongMagic = valid.clone();
    wrongMagic[0] = 1;
    byte[] unknownId = concat(WireFormat.header(987_654), Arrays.copyOfRange(valid, WireFormat.HEADER_SIZE, valid.length));
    byte[] tooShort = {0, 0};
    Random random = new Random(2020);
    Schema other = TestEvents.record("NotAnEvent", "{\"name\":\"count\",\"type\":\"int\"}");
    int otherId = registry.register("hostile-other-value", other);
    byte[] wrongType = concat(WireFormat.header(otherId), new byte[] {4});

    for (byte[] poison : new byte[][] {truncated, wrongMagic, unknownId, tooShort, wrongType}) {
      assertThatThrownBy(() -> events.deserialize(TOPIC, poison)).isInstanceOf(SerializationException.class);
    }
    // random bodies behind a real schema id: undecodable, or (rarely) decodable by chance, but never anything else
    for (int i = 0; i < 2_000; i++) {
      byte[] body = new byte[random.nextInt(64)];
      random.nextBytes(body);
      byte[] garbage = concat(WireFormat.header(id), body);
      try {
        events.deserialize(TOPIC, garbage);
      } catch (SerializationException expected) {
        // the only acceptable failure
      }
    }
  }

  private static byte[] zigzagVarint(long value) {
    long zigzag = (value << 1) ^ (value >> 63);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while ((zigzag & ~0x7FL) != 0) {
      out.write((int) ((zigzag & 0x7F) | 0x80));
      zigzag >>>= 7;
    }
    out.write((int) zigzag);
    return out.toByteArray();
  }

  private static byte[] concat(byte[] first, byte[] second) {
    byte[] all = Arrays.copyOf(first, first.length + second.length);
    System.arraycopy(second, 0, all, first.length, second.length);
    return all;
  }
}
