package no.followup.reminders;

import java.util.Set;
import no.followup.common.rules.IdShapes;
import no.followup.events.FollowUpEvent;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** What an event must be before the reminder rules look at it: the ids the state will keep, of the data's shapes. */
final class ReminderEventChecks {

  /** Payload fields whose text the state keeps, besides the envelope's participantId and officeId. */
  private static final Set<String> KEPT_PAYLOAD_IDS = Set.of("meetingId", "coordinatorId");

  private ReminderEventChecks() {}

  /**
   * Rejects an event whose kept text is not a bounded id ({@link IdShapes}), before anything is read
   * or stored for it. The intake enforces these bounds, but the event log may be written by
   * anything with access: one meetingId of a megabyte, kept in the state, makes the state record
   * too large for its changelog, and the task would then fail on the same records forever,
   * stopping reminders for every participant of the partition.
   *
   * @param participantId the record's key, or the event's participantId when there is none
   * @throws InvalidEventException naming the field, never its value
   */
  static void validate(String participantId, FollowUpEvent event) {
    if (event.getEventId() == null || event.getOccurredAt() == null || event.getPayload() == null) {
      throw new InvalidEventException("event without eventId, occurredAt or payload");
    }
    requireId("key", participantId);
    requireId("participantId", event.getParticipantId());
    if (!participantId.equals(event.getParticipantId())) {
      // the events topic is keyed by participantId, as the status service requires too: a record
      // keyed otherwise would keep one participant's meetings in another's state
      throw new InvalidEventException("record key does not match the event's participantId");
    }
    // a blank office is "not known" (apply leaves the office as it was), anything else is kept
    if (event.getOfficeId() != null && !event.getOfficeId().isBlank()
        && !IdShapes.isNavUnitNumber(event.getOfficeId())) {
      throw new InvalidEventException("officeId is not " + IdShapes.NAV_UNIT_NUMBER_DESCRIPTION);
    }
    if (event.getPayload() instanceof SpecificRecord payload) {
      // by field name, so a payload type added to the schema later is bounded too
      for (Schema.Field field : payload.getSchema().getFields()) {
        if (KEPT_PAYLOAD_IDS.contains(field.name()) && payload.get(field.pos()) != null) {
          requireId("payload." + field.name(), payload.get(field.pos()));
        }
      }
    }
  }

  private static void requireId(String field, Object value) {
    if (!(value instanceof CharSequence text) || !IdShapes.isPseudonymousId(text)) {
      throw new InvalidEventException(field + " is not " + IdShapes.PSEUDONYMOUS_ID_DESCRIPTION);
    }
  }
}
