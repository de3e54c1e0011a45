package no.followup.intake.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.IndexedRecord;

/**
 * Writes Avro records as the intake's JSON: the inverse of {@link EventJsonReader}. A follow-up
 * event becomes {@code {..., "type": "MeetingScheduled", "payload": {...}}}; any other record
 * (other topics) becomes a plain object. Timestamps are ISO-8601 instants, enums their symbols,
 * nullable fields that are null are written as null.
 */
public final class EventJsonWriter {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final Schema envelope = EventSchema.get().envelope();

  /** Writes a follow-up event or any other Avro record (specific or generic). */
  public ObjectNode write(IndexedRecord record) {
    return writeRecord(record.getSchema(), record);
  }

  private ObjectNode writeRecord(Schema recordSchema, IndexedRecord record) {
    boolean isEnvelope = recordSchema.getFullName().equals(envelope.getFullName());
    ObjectNode json = NODES.objectNode();
    for (Schema.Field field : recordSchema.getFields()) {
      Object value = record.get(field.pos());
      if (isEnvelope && field.name().equals(EventSchema.PAYLOAD_FIELD) && value instanceof IndexedRecord payload) {
        json.put(EventSchema.TYPE_PROPERTY, payload.getSchema().getName());
        json.set(EventSchema.PAYLOAD_FIELD, writeRecord(payload.getSchema(), payload));
      } else {
        json.set(field.name(), writeValue(field.schema(), value));
      }
    }
    return json;
  }

  private JsonNode writeValue(Schema s, Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    switch (s.getType()) {
      case UNION:
        return writeValue(branchFor(s, value), value);
      case RECORD:
        return writeRecord(s, (IndexedRecord) value);
      case ENUM:
        return NODES.textNode(value.toString());
      case ARRAY: {
        ArrayNode array = NODES.arrayNode();
        for (Object item : (Collection<?>) value) {
          array.add(writeValue(s.getElementType(), item));
        }
        return array;
      }
      case MAP: {
        ObjectNode map = NODES.objectNode();
        for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
          map.set(entry.getKey().toString(), writeValue(s.getValueType(), entry.getValue()));
        }
        return map;
      }
      case STRING:
        return NODES.textNode(value.toString());
      case INT:
        if (value instanceof LocalDate date) {
          return NODES.textNode(date.toString());
        }
        if (s.getLogicalType() instanceof LogicalTypes.Date) {
          return NODES.textNode(LocalDate.ofEpochDay(((Number) value).longValue()).toString());
        }
        return NODES.numberNode(((Number) value).intValue());
      case LONG:
        return writeLong(s, value);
      case FLOAT:
        return NODES.numberNode(((Number) value).floatValue());
      case DOUBLE:
        return NODES.numberNode(((Number) value).doubleValue());
      case BOOLEAN:
        return NODES.booleanNode((Boolean) value);
      case BYTES:
        return NODES.textNode(Base64.getEncoder().encodeToString(bytesOf((ByteBuffer) value)));
      case FIXED:
        return NODES.textNode(Base64.getEncoder().encodeToString(((GenericFixed) value).bytes()));
      default:
        return NODES.nullNode();
    }
  }

  private static JsonNode writeLong(Schema s, Object value) {
    if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    }
    long raw = ((Number) value).longValue();
    if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return NODES.textNode(Instant.ofEpochMilli(raw).toString());
    }
    if (s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
      return NODES.textNode(Instant.EPOCH.plus(raw, ChronoUnit.MICROS).toString());
    }
    return NODES.numberNode(raw);
  }

  /** The union branch a value belongs to; by Java type, since specific and generic values differ. */
  private static Schema branchFor(Schema union, Object value) {
    for (Schema branch : union.getTypes()) {
      if (matches(branch, value)) {
        return branch;
      }
    }
    throw new IllegalArgumentException("value of " + value.getClass().getName() + " matches no branch of " + union);
  }

  private static boolean matches(Schema branch, Object value) {
    return switch (branch.getType()) {
      case NULL -> false;
      case RECORD, ENUM, FIXED -> value instanceof GenericContainer c
          ? c.getSchema().getFullName().equals(branch.getFullName())
          : value instanceof Enum<?> e && e.getDeclaringClass().getSimpleName().equals(branch.getName())
              || value instanceof GenericEnumSymbol<?> g && g.getSchema().getFullName().equals(branch.getFullName());
      case STRING -> value instanceof CharSequence || value instanceof UUID;
      case INT -> value instanceof Integer || value instanceof LocalDate;
      case LONG -> value instanceof Long || value instanceof Instant;
      case FLOAT -> value instanceof Float;
      case DOUBLE -> value instanceof Double;
      case BOOLEAN -> value instanceof Boolean;
      case BYTES -> value instanceof ByteBuffer;
      case ARRAY -> value instanceof Collection<?>;
      case MAP -> value instanceof Map<?, ?>;
      default -> false;
    };
  }

  private static byte[] bytesOf(ByteBuffer buffer) {
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }
}
