package no.followup.intake.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import no.followup.intake.event.BusinessRules;
import no.followup.intake.event.EventSchema;
import no.followup.intake.event.ExampleEvents;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The OpenAPI 3 description of the intake API, generated from the Avro contract when the service
 * starts so it cannot drift from what the validator accepts: one schema per payload type, with the
 * Avro docs as descriptions, the business rules spelled out, and an example of every type.
 */
public final class OpenApiDocument {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String REF_PREFIX = "#/components/schemas/";

  private final EventSchema schema = EventSchema.get();
  private final BusinessRules rules = new BusinessRules();
  private final ObjectNode schemas = NODES.objectNode();
  private final long maxBodyBytes;
  private final int maxBatchEvents;

  private OpenApiDocument(long maxBodyBytes, int maxBatchEvents) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxBatchEvents = maxBatchEvents;
  }

  public static ObjectNode generate(long maxBodyBytes, int maxBatchEvents, Instant now) {
    return new OpenApiDocument(maxBodyBytes, maxBatchEvents).build(now);
  }

  private ObjectNode build(Instant now) {
    ObjectNode doc = NODES.objectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", "followup intake");
    info.put("version", "1");
    info.put("description", """
        Publishes follow-up events (what happened in a participant's close follow-up) to the event store.
        The JSON mirrors the Avro contract FollowUpEvent: the envelope fields, `type` naming the payload record, \
        and `payload` with that record's fields. Timestamps are ISO-8601 instants with offset, enums their symbols, \
        nullable fields may be left out. Unknown fields are rejected, so a typo is never silently ignored.

        Idempotency: `eventId` (a UUID chosen by the sending tool) is the idempotency key. Sending an event again \
        with the same eventId is safe and is answered 202 again; it does not create a second event downstream \
        (every consumer deduplicates by eventId, and this service skips resends it has just written). \
        After a 503 the event may or may not have been written: send it again with the same eventId.

        Limits: every text field has a maxLength and a pattern of printable ASCII (no control characters), \
        arrays a maxItems, timestamps a range (see each field), so an accepted event is at most a few hundred bytes.

        Privacy: participantId is a pseudonymous id, never a national identity number; values are never echoed \
        in error messages.""");

    for (String type : schema.typeNames()) {
      recordSchema(schema.payloadTypes().get(type));
    }
    schemas.set("EventEnvelope", envelopeSchema());
    ObjectNode oneOf = NODES.objectNode();
    ArrayNode variants = oneOf.putArray("oneOf");
    ObjectNode discriminator = oneOf.putObject("discriminator");
    discriminator.put("propertyName", EventSchema.TYPE_PROPERTY);
    ObjectNode mapping = discriminator.putObject("mapping");
    for (String type : schema.typeNames()) {
      String name = type + "Event";
      schemas.set(name, eventVariant(type));
      variants.addObject().put("$ref", REF_PREFIX + name);
      mapping.put(type, REF_PREFIX + name);
    }
    oneOf.put("description", "A follow-up event: the envelope plus `type` and the matching `payload`.");
    schemas.set("Event", oneOf);
    addApiSchemas();

    ObjectNode examples = NODES.objectNode();
    ExampleEvents exampleEvents = new ExampleEvents();
    for (String type : schema.typeNames()) {
      examples.putObject(type).put("summary", type).set("value", exampleEvents.example(type, now));
    }
    ObjectNode batchExample = NODES.objectNode();
    ArrayNode batchEvents = batchExample.putArray("events");
    batchEvents.add(exampleEvents.example("MeetingScheduled", now));
    batchEvents.add(exampleEvents.example("ContactMade", now));

    ObjectNode paths = doc.putObject("paths");
    paths.putObject("/api/v1/events").set("post", operation(
        "Publish one event",
        "Validates the event and answers 202 once the broker acknowledged it (acks=all). "
            + "Every offending field is listed in a 400.",
        "Event", examples, "Accepted"));
    ObjectNode batchExamples = NODES.objectNode();
    batchExamples.putObject("twoEvents").put("summary", "Two events").set("value", batchExample);
    paths.putObject("/api/v1/events/batch").set("post", operation(
        "Publish a batch of events, all or nothing",
        "Validates every event first; if any is invalid, nothing is written and the 400 names each field as "
            + "`events[i].field`. Otherwise the batch is written in one transaction and answered 202 once committed. "
            + "At most " + maxBatchEvents + " events. The same eventId twice in one batch is allowed only for "
            + "identical events (written once); with different content it is a 400.",
        "Batch", batchExamples, "BatchAccepted"));
    paths.putObject("/health/live").set("get", health("The process is up."));
    paths.putObject("/health/ready").set("get", health("The broker is reachable, so events can be accepted; 503 otherwise."));
    ObjectNode openapi = paths.putObject("/openapi.json").putObject("get");
    openapi.put("summary", "This document");
    openapi.putObject("responses").putObject("200").put("description", "The OpenAPI document");

    ObjectNode components = doc.putObject("components");
    components.set("schemas", schemas);
    components.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
        .put("description", "An OIDC access token (typ at+jwt) for the intake's audience; in a local setup, the local token");
    return doc;
  }

  private ObjectNode operation(String summary, String description, String requestSchema, ObjectNode examples,
      String acceptedSchema) {
    ObjectNode op = NODES.objectNode();
    op.put("summary", summary);
    op.put("description", description);
    op.putArray("security").addObject().putArray("bearer");
    ObjectNode body = op.putObject("requestBody");
    body.put("required", true);
    ObjectNode json = body.putObject("content").putObject("application/json");
    json.putObject("schema").put("$ref", REF_PREFIX + requestSchema);
    json.set("examples", examples);
    ObjectNode responses = op.putObject("responses");
    response(responses, "202", "Accepted: written and acknowledged by the broker", acceptedSchema);
    response(responses, "400", "Invalid: every offending field with a message", "ValidationError");
    response(responses, "401", "No bearer token, or one that is invalid, expired or not for the intake", "Error");
    response(responses, "403", "A valid event the caller may not record: the event type for their roles, the office, or "
        + "an actor other than themselves; the fields say which (`events[i].field` in a batch), nothing was written",
        "ValidationError");
    response(responses, "409", "The eventId was just used for an event with different content (error `eventId already "
        + "used`), or the event is for a participant who was erased (error `participant erased`, field `participantId`; "
        + "only a repeated ParticipantErased is accepted); nothing was written", "ValidationError");
    response(responses, "413", "The body is larger than " + maxBodyBytes + " bytes, or the event store refused an event "
        + "as too large (not expected for events within the documented limits); nothing was written", "Error");
    response(responses, "415", "The content type is not application/json", "Error");
    ObjectNode unavailable = response(responses, "503",
        "The event store did not acknowledge in time; nothing is guaranteed written: retry later with the same eventId(s)",
        "Error");
    ObjectNode retryAfter = unavailable.putObject("headers").putObject("Retry-After");
    retryAfter.put("description", "Seconds to wait before retrying");
    retryAfter.putObject("schema").put("type", "integer");
    return op;
  }

  private static ObjectNode response(ObjectNode responses, String status, String description, String schemaName) {
    ObjectNode response = responses.putObject(status);
    response.put("description", description);
    response.putObject("content").putObject("application/json").putObject("schema").put("$ref", REF_PREFIX + schemaName);
    return response;
  }

  private static ObjectNode health(String description) {
    ObjectNode op = NODES.objectNode();
    op.put("summary", description);
    ObjectNode responses = op.putObject("responses");
    responses.putObject("200").put("description", "Up / ready");
    responses.putObject("503").put("description", "Not ready");
    return op;
  }

  private void addApiSchemas() {
    ObjectNode batch = object("A batch of events, written all or nothing.");
    ObjectNode events = batch.putObject("properties").putObject("events");
    events.put("type", "array");
    events.put("minItems", 1);
    events.put("maxItems", maxBatchEvents);
    events.putObject("items").put("$ref", REF_PREFIX + "Event");
    batch.putArray("required").add("events");
    schemas.set("Batch", batch);

    ObjectNode accepted = object("The event was written.");
    accepted.putObject("properties").putObject("eventId").put("type", "string").put("format", "uuid");
    accepted.putArray("required").add("eventId");
    schemas.set("Accepted", accepted);

    ObjectNode batchAccepted = object("Every event of the batch was written; their eventIds in request order.");
    ObjectNode ids = batchAccepted.putObject("properties").putObject("accepted");
    ids.put("type", "array");
    ids.putObject("items").put("type", "string").put("format", "uuid");
    batchAccepted.putArray("required").add("accepted");
    schemas.set("BatchAccepted", batchAccepted);

    ObjectNode error = object("An error.");
    error.putObject("properties").putObject("error").put("type", "string");
    error.putArray("required").add("error");
    schemas.set("Error", error);

    ObjectNode fieldError = object("One offending field. The message never repeats the submitted value.");
    ObjectNode fieldProps = fieldError.putObject("properties");
    fieldProps.putObject("field").put("type", "string")
        .put("description", "Path of the field, e.g. payload.kind, actor.role, events[3].occurredAt; $ is the whole body.");
    fieldProps.putObject("message").put("type", "string");
    fieldError.putArray("required").add("field").add("message");
    schemas.set("FieldError", fieldError);

    ObjectNode validation = object("The request was rejected; every offending field is listed.");
    ObjectNode validationProps = validation.putObject("properties");
    validationProps.putObject("error").put("type", "string").put("example", "invalid event");
    ObjectNode fields = validationProps.putObject("fields");
    fields.put("type", "array");
    fields.putObject("items").put("$ref", REF_PREFIX + "FieldError");
    validation.putArray("required").add("error").add("fields");
    schemas.set("ValidationError", validation);
  }

  private ObjectNode envelopeSchema() {
    Schema envelope = schema.envelope();
    ObjectNode json = object(envelope.getDoc());
    ObjectNode properties = json.putObject("properties");
    ArrayNode required = json.putArray("required");
    for (Schema.Field field : envelope.getFields()) {
      if (field.name().equals(EventSchema.PAYLOAD_FIELD)) {
        ObjectNode type = properties.putObject(EventSchema.TYPE_PROPERTY);
        type.put("type", "string");
        type.put("description", "The payload type: the name of the payload record.");
        ArrayNode symbols = type.putArray("enum");
        schema.typeNames().forEach(symbols::add);
        required.add(EventSchema.TYPE_PROPERTY);
        ObjectNode payload = properties.putObject(EventSchema.PAYLOAD_FIELD);
        payload.put("type", "object");
        payload.put("description", field.doc() + " Its fields are those of the record named by `type`.");
        continue;
      }
      properties.set(field.name(), fieldSchema(envelope, field));
      if (!isOptional(envelope, field)) {
        required.add(field.name());
      }
    }
    return json;
  }

  private ObjectNode eventVariant(String type) {
    ObjectNode variant = NODES.objectNode();
    variant.put("description", schema.payloadTypes().get(type).getDoc());
    ArrayNode allOf = variant.putArray("allOf");
    allOf.addObject().put("$ref", REF_PREFIX + "EventEnvelope");
    ObjectNode specific = allOf.addObject();
    specific.put("type", "object");
    ObjectNode properties = specific.putObject("properties");
    properties.putObject(EventSchema.TYPE_PROPERTY).put("type", "string").putArray("enum").add(type);
    properties.putObject(EventSchema.PAYLOAD_FIELD).put("$ref", REF_PREFIX + type);
    ArrayNode required = specific.putArray("required").add(EventSchema.TYPE_PROPERTY);
    Schema payload = schema.payloadTypes().get(type);
    if (payload.getFields().stream().anyMatch(f -> !isOptional(payload, f))) {
      required.add(EventSchema.PAYLOAD_FIELD);
    }
    return variant;
  }

  /** Adds a record's schema to the components (once) and returns a reference to it. */
  private ObjectNode recordSchema(Schema record) {
    if (!schemas.has(record.getName())) {
      schemas.putObject(record.getName()); // placeholder against recursion
      ObjectNode json = object(record.getDoc());
      json.put("additionalProperties", false);
      ObjectNode properties = json.putObject("properties");
      List<String> required = new ArrayList<>();
      for (Schema.Field field : record.getFields()) {
        properties.set(field.name(), fieldSchema(record, field));
        if (!isOptional(record, field)) {
          required.add(field.name());
        }
      }
      if (!required.isEmpty()) {
        ArrayNode list = json.putArray("required");
        required.forEach(list::add);
      }
      schemas.set(record.getName(), json);
    }
    return ref(record.getName());
  }

  private ObjectNode fieldSchema(Schema record, Schema.Field field) {
    ObjectNode json = valueSchema(field.schema(), field.name());
    List<String> notes = new ArrayList<>();
    if (field.doc() != null) {
      notes.add(field.doc());
    }
    notes.addAll(rules.describe(record, field));
    if (field.hasDefaultValue() && field.defaultVal() != null && field.defaultVal() != org.apache.avro.JsonProperties.NULL_VALUE) {
      notes.add("Default: " + field.defaultVal() + ".");
    }
    String description = String.join(" ", notes);
    if (json.has("$ref")) {
      // OpenAPI 3.0 ignores siblings of $ref: wrap it to keep the description
      ObjectNode wrapped = NODES.objectNode();
      wrapped.putArray("allOf").add(json);
      json = wrapped;
    }
    if (!description.isEmpty()) {
      json.put("description", description);
    }
    return json;
  }

  /** The JSON schema of a value of {@code s} held by field {@code fieldName} (whose rules bound its text). */
  private ObjectNode valueSchema(Schema s, String fieldName) {
    switch (s.getType()) {
      case UNION: {
        List<Schema> branches = s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
        boolean nullable = branches.size() < s.getTypes().size();
        ObjectNode json;
        if (branches.size() == 1) {
          json = valueSchema(branches.get(0), fieldName);
        } else {
          json = NODES.objectNode();
          ArrayNode oneOf = json.putArray("oneOf");
          branches.forEach(b -> oneOf.add(valueSchema(b, fieldName)));
        }
        if (nullable) {
          if (json.has("$ref")) {
            ObjectNode wrapped = NODES.objectNode();
            wrapped.putArray("allOf").add(json);
            json = wrapped;
          }
          json.put("nullable", true);
        }
        return json;
      }
      case RECORD:
        return recordSchema(s);
      case ENUM: {
        if (!schemas.has(s.getName())) {
          ObjectNode json = NODES.objectNode();
          json.put("type", "string");
          if (s.getDoc() != null) {
            json.put("description", s.getDoc());
          }
          ArrayNode symbols = json.putArray("enum");
          s.getEnumSymbols().forEach(symbols::add);
          schemas.set(s.getName(), json);
        }
        return ref(s.getName());
      }
      case ARRAY: {
        ObjectNode json = NODES.objectNode().put("type", "array").put("maxItems", BusinessRules.MAX_ARRAY_ITEMS);
        json.set("items", valueSchema(s.getElementType(), fieldName));
        return json;
      }
      case MAP: {
        ObjectNode json = NODES.objectNode().put("type", "object");
        json.set("additionalProperties", valueSchema(s.getValueType(), fieldName));
        return json;
      }
      case STRING: {
        BusinessRules.TextShape shape = rules.textShape(fieldName, s);
        ObjectNode json = NODES.objectNode().put("type", "string").put("minLength", 1)
            .put("maxLength", shape.maxLength()).put("pattern", shape.pattern().pattern());
        if (EventSchema.isUuid(s)) {
          json.put("format", "uuid");
        }
        return json;
      }
      case INT:
        if (s.getLogicalType() instanceof LogicalTypes.Date) {
          return NODES.objectNode().put("type", "string").put("format", "date");
        }
        return NODES.objectNode().put("type", "integer").put("format", "int32");
      case LONG:
        if (s.getLogicalType() instanceof LogicalTypes.TimestampMillis
            || s.getLogicalType() instanceof LogicalTypes.TimestampMicros) {
          return NODES.objectNode().put("type", "string").put("format", "date-time");
        }
        return NODES.objectNode().put("type", "integer").put("format", "int64");
      case FLOAT:
        return NODES.objectNode().put("type", "number").put("format", "float");
      case DOUBLE:
        return NODES.objectNode().put("type", "number").put("format", "double");
      case BOOLEAN:
        return NODES.objectNode().put("type", "boolean");
      default:
        return NODES.objectNode();
    }
  }

  private boolean isOptional(Schema record, Schema.Field field) {
    return rules.isOptional(record, field);
  }

  private static ObjectNode object(String description) {
    ObjectNode json = NODES.objectNode();
    json.put("type", "object");
    if (description != null) {
      json.put("description", description);
    }
    return json;
  }

  private static ObjectNode ref(String name) {
    return NODES.objectNode().put("$ref", REF_PREFIX + name);
  }
}
