package no.followup.intake.event;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import no.followup.common.rules.EventTimes;
import no.followup.common.rules.IdShapes;
import no.followup.figures.CaseloadRange;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;

/**
 * The rules an event must follow beyond its Avro shape. This table is the only place that names
 * specific records and fields; everything else is driven by the schema. Text is checked as it is
 * read ({@link #checkText}); the other rules see a value only after it converted cleanly, so one bad
 * field yields one message.
 *
 * <p>Every value is bounded: text by a {@link TextShape} (length and pattern), arrays by
 * {@link #MAX_ARRAY_ITEMS}, timestamps and dates by a range, shares to 0-1. An accepted event
 * therefore encodes to a few hundred bytes whatever the caller sends, and no consumer downstream
 * meets a value it cannot hold.
 */
public final class BusinessRules {

  /** How far ahead of our clock a tool's clock may be. */
  public static final Duration CLOCK_SKEW = EventTimes.CLOCK_SKEW;
  /** How far ahead any timestamp may be; meetings are the only things planned ahead, and not further than this. */
  public static final int MAX_YEARS_AHEAD = 2;
  /** Nothing the service follows up happened before this; an earlier time is a typo or a zero date. */
  public static final Instant EARLIEST_TIMESTAMP = Instant.parse("2000-01-01T00:00:00Z");
  /** Most items in any array field (the longest today, target groups, has six symbols to choose from). */
  public static final int MAX_ARRAY_ITEMS = 20;
  /** How far ahead a date may be: a project period is planned years ahead, its reporting dates too. */
  public static final int MAX_DATE_YEARS_AHEAD = 10;
  /** The key prefix of a cohort's definitions in the participantId field: {@code cohort:<cohortId>}. */
  public static final String COHORT_KEY_PREFIX = "cohort:";

  /**
   * The form a text value must have: at most {@code maxLength} characters, all matching {@code pattern}.
   * Every pattern admits printable ASCII only (a cohort's name also the Norwegian letters æøå), so
   * control characters (NUL among them), emoji and look-alike digits never pass, and an accepted text
   * is at most twice as many bytes as characters.
   *
   * @param description completes "must be ...", e.g. "a NAV unit number: 4 digits"
   */
  public record TextShape(String description, int maxLength, Pattern pattern, String example) {}

  private static final Pattern FOUR_DIGITS = Pattern.compile("^[0-9]{4}$");

  /**
   * Ids of participants, staff and meetings, offices and cohorts: {@link IdShapes}, the shapes the
   * consumers of the event log and the dashboard hold them to as well.
   */
  private static final TextShape PSEUDONYMOUS_ID = new TextShape(IdShapes.PSEUDONYMOUS_ID_DESCRIPTION,
      IdShapes.MAX_ID_LENGTH, IdShapes.PSEUDONYMOUS_ID, "p-7f3a9c");
  private static final TextShape NAV_UNIT_NUMBER = new TextShape(IdShapes.NAV_UNIT_NUMBER_DESCRIPTION, 4,
      IdShapes.NAV_UNIT_NUMBER, "0403");
  private static final TextShape MUNICIPALITY_NUMBER = new TextShape("a municipality number: 4 digits", 4, FOUR_DIGITS, "3421");
  private static final TextShape COHORT_SLUG = new TextShape(IdShapes.COHORT_SLUG_DESCRIPTION,
      IdShapes.MAX_COHORT_SLUG_LENGTH, IdShapes.COHORT_SLUG, "gjovik-2025");
  /** A project's display name: letters (with æøå), digits, spaces and a little punctuation. */
  private static final TextShape COHORT_NAME = new TextShape(
      "a project name: 1 to 80 letters (æøå too), digits, spaces or , . : ( ) ' / -, starting with a letter or digit",
      80, Pattern.compile("^[A-Za-z0-9ÆØÅæøå][A-Za-z0-9ÆØÅæøå ,.:()'/-]{0,79}$"), "OPTIMIST, NAV Trysil");
  private static final TextShape UUID = new TextShape("a UUID", 36,
      Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"),
      "6f1c2a3e-3b7e-4c1a-9a57-0d7a3c1f5e21");

  /**
   * Text fields by name. Every other string field (participantId, staffId, coordinatorId, counsellorId,
   * specialistId, meetingId) is a pseudonymous id, the strictest shape, so a string field added to the
   * schema is bounded before anyone thinks of it; one that needs another shape gets a line here.
   */
  private static final Map<String, TextShape> TEXT_SHAPES = Map.of(
      "officeId", NAV_UNIT_NUMBER,
      "offices", NAV_UNIT_NUMBER,
      "cohortId", COHORT_SLUG,
      "name", COHORT_NAME,
      "toMunicipality", MUNICIPALITY_NUMBER);

  private static final String ANY = "*";
  private static final String ENVELOPE = "FollowUpEvent";
  private static final String PARTICIPANT_ID = "participantId";


  private static final Predicate<Schema> TIMESTAMP = s -> s.getLogicalType() instanceof LogicalTypes.TimestampMillis
      || s.getLogicalType() instanceof LogicalTypes.TimestampMicros;
  private static final Predicate<Schema> INT = s -> s.getType() == Schema.Type.INT && s.getLogicalType() == null;
  private static final Predicate<Schema> DATE = s -> s.getLogicalType() instanceof LogicalTypes.Date
      || s.getType() == Schema.Type.ARRAY && s.getElementType().getLogicalType() instanceof LogicalTypes.Date;
  private static final Predicate<Schema> DOUBLE = s -> s.getType() == Schema.Type.DOUBLE;
  private static final Predicate<Schema> ARRAY = s -> s.getType() == Schema.Type.ARRAY;

  /** Checks one converted value against the time of receipt; returns an error message, or null when fine. */
  @FunctionalInterface
  interface ValueCheck {
    String check(Object value, Instant now);
  }

  /**
   * A rule for a field ({@code field} may be {@code *}) of a record ({@code record} may be {@code *}),
   * applied to values of the given kind.
   */
  record FieldRule(String record, String field, Predicate<Schema> valueKind, String description, ValueCheck check) {
    boolean appliesTo(Schema recordSchema, Schema.Field f) {
      return (record.equals(ANY) || record.equals(recordSchema.getName()))
          && (field.equals(ANY) || field.equals(f.name()))
          && EventSchema.nonNullBranches(f.schema()).stream().anyMatch(valueKind);
    }
  }

  /** Specific rules come before general ones: the first that fails is the one reported. */
  private final List<FieldRule> fieldRules = List.of(
      new FieldRule(ENVELOPE, "occurredAt", TIMESTAMP,
          "At most " + CLOCK_SKEW.toMinutes() + " minutes in the future.", notAfter(CLOCK_SKEW)),
      new FieldRule(ENVELOPE, "recordedAt", TIMESTAMP,
          "At most " + CLOCK_SKEW.toMinutes() + " minutes in the future; defaults to the time of receipt.", notAfter(CLOCK_SKEW)),
      // every timestamp, also those of payload types added later
      new FieldRule(ANY, ANY, TIMESTAMP,
          "Not before " + EARLIEST_TIMESTAMP + ", at most " + MAX_YEARS_AHEAD + " years ahead.",
          notBeforeNorYearsAhead(EARLIEST_TIMESTAMP, MAX_YEARS_AHEAD)),
      new FieldRule("FunctionScoreRecorded", ANY, INT,
          "A COOP/WONCA score: 1 (best) to 5 (worst).", between(1, 5)),
      new FieldRule("ParticipantEnrolled", "targetGroups", ARRAY,
          "At least one target group.",
          (value, now) -> value instanceof Collection<?> c && c.isEmpty() ? "must contain at least one target group" : null),
      new FieldRule("JobStarted", "hoursPerWeek", INT,
          "1 to 100 when given.", between(1, 100)),
      // every date (and list of dates), also those of payload types added later
      new FieldRule(ANY, ANY, DATE,
          "Not before " + LocalDate.ofInstant(EARLIEST_TIMESTAMP, ZoneOffset.UTC) + ", at most " + MAX_DATE_YEARS_AHEAD
              + " years ahead.", datesWithin(LocalDate.ofInstant(EARLIEST_TIMESTAMP, ZoneOffset.UTC), MAX_DATE_YEARS_AHEAD)),
      new FieldRule("CohortDefined", "workOrEducationGoal", DOUBLE,
          "A share from 0 to 1 (0.6 is 60 %).", (value, now) -> value instanceof Double d && !(d >= 0 && d <= 1)
              ? "must be a share from 0 to 1, e.g. 0.6" : null),
      new FieldRule("SpecialistCapacitySet", "fteShare", DOUBLE,
          "A share of a full-time position from " + CaseloadRange.MIN_FTE_SHARE + " to " + CaseloadRange.MAX_FTE_SHARE
              + " (0.5 is half time).",
          (value, now) -> value instanceof Double d && !(d >= CaseloadRange.MIN_FTE_SHARE && d <= CaseloadRange.MAX_FTE_SHARE)
              ? "must be a share of a full-time position from " + CaseloadRange.MIN_FTE_SHARE + " to "
                  + CaseloadRange.MAX_FTE_SHARE + ", e.g. 0.5" : null),
      new FieldRule("CohortDefined", "offices", ARRAY, "At least one office.", atLeastOne("office")),
      new FieldRule("CohortDefined", "targetGroups", ARRAY, "At least one target group.", atLeastOne("target group")));

  /** Fields a JSON event may leave out although the Avro field has no default: name -> value at receipt. */
  private static final Map<String, String> DEFAULTED_AT_RECEIPT = Map.of(ENVELOPE + ".recordedAt", "the time of receipt");

  /** The shape the text of field {@code fieldName} must have; {@code stringSchema} tells a UUID by its logical type. */
  public TextShape textShape(String fieldName, Schema stringSchema) {
    return EventSchema.isUuid(stringSchema) ? UUID : TEXT_SHAPES.getOrDefault(fieldName, PSEUDONYMOUS_ID);
  }

  /**
   * The problem with non-blank {@code text} for field {@code fieldName} with (string) schema
   * {@code stringSchema}, or null when fine. The message never repeats the text.
   */
  String checkText(String fieldName, Schema stringSchema, String text) {
    TextShape shape = textShape(fieldName, stringSchema);
    // the length first: it bounds the work of the checks after it
    if (text.length() > shape.maxLength()) {
      return "must be at most " + shape.maxLength() + " characters";
    }
    // No identity number in any text (ids, municipality numbers): they travel to logs and screens. A UUID is
    // generated, not typed, so eleven digits in a row in one are chance, not an identity number.
    if (shape != UUID && IdShapes.looksLikeNationalIdentityNumber(text)) {
      return fieldName.equals(PARTICIPANT_ID)
          ? "looks like a national identity number; use the participant's pseudonymous id"
          : "looks like a national identity number; identity numbers must not be sent";
    }
    if (!shape.pattern().matcher(text).matches()) {
      return "must be " + shape.description() + ", e.g. " + shape.example();
    }
    return null;
  }

  /** Error messages for {@code value} of field {@code f} of {@code recordSchema}; empty when fine. */
  List<String> check(Schema recordSchema, Schema.Field f, Object value, Instant now) {
    if (value == null) {
      return List.of();
    }
    for (FieldRule rule : fieldRules) {
      if (rule.appliesTo(recordSchema, f)) {
        String message = rule.check().check(value, now);
        if (message != null) {
          return List.of(message);
        }
      }
    }
    return List.of();
  }

  /**
   * Rules across fields of one record, run when all fields the rule reads converted cleanly.
   * {@code values} holds the cleanly converted fields by name. Returns errors relative to the record.
   */
  List<FieldError> checkRecord(Schema recordSchema, Map<String, Object> values) {
    if (recordSchema.getName().equals("CohortDefined")) {
      return CohortRules.checkDefinition(values);
    }
    if (!recordSchema.getName().equals(ENVELOPE)) {
      return List.of();
    }
    if (values.get("occurredAt") instanceof Instant occurred && values.get("recordedAt") instanceof Instant recorded
        && !EventTimes.occurredByRecording(occurred, recorded)) {
      return List.of(new FieldError("occurredAt", "must not be after recordedAt"));
    }
    List<FieldError> errors = new ArrayList<>(CohortRules.checkEnvelope(values));
    errors.addAll(SpecialistRules.checkEnvelope(values));
    return errors;
  }

  /**
   * A value for a field the JSON left out, when the intake supplies one although the schema has no
   * default (recordedAt: the time of receipt).
   */
  Optional<Object> suppliedAtReceipt(Schema recordSchema, Schema.Field f, Instant receivedAt) {
    return DEFAULTED_AT_RECEIPT.containsKey(recordSchema.getName() + "." + f.name())
        ? Optional.of(receivedAt) : Optional.empty();
  }

  /** Human descriptions of the rules for a field, for the API documentation. */
  public List<String> describe(Schema recordSchema, Schema.Field f) {
    List<String> descriptions = new ArrayList<>();
    for (Schema value : EventSchema.nonNullBranches(f.schema())) {
      if (value.getType() == Schema.Type.ARRAY) {
        descriptions.add("At most " + MAX_ARRAY_ITEMS + " items.");
      }
      Schema item = value.getType() == Schema.Type.ARRAY ? value.getElementType() : value;
      if (item.getType() == Schema.Type.STRING) {
        TextShape shape = textShape(f.name(), item);
        descriptions.add(Character.toUpperCase(shape.description().charAt(0)) + shape.description().substring(1)
            + ", e.g. " + shape.example() + ".");
      }
    }
    for (FieldRule rule : fieldRules) {
      if (rule.description() != null && rule.appliesTo(recordSchema, f)) {
        descriptions.add(rule.description());
      }
    }
    String supplied = DEFAULTED_AT_RECEIPT.get(recordSchema.getName() + "." + f.name());
    if (supplied != null) {
      descriptions.add("Optional: defaults to " + supplied + ".");
    }
    if (recordSchema.getName().equals(ENVELOPE) && f.name().equals("occurredAt")) {
      descriptions.add("Not after recordedAt (allowing " + CLOCK_SKEW.toMinutes() + " minutes of clock skew).");
    }
    return descriptions;
  }

  /** True when the submitted event may leave the field out. */
  public boolean isOptional(Schema recordSchema, Schema.Field f) {
    return EventSchema.isOptional(f) || DEFAULTED_AT_RECEIPT.containsKey(recordSchema.getName() + "." + f.name());
  }

  private static ValueCheck notAfter(Duration tolerance) {
    return (value, now) -> value instanceof Instant t && t.isAfter(now.plus(tolerance))
        ? "must not be more than " + tolerance.toMinutes() + " minutes in the future" : null;
  }

  private static ValueCheck notBeforeNorYearsAhead(Instant earliest, int years) {
    return (value, now) -> {
      if (!(value instanceof Instant t)) {
        return null;
      }
      if (t.isBefore(earliest)) {
        return "must not be before " + earliest;
      }
      return t.isAfter(now.atZone(ZoneOffset.UTC).plusYears(years).toInstant())
          ? "must not be more than " + years + " years ahead" : null;
    };
  }

  private static ValueCheck datesWithin(LocalDate earliest, int years) {
    return (value, now) -> {
      Collection<?> dates = value instanceof Collection<?> c ? c : List.of(value);
      LocalDate latest = LocalDate.ofInstant(now, ZoneOffset.UTC).plusYears(years);
      for (Object date : dates) {
        if (date instanceof LocalDate d && d.isBefore(earliest)) {
          return "must not be before " + earliest;
        }
        if (date instanceof LocalDate d && d.isAfter(latest)) {
          return "must not be more than " + years + " years ahead";
        }
      }
      return null;
    };
  }

  private static ValueCheck atLeastOne(String what) {
    return (value, now) -> value instanceof Collection<?> c && c.isEmpty() ? "must contain at least one " + what : null;
  }

  private static ValueCheck between(int min, int max) {
    return (value, now) -> value instanceof Integer i && (i < min || i > max)
        ? "must be between " + min + " and " + max : null;
  }
}
