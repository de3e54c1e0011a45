package no.followup.dashboard.forms;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import no.followup.common.rules.IdShapes;
import no.followup.events.FollowUpEvent;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The forms of the page, one per event type, generated from the event contract
 * ({@code FollowUpEvent.avsc}): the payload union's records are the forms, their fields the inputs.
 * An enum becomes a choice of its symbols, an array of enums a set of checkboxes, a timestamp a
 * date and time in the dashboard's zone, a boolean a yes/no, an int a number, a nullable field an
 * optional one. The few fields whose input the schema cannot say are named in {@link #INPUT_BY_NAME}
 * (a meeting to pick, a new meeting's id, a staff id that defaults to the signed-in person) and
 * {@link #SCORE_TYPE} (the COOP/WONCA charts, 1-5 each). A new event type in the contract gets a form
 * with no change here; its labels come from the message bundles (a test checks every one has them).
 */
public final class FormCatalog {

  /** How a field is entered on the page. */
  public enum Input { TEXT, STAFF, NEW_MEETING, MEETING, SELECT, CHECKBOXES, DATETIME, NUMBER, SCORE, YES_NO }

  /**
   * One input.
   *
   * @param name the payload field (the intake's field error names it {@code payload.<name>})
   * @param enumName the enum of a SELECT or CHECKBOXES input, whose symbols' labels are {@code enum.<enumName>.<symbol>}
   * @param options the symbols offered (an enum's catch-all for unknown symbols is left out)
   */
  public record Field(String name, Input input, boolean required, String enumName, List<String> options, Integer min,
      Integer max, Integer maxLength) {}

  /** One form: an event type and its fields; {@code restricted} forms ask for a confirmation (erasure). */
  public record Form(String type, List<Field> fields, boolean restricted) {}

  /** The COOP/WONCA measurement: its int fields are the charts, each 1 (best) to 5 (worst). */
  public static final String SCORE_TYPE = "FunctionScoreRecorded";
  public static final String ENROLMENT = "ParticipantEnrolled";
  public static final String ERASURE = "ParticipantErased";
  public static final String MEETING_SCHEDULED = "MeetingScheduled";

  /**
   * Payloads that are no coordinator's record: a cohort's definition is the project's (its leads post
   * it through the API or the CLI), and a sealed payload is what the intake itself writes.
   */
  private static final Set<String> NOT_RECORDED_ON_FORMS = Set.of("CohortDefined", "SpecialistCapacitySet", "SealedPayload");
  private static final Map<String, Input> INPUT_BY_NAME = Map.of(
      "meetingId", Input.MEETING, "coordinatorId", Input.STAFF);
  /** Symbols that stand for "a reader met a symbol it does not know", never chosen by a person. */
  private static final Set<String> UNKNOWN_SYMBOLS = Set.of("UNKNOWN");
  /** The contract's field property naming enum symbols no longer recorded (the intake's EventSchema reads it too). */
  private static final String RETIRED_SYMBOLS = "retiredSymbols";
  /** The intake's longest id; the intake checks, the page only stops typing there. */
  private static final int ID_MAX_LENGTH = IdShapes.MAX_ID_LENGTH;
  private static final int HOURS_MAX = 100;

  private final List<Form> forms;

  public FormCatalog() {
    this(FollowUpEvent.getClassSchema());
  }

  FormCatalog(Schema eventSchema) {
    List<Form> list = new ArrayList<>();
    for (Schema payload : eventSchema.getField("payload").schema().getTypes()) {
      if (NOT_RECORDED_ON_FORMS.contains(payload.getName())) {
        continue;
      }
      List<Field> fields = new ArrayList<>();
      for (Schema.Field f : payload.getFields()) {
        fields.add(field(payload.getName(), f));
      }
      list.add(new Form(payload.getName(), List.copyOf(fields), payload.getName().equals(ERASURE)));
    }
    this.forms = List.copyOf(list);
  }

  public List<Form> forms() {
    return forms;
  }

  public Optional<Form> form(String type) {
    return forms.stream().filter(f -> f.type().equals(type)).findFirst();
  }

  private static Field field(String type, Schema.Field f) {
    Schema schema = f.schema();
    boolean required = true;
    if (schema.getType() == Schema.Type.UNION) {
      required = schema.getTypes().stream().noneMatch(s -> s.getType() == Schema.Type.NULL);
      schema = schema.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).findFirst().orElseThrow();
    }
    if (schema.getType() == Schema.Type.BOOLEAN && f.hasDefaultValue()) {
      required = false;
    }
    String name = f.name();
    if (type.equals(MEETING_SCHEDULED) && name.equals("meetingId")) {
      return new Field(name, Input.NEW_MEETING, true, null, List.of(), null, null, ID_MAX_LENGTH);
    }
    if (INPUT_BY_NAME.containsKey(name) && schema.getType() == Schema.Type.STRING) {
      return new Field(name, INPUT_BY_NAME.get(name), required, null, List.of(), null, null, ID_MAX_LENGTH);
    }
    return switch (schema.getType()) {
      case ENUM -> new Field(name, Input.SELECT, required, schema.getName(), offered(f, symbols(schema)), null, null, null);
      case ARRAY -> new Field(name, Input.CHECKBOXES, required, schema.getElementType().getName(),
          symbols(schema.getElementType()), null, null, null);
      case LONG -> {
        if (!(schema.getLogicalType() instanceof LogicalTypes.TimestampMillis)) {
          throw new IllegalStateException("no form input for the long field " + type + "." + name);
        }
        yield new Field(name, Input.DATETIME, required, null, List.of(), null, null, null);
      }
      case INT -> type.equals(SCORE_TYPE)
          ? new Field(name, Input.SCORE, required, null, List.of(), 1, 5, null)
          : new Field(name, Input.NUMBER, required, null, List.of(), 1, HOURS_MAX, null);
      case BOOLEAN -> new Field(name, Input.YES_NO, required, null, List.of(), null, null, null);
      case STRING -> new Field(name, Input.TEXT, required, null, List.of(), null, null, ID_MAX_LENGTH);
      default -> throw new IllegalStateException("no form input for the field " + type + "." + name);
    };
  }

  /** The symbols without those the contract retires for this field ({@code retiredSymbols}: the intake refuses them). */
  private static List<String> offered(Schema.Field f, List<String> symbols) {
    Object retired = f.getObjectProp(RETIRED_SYMBOLS);
    return retired instanceof Map<?, ?> bySymbol
        ? symbols.stream().filter(symbol -> !bySymbol.containsKey(symbol)).toList()
        : symbols;
  }

  private static List<String> symbols(Schema enumSchema) {
    if (enumSchema.getType() != Schema.Type.ENUM) {
      throw new IllegalStateException("not an enum: " + enumSchema.getName());
    }
    return enumSchema.getEnumSymbols().stream().filter(s -> !UNKNOWN_SYMBOLS.contains(s)).toList();
  }
}
