package no.followup.intake.event;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import no.followup.events.FollowUpEvent;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;

/**
 * The JSON view of the {@link FollowUpEvent} contract: the envelope's fields as they are, and the
 * payload union flattened into a {@code type} property (the payload record's name) next to a plain
 * {@code payload} object. Everything here is read from the Avro schema, so a payload type appended
 * to the union is accepted, documented and exemplified without code changes.
 */
public final class EventSchema {

  /** JSON property naming the payload record; it has no field of its own in the Avro envelope. */
  public static final String TYPE_PROPERTY = "type";
  /** The envelope field holding the union of payload records. */
  public static final String PAYLOAD_FIELD = "payload";
  /** A field's property naming the enum symbols no longer accepted for it, each with the reason. */
  public static final String RETIRED_SYMBOLS = "retiredSymbols";
  /** The payload branch the intake writes a sealed health payload as (see EventSealer). */
  public static final String SEALED_PAYLOAD = "SealedPayload";

  private static final EventSchema INSTANCE = new EventSchema(FollowUpEvent.getClassSchema());

  private final Schema envelope;
  private final Map<String, Schema> payloadTypes;
  private final SpecificData model;

  private EventSchema(Schema envelope) {
    this.envelope = envelope;
    Schema.Field payload = envelope.getField(PAYLOAD_FIELD);
    if (payload == null || payload.schema().getType() != Schema.Type.UNION) {
      throw new IllegalStateException("the event envelope has no payload union");
    }
    Map<String, Schema> types = new LinkedHashMap<>();
    for (Schema branch : payload.schema().getTypes()) {
      if (branch.getType() != Schema.Type.RECORD) {
        throw new IllegalStateException("payload union branch " + branch + " is not a record");
      }
      if (branch.getName().equals(SEALED_PAYLOAD)) {
        continue; // the intake's own transport form of a health payload: never recorded by a client
      }
      types.put(branch.getName(), branch);
    }
    this.payloadTypes = Collections.unmodifiableMap(types);
    // The generated class's own model carries the logical-type conversions (UUID, Instant).
    this.model = SpecificData.getForClass(FollowUpEvent.class);
  }

  public static EventSchema get() {
    return INSTANCE;
  }

  public Schema envelope() {
    return envelope;
  }

  /** Payload record schemas by simple name, in union order. */
  public Map<String, Schema> payloadTypes() {
    return payloadTypes;
  }

  public List<String> typeNames() {
    return List.copyOf(payloadTypes.keySet());
  }

  /** The payload record for a {@code type} value: its simple name or its full name. */
  public Optional<Schema> payloadType(String name) {
    Schema byName = payloadTypes.get(name);
    if (byName != null) {
      return Optional.of(byName);
    }
    return payloadTypes.values().stream().filter(s -> s.getFullName().equals(name)).findFirst();
  }

  public SpecificData model() {
    return model;
  }

  /** True when {@code schema} is a union containing null. */
  static boolean isNullable(Schema schema) {
    return schema.getType() == Schema.Type.NULL
        || (schema.getType() == Schema.Type.UNION
            && schema.getTypes().stream().anyMatch(s -> s.getType() == Schema.Type.NULL));
  }

  /** True when a JSON event may leave the field out: it has a default or may be null. */
  static boolean isOptional(Schema.Field field) {
    return field.hasDefaultValue() || isNullable(field.schema());
  }

  /** True when {@code schema} is a string carrying a UUID (logical type uuid). */
  public static boolean isUuid(Schema schema) {
    return schema.getLogicalType() != null && schema.getLogicalType().getName().equals(LogicalTypes.uuid().getName());
  }

  /** The non-null branches of a union, or the schema itself when it is not a union. */
  static List<Schema> nonNullBranches(Schema schema) {
    if (schema.getType() != Schema.Type.UNION) {
      return List.of(schema);
    }
    return schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
  }

  /**
   * The enum symbols the contract retires for {@code field} (its {@value #RETIRED_SYMBOLS} property: symbol to
   * the reason, which says what to record instead); they stay in the enum so older events still read.
   */
  static Map<String, String> retiredSymbols(Schema.Field field) {
    Object retired = field == null ? null : field.getObjectProp(RETIRED_SYMBOLS);
    if (!(retired instanceof Map<?, ?> bySymbol)) {
      return Map.of();
    }
    Map<String, String> out = new LinkedHashMap<>();
    bySymbol.forEach((symbol, reason) -> out.put(String.valueOf(symbol), String.valueOf(reason)));
    return out;
  }
}
