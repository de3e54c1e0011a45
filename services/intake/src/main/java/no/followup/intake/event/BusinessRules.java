package no.followup.intake.event;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.avro.Schema;

/**
 * The rules an event must follow beyond its Avro shape. This table is the only place that names
 * specific records and fields; everything else is driven by the schema. A rule sees a value only
 * after it converted cleanly, so one bad field yields one message.
 */
public final class BusinessRules {

  /** How far ahead of our clock a tool's clock may be. */
  public static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
  /** How far ahead a meeting may be scheduled. */
  public static final int MAX_MEETING_YEARS_AHEAD = 2;

  private static final String ANY = "*";
  private static final String ENVELOPE = "FollowUpEvent";

  /** Exactly eleven digits in a row: the shape of a Norwegian national identity number (fødselsnummer). */
  private static final Pattern ELEVEN_DIGITS = Pattern.compile("(?<!\\d)\\d{11}(?!\\d)");
  private static final Pattern SEPARATORS = Pattern.compile("[\\s.\\-]");

  /** Checks one converted value against the time of receipt; returns an error message, or null when fine. */
  @FunctionalInterface
  interface ValueCheck {
    String check(Object value, Instant now);
  }

  /**
   * A rule for a field ({@code field} may be {@code *}) of a record ({@code record} may be {@code *}),
   * applied to values of the given Avro type (null: any type).
   */
  record FieldRule(String record, String field, Schema.Type valueType, String description, ValueCheck check) {
    boolean appliesTo(Schema recordSchema, Schema.Field f) {
      return (record.equals(ANY) || record.equals(recordSchema.getName()))
          && (field.equals(ANY) || field.equals(f.name()))
          && (valueType == null || EventSchema.nonNullBranches(f.schema()).stream().anyMatch(s -> s.getType() == valueType));
    }
  }

  private final List<FieldRule> fieldRules = List.of(
      new FieldRule(ENVELOPE, "participantId", Schema.Type.STRING,
          "The pseudonymous participant id; never a national identity number.",
          (value, now) -> looksLikeNationalIdentityNumber(value)
              ? "looks like a national identity number; use the participant's pseudonymous id" : null),
      // No identity number in any other field either (ids, municipality numbers): they travel to logs and screens.
      new FieldRule(ANY, ANY, Schema.Type.STRING, null,
          (value, now) -> looksLikeNationalIdentityNumber(value)
              ? "looks like a national identity number; identity numbers must not be sent" : null),
      new FieldRule(ENVELOPE, "occurredAt", Schema.Type.LONG,
          "At most " + CLOCK_SKEW.toMinutes() + " minutes in the future.", notAfter(CLOCK_SKEW)),
      new FieldRule(ENVELOPE, "recordedAt", Schema.Type.LONG,
          "At most " + CLOCK_SKEW.toMinutes() + " minutes in the future; defaults to the time of receipt.", notAfter(CLOCK_SKEW)),
      new FieldRule("MeetingScheduled", "startsAt", Schema.Type.LONG,
          "At most " + MAX_MEETING_YEARS_AHEAD + " years ahead.", notMoreYearsAhead(MAX_MEETING_YEARS_AHEAD)),
      new FieldRule("MeetingRescheduled", "startsAt", Schema.Type.LONG,
          "At most " + MAX_MEETING_YEARS_AHEAD + " years ahead.", notMoreYearsAhead(MAX_MEETING_YEARS_AHEAD)),
      new FieldRule("FunctionScoreRecorded", ANY, Schema.Type.INT,
          "A COOP/WONCA score: 1 (best) to 5 (worst).", between(1, 5)),
      new FieldRule("ParticipantEnrolled", "targetGroups", Schema.Type.ARRAY,
          "At least one target group.",
          (value, now) -> value instanceof Collection<?> c && c.isEmpty() ? "must contain at least one target group" : null),
      new FieldRule("JobStarted", "hoursPerWeek", Schema.Type.INT,
          "1 to 100 when given.", between(1, 100)));

  /** Fields a JSON event may leave out although the Avro field has no default: name -> value at receipt. */
  private static final Map<String, String> DEFAULTED_AT_RECEIPT = Map.of(ENVELOPE + ".recordedAt", "the time of receipt");

  /** Error messages for {@code value} of field {@code f} of {@code recordSchema}; empty when fine. */
  List<String> check(Schema recordSchema, Schema.Field f, Object value, Instant now) {
    if (value == null) {
      return List.of();
    }
    List<String> messages = new ArrayList<>();
    for (FieldRule rule : fieldRules) {
      if (rule.appliesTo(recordSchema, f)) {
        String message = rule.check().check(value, now);
        // the specific participantId message says it better than the catch-all; report it once
        if (message != null && messages.isEmpty()) {
          messages.add(message);
        }
      }
    }
    return messages;
  }

  /**
   * Rules across fields of one record, run when all fields the rule reads converted cleanly.
   * {@code values} holds the cleanly converted fields by name. Returns errors relative to the record.
   */
  List<FieldError> checkRecord(Schema recordSchema, Map<String, Object> values) {
    if (!recordSchema.getName().equals(ENVELOPE)) {
      return List.of();
    }
    if (values.get("occurredAt") instanceof Instant occurred && values.get("recordedAt") instanceof Instant recorded
        && occurred.isAfter(recorded.plus(CLOCK_SKEW))) {
      return List.of(new FieldError("occurredAt", "must not be after recordedAt"));
    }
    return List.of();
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

  static boolean looksLikeNationalIdentityNumber(Object value) {
    if (!(value instanceof CharSequence text)) {
      return false;
    }
    String withoutSeparators = SEPARATORS.matcher(text).replaceAll("");
    return ELEVEN_DIGITS.matcher(text).find()
        || (withoutSeparators.length() == 11 && withoutSeparators.chars().allMatch(Character::isDigit));
  }

  private static ValueCheck notAfter(Duration tolerance) {
    return (value, now) -> value instanceof Instant t && t.isAfter(now.plus(tolerance))
        ? "must not be more than " + tolerance.toMinutes() + " minutes in the future" : null;
  }

  private static ValueCheck notMoreYearsAhead(int years) {
    return (value, now) -> value instanceof Instant t && t.isAfter(now.atZone(ZoneOffset.UTC).plusYears(years).toInstant())
        ? "must not be more than " + years + " years ahead" : null;
  }

  private static ValueCheck between(int min, int max) {
    return (value, now) -> value instanceof Integer i && (i < min || i > max)
        ? "must be between " + min + " and " + max : null;
  }
}
