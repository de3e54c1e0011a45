package no.followup.intake.event;

import java.util.List;
import java.util.Map;
import no.followup.common.rules.IdShapes;
import no.followup.events.SpecialistCapacitySet;
import org.apache.avro.specific.SpecificRecord;

/**
 * A job specialist's capacity is keyed by the specialist, not by a participant: its envelope's
 * participantId is {@code specialist:<specialistId>}, and no other event may use such a key.
 */
final class SpecialistRules {

  /** The key prefix of a specialist's capacity in the participantId field. */
  static final String SPECIALIST_KEY_PREFIX = "specialist:";
  /** The longest specialistId whose key still fits a participantId ({@link IdShapes#MAX_ID_LENGTH} characters). */
  static final int MAX_SPECIALIST_ID_LENGTH = IdShapes.MAX_ID_LENGTH - SPECIALIST_KEY_PREFIX.length();

  private SpecialistRules() {}

  private static boolean tooLongForACapacity(Object payload) {
    if (!(payload instanceof SpecificRecord record) || record.getSchema().getField("specialistId") == null) {
      return false;
    }
    return record.get(record.getSchema().getField("specialistId").pos()) instanceof CharSequence id
        && id.length() > MAX_SPECIALIST_ID_LENGTH;
  }

  /** The envelope's participantId against a SpecialistCapacitySet payload, or any other. */
  static List<FieldError> checkEnvelope(Map<String, Object> values) {
    Object participant = values.get("participantId");
    if (!(participant instanceof CharSequence participantId) || !values.containsKey("payload")) {
      return List.of();
    }
    boolean specialistKey = participantId.toString().startsWith(SPECIALIST_KEY_PREFIX);
    if (tooLongForACapacity(values.get("payload"))) {
      // also in ServiceStarted and ServiceEnded: a specialist named there must be able to get a capacity
      return List.of(new FieldError("payload.specialistId", "must be at most " + MAX_SPECIALIST_ID_LENGTH
          + " characters: a job specialist's capacity is keyed by '" + SPECIALIST_KEY_PREFIX + "' and the id, a participantId"));
    }
    if (!(values.get("payload") instanceof SpecialistCapacitySet capacity)) {
      return specialistKey
          ? List.of(new FieldError("participantId", "must not start with '" + SPECIALIST_KEY_PREFIX
              + "': that is the key of a job specialist's capacity"))
          : List.of();
    }
    return participantId.toString().equals(SPECIALIST_KEY_PREFIX + capacity.getSpecialistId())
        ? List.of()
        : List.of(new FieldError("participantId", "must be '" + SPECIALIST_KEY_PREFIX
            + "' followed by the specialistId for SpecialistCapacitySet"));
  }
}
