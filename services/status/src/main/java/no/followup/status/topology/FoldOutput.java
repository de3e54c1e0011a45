package no.followup.status.topology;

import java.util.Map;
import no.followup.status.ParticipantStatus;

/**
 * What the fold sends on, within its sub-topology only (never serialized): a participant's new
 * status, keyed by participantId, or the counters to add to one tally, keyed by the tally key.
 */
sealed interface FoldOutput {

  /** The participant's status after an event; null when the participant was erased (a tombstone). */
  record Status(ParticipantStatus status) implements FoldOutput {}

  /** The sum of the changes of every participant counted since the last flush, for one tally key. */
  record TallyDelta(Map<String, Long> counters) implements FoldOutput {}
}
