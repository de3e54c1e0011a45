package no.followup.intake.event;

import java.util.List;
import java.util.Map;
import no.followup.common.rules.IdShapes;
import no.followup.events.SpecialistCapacitySet;

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

  /** The envelope's participantId against a SpecialistCapacitySet payload, or any other. */
  static List<FieldError> checkEnvelope(Map<String, Object> values) {
    Object participant = values.get("participantId");
    if (!(participant instanceof CharSequence participantId) || !values.containsKey("payload")) {
      return List.of();
    }
    boolean specialistKey = participantId.toString().startsWith(SPECIALIST_KEY_PREFIX);
    if (!(values.get("payload") instanceof SpecialistCapacitySet capacity)) {
      return specialistKey
          ? List.of(new FieldError("participantId", "must not start with '" + SPECIALIST_KEY_PREFIX
              + "': that is the key of a job specialist's capacity"))
          : List.of();
    }
    if (capacity.getSpecialistId().length() > MAX_SPECIALIST_ID_LENGTH) {
      return List.of(new FieldError("payload.specialistId", "must be at most " + MAX_SPECIALIST_ID_LENGTH
          + " characters for SpecialistCapacitySet: its key, '" + SPECIALIST_KEY_PREFIX + "' and the id, is a participantId"));
    }
    return participantId.toString().equals(SPECIALIST_KEY_PREFIX + capacity.getSpecialistId())
        ? List.of()
        : List.of(new FieldError("participantId", "must be '" + SPECIALIST_KEY_PREFIX
            + "' followed by the specialistId for SpecialistCapacitySet"));
  }
}
