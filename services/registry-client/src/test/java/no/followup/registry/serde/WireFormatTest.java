package no.followup.registry.serde;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingScheduled;
import no.followup.registry.InMemorySchemaRegistryClient;
import no.followup.registry.TestEvents;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;

/** Decodes a serialized record by hand, to pin the wire format down independently of our deserializer. */
class WireFormatTest {

  @Test
  void recordIsMagicByteThenBigEndianSchemaIdThenPlainAvroBinary() throws Exception {
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    registry.register("padding-value", TestEvents.record("Padding", "")); // so the event's id is not 1
    FollowUpEvent event = TestEvents.meetingScheduled("p-1");

    byte[] bytes = new SpecificAvroSerializer<FollowUpEvent>(registry).serialize("followup.events.v1", event);

    assertThat(bytes[0]).isEqualTo((byte) 0);
    int id = ByteBuffer.wrap(bytes, 1, 4).getInt(); // ByteBuffer is big-endian
    assertThat(id).isEqualTo(2).isEqualTo(registry.getId("followup.events.v1-value", TestEvents.contractSchema()));
    assertThat(Arrays.copyOfRange(bytes, 1, 5)).containsExactly(0, 0, 0, 2);

    // the rest is the record in Avro binary, readable by plain Avro with the registered schema
    Schema writer = registry.getSchemaById(id);
    BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
    GenericRecord decoded = new GenericDatumReader<GenericRecord>(writer).read(null, decoder);
    assertThat(decoder.isEnd()).as("no bytes left over").isTrue();

    // logical types are written as their Avro base types: uuid as string, timestamp-millis as long
    assertThat(decoded.get("eventId").toString()).isEqualTo(event.getEventId().toString());
    assertThat(decoded.get("participantId").toString()).isEqualTo("p-1");
    assertThat(decoded.get("occurredAt")).isEqualTo(event.getOccurredAt().toEpochMilli());
    GenericRecord payload = (GenericRecord) decoded.get("payload");
    assertThat(payload.getSchema().getName()).isEqualTo("MeetingScheduled");
    assertThat(payload.get("startsAt")).isEqualTo(((MeetingScheduled) event.getPayload()).getStartsAt().toEpochMilli());

    // and reading the first bytes of the Avro body by hand: eventId is a length-prefixed (zig-zag varint) UTF-8 string
    BinaryDecoder raw = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
    assertThat(raw.readString()).isEqualTo(event.getEventId().toString());
    assertThat(raw.readString()).isEqualTo("p-1");
    assertThat(raw.readString()).isEqualTo("0403");
  }

  @Test
  void theSchemaRegisteredForAGeneratedClassIsItsContractFile() {
    // the generated class's schema carries avro.java.string properties the .avsc does not have
    assertThat(FollowUpEvent.getClassSchema()).isNotEqualTo(TestEvents.contractSchema());
    assertThat(JavaProperties.remove(FollowUpEvent.getClassSchema())).isEqualTo(TestEvents.contractSchema());
  }

  @Test
  void headerHelperWritesTheSameLayout() {
    assertThat(WireFormat.header(0x01020304)).containsExactly(0, 1, 2, 3, 4);
    assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 1, 0}, "t")).isEqualTo(256);
  }
}
