package no.followup.status.topology;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import no.followup.status.ParticipantFold;
import no.followup.status.ParticipantStatus;
import no.followup.status.rules.StatusRules;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The participants whose status moved since the tallies last counted it, and the counting.
 *
 * <p><b>Why the tallies are counted in batches.</b> Every event moves the tallies of up to five
 * keys (office, coordinator, cohort, cohort group, job specialist). Sending one delta per key per
 * event made the tally repartition carry several records for each event, and the tally side read,
 * added and rewrote an office's counters once per event of any of its participants. Counting the
 * changed participants every {@link #FLUSH_INTERVAL} instead sends one summed delta per key per
 * interval, whatever the number of events.
 *
 * <p><b>Why nothing is lost or counted twice.</b> Store {@value StatusTopology#STATUS_STORE} holds
 * each participant's status as the tallies count it; store {@value StatusTopology#UNCOUNTED_STORE}
 * marks the participants changed since. Both are written in the same transaction as the fold, so
 * after a crash the restored task finds every participant whose change was not yet counted still
 * marked, and counts it at its next flush. The latest status of a marked participant is kept in
 * memory only as a shortcut; without it (after a restart) it is taken from the fold again.
 *
 * <p>Queries read the counted status, which trails the status topic by at most one interval.
 */
final class UncountedChanges {

  private static final byte[] MARK = new byte[0];

  private final KeyValueStore<String, ParticipantStatus> counted;
  private final KeyValueStore<String, byte[]> marks;
  private final FoldStores folds;
  private final ZoneId zone;
  /** The latest status of marked participants, as the fold produced it; null for an erasure. */
  private final Map<String, ParticipantStatus> latest = new HashMap<>();

  UncountedChanges(ProcessorContext<?, ?> context, FoldStores folds, ZoneId zone) {
    this.counted = context.getStateStore(StatusTopology.STATUS_STORE);
    this.marks = context.getStateStore(StatusTopology.UNCOUNTED_STORE);
    this.folds = folds;
    this.zone = zone;
  }

  /** The participant's status is now {@code status} (null: erased); counted at the next flush. */
  void changed(String participantId, ParticipantStatus status) {
    marks.put(participantId, MARK);
    latest.put(participantId, status);
  }

  /**
   * Counts every marked participant: moves their counted status to the latest one and returns,
   * per tally key, the sum of their contributions' changes (keys whose sum is zero left out).
   */
  Map<String, Map<String, Long>> count() {
    List<String> participants = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = marks.all()) {
      it.forEachRemaining(mark -> participants.add(mark.key));
    }
    Map<String, Map<String, Long>> sums = new TreeMap<>();
    for (String participantId : participants) {
      ParticipantStatus now = latest.containsKey(participantId) ? latest.get(participantId) : fromFold(participantId);
      ParticipantStatus before = counted.get(participantId);
      TallyContributions.deltas(before, now, zone)
          .forEach((key, delta) -> TallyArithmetic.addTo(sums.computeIfAbsent(key, k -> new TreeMap<>()), delta));
      if (now == null) {
        counted.delete(participantId);
      } else {
        counted.put(participantId, now);
      }
      marks.delete(participantId);
    }
    latest.clear();
    sums.values().removeIf(Map::isEmpty);
    return sums;
  }

  private ParticipantStatus fromFold(String participantId) {
    ParticipantFold head = folds.head(participantId);
    if (head == null || head.getErasedAt() != null || head.getFold() == null) {
      return null;
    }
    return StatusRules.status(participantId, head.getFold());
  }
}
