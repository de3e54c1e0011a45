package no.followup.registry;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import no.followup.events.Actor;
import no.followup.events.FollowUpEvent;
import no.followup.events.MeetingKind;
import no.followup.events.MeetingScheduled;
import no.followup.events.StaffRole;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import java.util.function.Consumer;
import org.apache.avro.Schema;

/** Events and schema variants for tests. */
public final class TestEvents {

  private TestEvents() {}

  public static FollowUpEvent meetingScheduled(String participantId) {
    Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
    return FollowUpEvent.newBuilder()
        .setEventId(UUID.randomUUID())
        .setParticipantId(participantId)
        .setOfficeId("0403")
        .setActor(Actor.newBuilder().setRole(StaffRole.ACTIVITY_COORDINATOR).setStaffId("s-12").build())
        .setOccurredAt(now.minus(2, ChronoUnit.HOURS))
        .setRecordedAt(now)
        .setCohortId("optimist")
        .setPayload(MeetingScheduled.newBuilder()
            .setMeetingId("m-1")
            .setStartsAt(now.plus(3, ChronoUnit.DAYS))
            .setKind(MeetingKind.HOME_VISIT)
            .build())
        .build();
  }

  /** FollowUpEvent as written in the contract file (without the Java-only properties of the generated class). */
  public static Schema contractSchema() {
    try (var in = TestEvents.class.getClassLoader().getResourceAsStream("avro/FollowUpEvent.avsc")) {
      return new Schema.Parser().parse(in);
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A record schema: {@code {"type":"record","name":name,"fields":[fields]}}. */
  public static Schema record(String name, String fields) {
    return new Schema.Parser().parse("{\"type\":\"record\",\"name\":\"" + name + "\",\"namespace\":\"test\",\"fields\":[" + fields + "]}");
  }

  /** FollowUpEvent with a new optional envelope field and a new payload type at the end of the union: BACKWARD-compatible. */
  public static Schema evolvedEventSchema() {
    return editEventSchema(root -> {
      ArrayNode fields = (ArrayNode) root.get("fields");
      fields.addObject().put("name", "channelOfRecord").putNull("default")
          .put("doc", "Test-only new optional field.")
          .putArray("type").add("null").add("string");
      payloadUnion(root).addObject().put("type", "record").put("name", "WalkCompleted").put("doc", "Test-only new payload.")
          .putArray("fields").addObject().put("name", "minutes").put("type", "int");
    });
  }

  /** FollowUpEvent with a new required field (no default): not BACKWARD-compatible. */
  public static Schema eventSchemaWithNewRequiredField() {
    return editEventSchema(root -> ((ArrayNode) root.get("fields")).addObject()
        .put("name", "mandatoryNewField").put("type", "string"));
  }

  /** FollowUpEvent without its last payload type: not BACKWARD-compatible. */
  public static Schema eventSchemaWithoutLastPayload() {
    return editEventSchema(root -> {
      ArrayNode union = payloadUnion(root);
      union.remove(union.size() - 1);
    });
  }

  /** A generic copy of {@code event} under another version of its schema; fields the event lacks stay null. */
  public static GenericRecord asGeneric(FollowUpEvent event, Schema schema) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
      new SpecificDatumWriter<FollowUpEvent>(FollowUpEvent.getClassSchema()).write(event, encoder);
      encoder.flush();
      GenericRecord original = new GenericDatumReader<GenericRecord>(FollowUpEvent.getClassSchema())
          .read(null, DecoderFactory.get().binaryDecoder(bytes.toByteArray(), null));
      GenericRecord copy = new GenericData.Record(schema);
      for (Schema.Field field : schema.getFields()) {
        if (original.getSchema().getField(field.name()) != null) {
          copy.put(field.name(), original.get(field.name()));
        }
      }
      return copy;
    } catch (java.io.IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gives an event of {@link #evolvedEventSchema()} the new payload type. */
  public static GenericRecord withNewPayload(GenericRecord event, int minutes) {
    List<Schema> payloads = event.getSchema().getField("payload").schema().getTypes();
    GenericRecord walk = new GenericData.Record(payloads.get(payloads.size() - 1));
    walk.put("minutes", minutes);
    event.put("payload", walk);
    return event;
  }

  private static ArrayNode payloadUnion(ObjectNode root) {
    for (var field : root.get("fields")) {
      if (field.get("name").asText().equals("payload")) {
        return (ArrayNode) field.get("type");
      }
    }
    throw new IllegalStateException("no payload field");
  }

  private static Schema editEventSchema(Consumer<ObjectNode> edit) {
    try {
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = (ObjectNode) json.readTree(FollowUpEvent.getClassSchema().toString());
      edit.accept(root);
      return new Schema.Parser().parse(json.writeValueAsString(root));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
