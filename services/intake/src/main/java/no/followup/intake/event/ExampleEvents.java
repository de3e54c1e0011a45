package no.followup.intake.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * Example events in the intake's JSON, generated from the schema (for the API documentation and the
 * CLI's {@code example} command), so there is one for every payload type, including new ones.
 * Known field names get realistic values; any other field gets a value of the right shape.
 */
public final class ExampleEvents {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Realistic values for the fields the contract has today; anything else falls back to its type. */
  private static final Map<String, String> STRING_EXAMPLES = Map.ofEntries(
      Map.entry("participantId", "p-7f3a9c"),
      Map.entry("officeId", "0403"),
      Map.entry("staffId", "s-12"),
      Map.entry("coordinatorId", "s-12"),
      Map.entry("counsellorId", "s-20"),
      Map.entry("specialistId", "s-40"),
      Map.entry("meetingId", "m-1"),
      Map.entry("cohortId", "optimist"),
      Map.entry("name", "OPTIMIST, NAV Trysil"),
      Map.entry("offices", "0403"),
      Map.entry("toMunicipality", "3421"));
  private static final Map<String, Integer> INT_EXAMPLES = Map.of("hoursPerWeek", 20);
  private static final Map<String, Double> DOUBLE_EXAMPLES = Map.of("workOrEducationGoal", 0.6);
  /** Fits every integer rule of today's contract (scores 1-5 among them). */
  private static final int INT_EXAMPLE = 3;

  private final EventSchema schema = EventSchema.get();

  /**
   * An example event of {@code type} as of {@code now}: happened an hour ago, recorded now, a meeting
   * tomorrow. The eventId is derived from the type, so the same type gives the same example id.
   */
  public ObjectNode example(String type, Instant now) {
    Schema payload = schema.payloadType(type)
        .orElseThrow(() -> new IllegalArgumentException("unknown event type " + type + "; known types: "
            + String.join(", ", schema.typeNames())));
    Instant recorded = now.truncatedTo(ChronoUnit.MINUTES);
    Instant occurred = recorded.minus(Duration.ofHours(1));
    Instant upcoming = recorded.plus(Duration.ofDays(1)).atZone(ZoneOffset.UTC).withHour(10).withMinute(0).toInstant();

    ObjectNode event = NODES.objectNode();
    for (Schema.Field field : schema.envelope().getFields()) {
      switch (field.name()) {
        case "eventId" -> event.put("eventId", UUID.nameUUIDFromBytes(("example:" + payload.getName()).getBytes()).toString());
        case "occurredAt" -> event.put("occurredAt", occurred.toString());
        case "recordedAt" -> event.put("recordedAt", recorded.toString());
        case EventSchema.PAYLOAD_FIELD -> {
          event.put(EventSchema.TYPE_PROPERTY, payload.getName());
          event.set(EventSchema.PAYLOAD_FIELD, exampleRecord(payload, upcoming));
        }
        default -> event.set(field.name(), exampleValue(field.name(), field.schema(), upcoming));
      }
    }
    if (payload.getName().equals("CohortDefined")) {
      // a cohort's definition is keyed by the cohort, not by a participant
      event.put("participantId", BusinessRules.COHORT_KEY_PREFIX + STRING_EXAMPLES.get("cohortId"));
    }
    if (payload.getName().equals("SpecialistCapacitySet")) {
      // a specialist's capacity is keyed by the specialist
      event.put("participantId", SpecialistRules.SPECIALIST_KEY_PREFIX + STRING_EXAMPLES.get("specialistId"));
    }
    return event;
  }

  private ObjectNode exampleRecord(Schema record, Instant upcoming) {
    ObjectNode json = NODES.objectNode();
    for (Schema.Field field : record.getFields()) {
      json.set(field.name(), exampleValue(field.name(), field.schema(), upcoming));
    }
    return json;
  }

  private JsonNode exampleValue(String name, Schema s, Instant upcoming) {
    switch (s.getType()) {
      case UNION:
        return exampleValue(name, EventSchema.nonNullBranches(s).get(0), upcoming);
      case RECORD:
        return exampleRecord(s, upcoming);
      case ENUM:
        // the first "real" symbol reads better than the catch-all ones
        return NODES.textNode(s.getEnumSymbols().stream()
            .filter(symbol -> !symbol.equals("UNKNOWN") && !symbol.equals("OTHER"))
            .findFirst().orElse(s.getEnumSymbols().get(0)));
      case ARRAY: {
        ArrayNode array = NODES.arrayNode();
        array.add(exampleValue(name, s.getElementType(), upcoming));
        return array;
      }
      case MAP: {
        ObjectNode map = NODES.objectNode();
        map.set("key", exampleValue(name, s.getValueType(), upcoming));
        return map;
      }
      case STRING:
        if (EventSchema.isUuid(s)) {
          return NODES.textNode(UUID.nameUUIDFromBytes(name.getBytes()).toString());
        }
        return NODES.textNode(STRING_EXAMPLES.getOrDefault(name, name + "-1"));
      case INT:
        if (s.getLogicalType() instanceof LogicalTypes.Date) {
          return NODES.textNode(LocalDate.ofInstant(upcoming, ZoneOffset.UTC).toString());
        }
        return NODES.numberNode(INT_EXAMPLES.getOrDefault(name, INT_EXAMPLE));
      case LONG:
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis
            || s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
          return NODES.textNode(upcoming.toString());
        }
        return NODES.numberNode(1L);
      case FLOAT:
      case DOUBLE:
        return NODES.numberNode(DOUBLE_EXAMPLES.getOrDefault(name, 1.0));
      case BOOLEAN:
        return NODES.booleanNode(true);
      default:
        return NODES.nullNode();
    }
  }
}
