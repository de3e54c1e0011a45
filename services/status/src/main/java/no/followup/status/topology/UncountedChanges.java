package no.followup.status.topology;

import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import no.followup.common.Topics;
import no.followup.common.streams.FoldHead;
import no.followup.status.ParticipantStatus;
import no.followup.status.rules.TallyArithmetic;
import no.followup.status.rules.TallyContributions;
import org.apache.kafka.common.serialization.Deserializer;
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
  private final KeyValueStore<String, byte[]> marks;
  private final Deserializer<ParticipantStatus> statuses;
  private final ZoneId zone;
  /**
   * The participants changed since the last count, as this task saw them: the status counted
   * before (the store's row) and the latest one as the fold made it, so the count decodes only the
   * counted status. Until the first count after the task starts, the store may also hold rows of
   * changes from before the start (a restored task); that count reads them from the store, and
   * from then on every row of the store is also here ({@link #storeMirrored}), so neither a change
   * nor a count has to read the store.
   */
  private final Map<String, Change> changedSinceCount = new HashMap<>();
  /** True once a count has run: from then on every row of the store is in {@link #changedSinceCount}. */
  private boolean storeMirrored;

  /**
   * A participant's change since the last count: the status the tallies counted (encoded, or
   * {@link #NOTHING_COUNTED}) and the latest (null: erased).
   */
  private record Change(byte[] counted, ParticipantStatus latest) {}

  /**
   * @param current where the current statuses are kept (with the folds)
   * @param statuses decodes the kept statuses (the status topic's encoding)
   */
  UncountedChanges(ProcessorContext<?, ?> context, FoldStores current, Deserializer<ParticipantStatus> statuses,
      ZoneId zone) {
    this.current = current;
    this.marks = context.getStateStore(StatusTopology.UNCOUNTED_STORE);
    this.statuses = statuses;
    this.zone = zone;
    dropRowsRemovedBeforeTheCommit(marks);
  }

  /**
   * Most marks are written and removed again by the next count, before the
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
    Change earlier = changedSinceCount.get(participantId);
    byte[] countedStatus = earlier != null ? earlier.counted() : storeMirrored ? null : marks.get(participantId);
    if (countedStatus == null) {
      countedStatus = before == null ? NOTHING_COUNTED : before;
      marks.put(participantId, countedStatus);
    }
    changedSinceCount.put(participantId, new Change(countedStatus, status));
  }

  /**
   * Counts every changed participant: returns, per tally key, the sum of their contributions'
   * changes since they were last counted (keys whose sum is zero left out).
   */
  Map<String, Map<String, Long>> count() {
    if (!storeMirrored) {
      addRowsFromBeforeTheStart();
      storeMirrored = true;
    }
    Map<String, Map<String, Long>> sums = new TreeMap<>();
    changedSinceCount.forEach((participantId, change) -> {
      TallyContributions.deltas(decode(change.counted()), change.latest(), zone)
          .forEach((key, delta) -> TallyArithmetic.addTo(sums.computeIfAbsent(key, k -> new HashMap<>()), delta));
      marks.delete(participantId);
    });
    changedSinceCount.clear();
    sums.values().removeIf(Map::isEmpty);
    return sums;
  }

  /**
   * The store's rows of participants this task has not seen change, with their current status.
   * Read straight from the iterator: nothing writes to the store meanwhile.
   */
  private void addRowsFromBeforeTheStart() {
    try (KeyValueIterator<String, byte[]> rows = marks.all()) {
      rows.forEachRemaining(row -> changedSinceCount.computeIfAbsent(row.key,
          participantId -> new Change(row.value, decode(current.currentStatus(participantId)))));
    }
  }

  private ParticipantStatus decode(byte[] encoded) {
    return encoded == null || encoded.length == 0 ? null
        : statuses.deserialize(Topics.PARTICIPANT_STATUS.name(), encoded);
  }
}
