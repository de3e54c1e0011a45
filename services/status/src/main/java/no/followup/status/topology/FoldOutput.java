package no.followup.status.topology;

import java.util.Map;
import no.followup.common.streams.FoldHead;

/**
 * What the fold sends on, within its sub-topology only: a participant's new status, keyed by
 * participantId, or the counters to add to one tally, keyed by the tally key.
 */
sealed interface FoldOutput {

  /**
   * The participant's status after an event, already encoded for the status topic (the same bytes
   * the fold keeps with the participant's fold, {@link FoldHead}); null when the participant was erased
   * (a tombstone).
   */
  record Status(byte[] encoded) implements FoldOutput {}

  /** The sum of the changes of every participant counted since the last count, for one tally key. */
  record TallyDelta(Map<String, Long> counters) implements FoldOutput {}
}
