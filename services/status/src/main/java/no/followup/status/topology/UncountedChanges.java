package no.followup.status.topology;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import no.followup.common.Topics;
import no.followup.common.streams.FoldHead;
import no.followup.status.ParticipantStatus;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.internals.WrappedStateStore;

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
 * <p><b>Why nothing is lost or counted twice.</b> Store {@value StatusTopology#FOLD_STORE} holds
 * each participant's current status with their fold (what queries read, as fresh as the status
 * topic; {@link FoldHead}). The first
 * change of a participant after a count keeps the status the tallies counted, in store
 * {@value StatusTopology#UNCOUNTED_STORE}; the count adds {@code contribution(current) −
 * contribution(counted)} and removes the row. Both stores are written in the same transaction as
 * the fold, so after a crash the restored task finds every change not yet counted still there.
 *
 * <p><b>Why statuses are kept encoded.</b> A status is encoded once, for the status topic, and
 * the same bytes are kept as the current status and, at the next change, as the counted one: only
 * the count decodes, once per participant and interval, not once per event.
 */
final class UncountedChanges {

  /** The row of a participant the tallies have not counted before (a new participant). */
  private static final byte[] NOTHING_COUNTED = new byte[0];

  private final FoldStores current;
  private final KeyValueStore<String, byte[]> counted;
  private final Deserializer<ParticipantStatus> statuses;
  private final ZoneId zone;
  /**
   * The latest status of each participant changed since the last count, as the fold made it: the
   * count then decodes only the counted status. Not kept anywhere: after a restart the count
   * decodes the current one from its store instead.
   */
  private final Map<String, ParticipantStatus> changedSinceCount = new HashMap<>();

  /**
   * @param current where the current statuses are kept (with the folds)
   * @param statuses decodes the kept statuses (the status topic's encoding)
   */
  UncountedChanges(ProcessorContext<?, ?> context, FoldStores current, Deserializer<ParticipantStatus> statuses,
      ZoneId zone) {
    this.current = current;
    this.counted = context.getStateStore(StatusTopology.UNCOUNTED_STORE);
    this.statuses = statuses;
    this.zone = zone;
    dropRowsRemovedBeforeTheCommit(counted);
  }

  /**
   * Most rows of the counted store are written and removed again by the next count, before the
   * commit that would write them out. With a flush listener set, the record cache drops a row that
   * was absent before and is absent again at the commit, instead of writing it and its tombstone to
   * the store and its changelog (Kafka Streams' CachingKeyValueStore, as its own KTables use it).
   * The listener has nothing to do; setting it is what turns that on. {@link WrappedStateStore} is
   * Streams' internal class: no public API sets a listener on a store of the Processor API. Without
   * it (no record cache) every row is written, which is slower but just as correct.
   */
  private static void dropRowsRemovedBeforeTheCommit(KeyValueStore<String, byte[]> store) {
    if (store instanceof WrappedStateStore<?, ?, ?> wrapped) {
      wrapped.setFlushListener(record -> { }, false);
    }
  }

  /**
   * The participant's status changed from {@code before} (the status topic's encoding; null: none)
   * to {@code status} (null: erased); the change is counted at the next {@link #count()}. The status
   * before is kept only for the first change after a count: a later one in the same interval leaves
   * the counted status as it is.
   */
  void changed(String participantId, byte[] before, ParticipantStatus status) {
    if (counted.get(participantId) == null) {
      counted.put(participantId, before == null ? NOTHING_COUNTED : before);
    }
    changedSinceCount.put(participantId, status);
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
      ParticipantStatus before = decode(row.value);
      ParticipantStatus now = changedSinceCount.containsKey(row.key) ? changedSinceCount.get(row.key)
          : decode(current.currentStatus(row.key));
      TallyContributions.deltas(before, now, zone)
          .forEach((key, delta) -> TallyArithmetic.addTo(sums.computeIfAbsent(key, k -> new TreeMap<>()), delta));
      counted.delete(row.key);
    }
    changedSinceCount.clear();
    sums.values().removeIf(Map::isEmpty);
    return sums;
  }

  private ParticipantStatus decode(byte[] encoded) {
    return encoded == null || encoded.length == 0 ? null
        : statuses.deserialize(Topics.PARTICIPANT_STATUS.name(), encoded);
  }
}
