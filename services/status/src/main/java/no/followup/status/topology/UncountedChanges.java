package no.followup.status.topology;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import no.followup.status.ParticipantStatus;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Each participant's current status, and the participants whose status moved since the tallies
 * last counted it.
 *
 * <p><b>Why the tallies are counted in batches.</b> Every event moves the tallies of up to five
 * keys (office, coordinator, cohort, cohort group, job specialist). Sending one delta per key per
 * event made the tally repartition carry several records for each event, and the tally side read,
 * added and rewrote an office's counters once per event of any of its participants. Counting the
 * changed participants every {@link StatusFoldProcessor#COUNT_INTERVAL} instead sends one summed
 * delta per key per interval, whatever the number of events.
 *
 * <p><b>Why nothing is lost or counted twice.</b> Store {@value StatusTopology#STATUS_STORE} holds
 * each participant's current status (what queries read, as fresh as the status topic). The first
 * change of a participant after a count keeps the status the tallies counted, in store
 * {@value StatusTopology#UNCOUNTED_STORE}; the count adds {@code contribution(current) −
 * contribution(counted)} and removes the row. Both stores are written in the same transaction as
 * the fold, so after a crash the restored task finds every change not yet counted still there.
 */
final class UncountedChanges {

  /** The row of a participant the tallies have not counted before (a new participant). */
  private static final byte[] NOTHING_COUNTED = new byte[0];

  private final KeyValueStore<String, ParticipantStatus> current;
  private final KeyValueStore<String, byte[]> counted;
  private final Serde<ParticipantStatus> statusSerde;
  private final ZoneId zone;

  UncountedChanges(ProcessorContext<?, ?> context, Serde<ParticipantStatus> statusSerde, ZoneId zone) {
    this.current = context.getStateStore(StatusTopology.STATUS_STORE);
    this.counted = context.getStateStore(StatusTopology.UNCOUNTED_STORE);
    this.statusSerde = statusSerde;
    this.zone = zone;
  }

  /** The participant's current status; null when there is none (never folded, or erased). */
  ParticipantStatus current(String participantId) {
    return current.get(participantId);
  }

  /**
   * The participant's status is now {@code status} (null: erased); the change is counted at the
   * next {@link #count()}. The status before is read only for the first change after a count: a
   * later one in the same interval leaves the counted status as it is.
   */
  void changed(String participantId, ParticipantStatus status) {
    if (counted.get(participantId) == null) {
      ParticipantStatus before = current.get(participantId);
      counted.put(participantId, before == null ? NOTHING_COUNTED
          : statusSerde.serializer().serialize(StatusTopology.UNCOUNTED_STORE, before));
    }
    if (status == null) {
      current.delete(participantId);
    } else {
      current.put(participantId, status);
    }
  }

  /**
   * Counts every changed participant: returns, per tally key, the sum of their contributions'
   * changes since they were last counted (keys whose sum is zero left out).
   */
  Map<String, Map<String, Long>> count() {
    List<KeyValue<String, byte[]>> changed = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = counted.all()) {
      it.forEachRemaining(changed::add);
    }
    Map<String, Map<String, Long>> sums = new TreeMap<>();
    for (KeyValue<String, byte[]> row : changed) {
      ParticipantStatus before = row.value.length == 0 ? null
          : statusSerde.deserializer().deserialize(StatusTopology.UNCOUNTED_STORE, row.value);
      TallyContributions.deltas(before, current.get(row.key), zone)
          .forEach((key, delta) -> TallyArithmetic.addTo(sums.computeIfAbsent(key, k -> new TreeMap<>()), delta));
      counted.delete(row.key);
    }
    sums.values().removeIf(Map::isEmpty);
    return sums;
  }
}
