package no.followup.intake.event;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import no.followup.common.rules.IdShapes;
import no.followup.events.FollowUpEvent;
import org.apache.avro.Conversion;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * Turns the intake's JSON into a {@link FollowUpEvent}, collecting every problem with its field path.
 *
 * <p>Hand-written rather than Avro's {@code JsonDecoder}: that decoder stops at the first error and
 * expects Avro's own JSON encoding (unions wrapped as {@code {"string": "..."}}, timestamps as epoch
 * numbers), neither of which suits the people calling this API. This walks the Avro schema instead,
 * so it follows the contract as it evolves: a payload type appended to the union needs no code here.
 */
public final class EventJsonReader {

  /** The outcome: an event when {@code errors} is empty. */
  public record Result(FollowUpEvent event, List<FieldError> errors) {
    public boolean valid() {
      return errors.isEmpty();
    }
  }

  private static final String TIMESTAMP_HINT = "must be an ISO-8601 instant with offset, e.g. 2026-11-23T09:00:00Z";
  private static final int MAX_ECHOED_TYPE_LENGTH = 60;

  /** Marks a value that did not convert; its errors are already recorded. */
  private static final Object INVALID = new Object();

  private final EventSchema schema;
  private final BusinessRules rules;
  private final SpecificData model;

  public EventJsonReader() {
    this(EventSchema.get(), new BusinessRules());
  }

  EventJsonReader(EventSchema schema, BusinessRules rules) {
    this.schema = schema;
    this.rules = rules;
    this.model = schema.model();
  }

  /** Converts one JSON event received at {@code receivedAt} (the default recordedAt and "now" for the rules). */
  public Result read(JsonNode json, Instant receivedAt) {
    Walk walk = new Walk(receivedAt);
    Object event = readRecord(schema.envelope(), json, "", walk, true);
    if (event == INVALID || !walk.errors.isEmpty()) {
      return new Result(null, List.copyOf(walk.errors));
    }
    return new Result((FollowUpEvent) event, List.of());
  }

  private static final class Walk {
    final Instant now;
    final List<FieldError> errors = new ArrayList<>();

    Walk(Instant now) {
      this.now = now;
    }

    Object fail(String path, String message) {
      errors.add(new FieldError(path.isEmpty() ? "$" : path, message));
      return INVALID;
    }
  }

  private Object readRecord(Schema recordSchema, JsonNode json, String path, Walk walk, boolean envelope) {
    if (json == null || !json.isObject()) {
      return walk.fail(path, "must be a JSON object");
    }
    String prefix = path.isEmpty() ? "" : path + ".";
    int errorsBefore = walk.errors.size();

    for (Map.Entry<String, JsonNode> property : json.properties()) {
      String name = property.getKey();
      boolean known = recordSchema.getField(name) != null || (envelope && name.equals(EventSchema.TYPE_PROPERTY));
      if (!known) {
        walk.fail(prefix + echoable(name, "(a field name that is not an identifier)"),
            "unknown field; expected one of: " + expectedFields(recordSchema, envelope));
      }
    }

    Object record = model.newRecord(null, recordSchema);
    Map<String, Object> clean = new LinkedHashMap<>();
    for (Schema.Field field : recordSchema.getFields()) {
      Object value = envelope && field.name().equals(EventSchema.PAYLOAD_FIELD)
          ? readPayload(json, walk)
          : readField(recordSchema, field, json.get(field.name()), prefix + field.name(), walk);
      if (value == INVALID) {
        continue;
      }
      List<String> broken = rules.check(recordSchema, field, value, walk.now);
      if (!broken.isEmpty()) {
        broken.forEach(message -> walk.fail(prefix + field.name(), message));
        continue;
      }
      clean.put(field.name(), value);
      model.setField(record, field.name(), field.pos(), value);
    }
    rules.checkRecord(recordSchema, clean).forEach(e -> walk.errors.add(e.prefixed(prefix)));
    return walk.errors.size() == errorsBefore ? record : INVALID;
  }

  private Object readField(Schema recordSchema, Schema.Field field, JsonNode json, String path, Walk walk) {
    if (json == null) {
      Optional<Object> supplied = rules.suppliedAtReceipt(recordSchema, field, walk.now);
      if (supplied.isPresent()) {
        return supplied.get();
      }
      if (field.hasDefaultValue()) {
        return model.getDefaultValue(field);
      }
      if (EventSchema.isNullable(field.schema())) {
        return null;
      }
      return walk.fail(path, "is required");
    }
    return readValue(field.schema(), field, json, path, walk);
  }

  /** The payload: the record named by the sibling {@code type} property, read from {@code payload}. */
  private Object readPayload(JsonNode envelopeJson, Walk walk) {
    JsonNode type = envelopeJson.get(EventSchema.TYPE_PROPERTY);
    JsonNode payload = envelopeJson.get(EventSchema.PAYLOAD_FIELD);
    String known = String.join(", ", schema.typeNames());
    Schema payloadSchema = null;
    if (type == null || type.isNull()) {
      walk.fail(EventSchema.TYPE_PROPERTY, "is required; one of: " + known);
    } else if (!type.isTextual()) {
      walk.fail(EventSchema.TYPE_PROPERTY, "must be a string naming the event type, one of: " + known);
    } else {
      payloadSchema = schema.payloadType(type.asText()).orElse(null);
      if (payloadSchema == null) {
        walk.fail(EventSchema.TYPE_PROPERTY, "unknown event type '" + abbreviate(echoable(type.asText(), "(not a type name)"))
            + "'; known types: " + known);
      }
    }
    if (payloadSchema == null) {
      if (payload != null && !payload.isObject()) {
        walk.fail(EventSchema.PAYLOAD_FIELD, "must be a JSON object");
      }
      return INVALID;
    }
    if (payload == null || payload.isNull()) {
      Schema branch = payloadSchema;
      boolean needsFields = branch.getFields().stream().anyMatch(f -> !rules.isOptional(branch, f));
      if (needsFields) {
        return walk.fail(EventSchema.PAYLOAD_FIELD, "is required for type " + payloadSchema.getName()
            + " (an object with " + expectedFields(payloadSchema, false) + ")");
      }
      payload = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    return readRecord(payloadSchema, payload, EventSchema.PAYLOAD_FIELD, walk, false);
  }

  /** Reads a value of schema {@code s} for {@code field} (items of an array or map follow their field's rules). */
  private Object readValue(Schema s, Schema.Field field, JsonNode json, String path, Walk walk) {
    switch (s.getType()) {
      case NULL:
        return json.isNull() ? null : walk.fail(path, "must be null");
      case UNION:
        return readUnion(s, field, json, path, walk);
      case RECORD:
        return readRecord(s, json, path, walk, false);
      case ENUM:
        if (json.isTextual() && s.hasEnumSymbol(json.asText())) {
          String retired = EventSchema.retiredSymbols(field).get(json.asText());
          return retired == null ? model.createEnum(json.asText(), s) : walk.fail(path, "must not be " + json.asText() + ": " + retired);
        }
        return walk.fail(path, "must be one of " + String.join(", ", s.getEnumSymbols()));
      case ARRAY:
        return readArray(s, field, json, path, walk);
      case MAP:
        return readMap(s, field, json, path, walk);
      case STRING:
        return readString(s, field, json, path, walk);
      case INT:
        return readInt(s, json, path, walk);
      case LONG:
        return readLong(s, json, path, walk);
      case FLOAT:
        return json.isNumber() ? Float.valueOf(json.floatValue()) : walk.fail(path, "must be a number");
      case DOUBLE:
        return json.isNumber() ? Double.valueOf(json.doubleValue()) : walk.fail(path, "must be a number");
      case BOOLEAN:
        return json.isBoolean() ? Boolean.valueOf(json.booleanValue()) : walk.fail(path, "must be true or false");
      default:
        // bytes and fixed have no natural JSON form; the contract does not use them in events
        return walk.fail(path, "has an Avro type (" + s.getType() + ") the JSON intake cannot accept");
    }
  }

  private Object readUnion(Schema s, Schema.Field field, JsonNode json, String path, Walk walk) {
    List<Schema> branches = EventSchema.nonNullBranches(s);
    if (json.isNull()) {
      return EventSchema.isNullable(s) ? null : walk.fail(path, "must not be null");
    }
    if (branches.size() == 1) {
      return readValue(branches.get(0), field, json, path, walk);
    }
    // Several non-null branches: the first that reads without errors wins.
    for (Schema branch : branches) {
      Walk trial = new Walk(walk.now);
      Object value = readValue(branch, field, json, path, trial);
      if (value != INVALID && trial.errors.isEmpty()) {
        return value;
      }
    }
    return walk.fail(path, "must match one of: "
        + branches.stream().map(b -> b.getType() == Schema.Type.RECORD || b.getType() == Schema.Type.ENUM
            ? b.getName() : b.getType().getName()).collect(Collectors.joining(", ")));
  }

  private Object readArray(Schema s, Schema.Field field, JsonNode json, String path, Walk walk) {
    if (!json.isArray()) {
      return walk.fail(path, "must be a JSON array");
    }
    // before the items: a huge array of bad items is one error, not one per item
    if (json.size() > BusinessRules.MAX_ARRAY_ITEMS) {
      return walk.fail(path, "must contain at most " + BusinessRules.MAX_ARRAY_ITEMS + " items");
    }
    List<Object> items = new ArrayList<>(json.size());
    boolean ok = true;
    for (int i = 0; i < json.size(); i++) {
      Object item = readValue(s.getElementType(), field, json.get(i), path + "[" + i + "]", walk);
      ok &= item != INVALID;
      items.add(item);
    }
    return ok ? items : INVALID;
  }

  private Object readMap(Schema s, Schema.Field field, JsonNode json, String path, Walk walk) {
    if (!json.isObject()) {
      return walk.fail(path, "must be a JSON object");
    }
    Map<String, Object> entries = new LinkedHashMap<>();
    boolean ok = true;
    for (Map.Entry<String, JsonNode> entry : json.properties()) {
      Object value = readValue(s.getValueType(), field, entry.getValue(),
          path + "." + echoable(entry.getKey(), "(a key that is not an identifier)"), walk);
      ok &= value != INVALID;
      entries.put(entry.getKey(), value);
    }
    return ok ? entries : INVALID;
  }

  private Object readString(Schema s, Schema.Field field, JsonNode json, String path, Walk walk) {
    if (!json.isTextual()) {
      return walk.fail(path, EventSchema.isUuid(s) ? "must be a UUID string" : "must be a string");
    }
    String text = json.asText();
    if (text.isBlank()) {
      return walk.fail(path, "must not be blank");
    }
    String problem = rules.checkText(field.name(), s, text);
    if (problem != null) {
      return walk.fail(path, problem);
    }
    LogicalType logicalType = s.getLogicalType();
    Conversion<?> conversion = logicalType == null ? null : model.getConversionFor(logicalType);
    return conversion == null ? text : conversion.fromCharSequence(text, s, logicalType);
  }

  private Object readInt(Schema s, JsonNode json, String path, Walk walk) {
    LogicalType logicalType = s.getLogicalType();
    if (logicalType instanceof LogicalTypes.Date) {
      if (!json.isTextual()) {
        return walk.fail(path, "must be an ISO-8601 date, e.g. 2026-11-23");
      }
      try {
        LocalDate date = LocalDate.parse(json.asText());
        Conversion<?> conversion = model.getConversionFor(logicalType);
        return conversion == null ? Integer.valueOf((int) date.toEpochDay())
            : conversion.fromInt((int) date.toEpochDay(), s, logicalType);
      } catch (DateTimeException e) {
        return walk.fail(path, "must be an ISO-8601 date, e.g. 2026-11-23");
      }
    }
    if (!json.isIntegralNumber() || !json.canConvertToInt()) {
      return walk.fail(path, "must be an integer");
    }
    return json.intValue();
  }

  private Object readLong(Schema s, JsonNode json, String path, Walk walk) {
    LogicalType logicalType = s.getLogicalType();
    boolean millis = logicalType instanceof LogicalTypes.TimestampMillis;
    boolean micros = logicalType instanceof LogicalTypes.TimestampMicros;
    if (!millis && !micros) {
      if (!json.isIntegralNumber() || !json.canConvertToLong()) {
        return walk.fail(path, "must be an integer");
      }
      return json.longValue();
    }
    if (!json.isTextual()) {
      return walk.fail(path, TIMESTAMP_HINT);
    }
    Instant instant;
    long raw;
    try {
      instant = DateTimeFormatter.ISO_OFFSET_DATE_TIME.parse(json.asText(), OffsetDateTime::from).toInstant();
      raw = millis ? instant.toEpochMilli() : ChronoUnit.MICROS.between(Instant.EPOCH, instant);
    } catch (DateTimeException | ArithmeticException e) {
      return walk.fail(path, TIMESTAMP_HINT);
    }
    Conversion<?> conversion = model.getConversionFor(logicalType);
    return conversion == null ? Long.valueOf(raw) : conversion.fromLong(raw, s, logicalType);
  }

  private static String expectedFields(Schema recordSchema, boolean envelope) {
    List<String> names = new ArrayList<>();
    for (Schema.Field f : recordSchema.getFields()) {
      if (envelope && f.name().equals(EventSchema.PAYLOAD_FIELD)) {
        names.add(EventSchema.TYPE_PROPERTY);
      }
      names.add(f.name());
    }
    return names.isEmpty() ? "no fields" : String.join(", ", names);
  }

  /**
   * Text the caller chose (a field name, a type) is echoed in errors and logged only when it looks
   * like a schema name: anything else, such as an identity number typed into the wrong place, is
   * replaced by a description. Public for the HTTP layer, which reads the batch envelope itself.
   */
  public static String echoable(String callerText, String replacement) {
    return callerText != null && callerText.matches("[A-Za-z_][A-Za-z0-9_]{0,63}")
        && !IdShapes.looksLikeNationalIdentityNumber(callerText) ? callerText : replacement;
  }

  private static String abbreviate(String text) {
    return text.length() <= MAX_ECHOED_TYPE_LENGTH ? text : text.substring(0, MAX_ECHOED_TYPE_LENGTH) + "...";
  }
}
