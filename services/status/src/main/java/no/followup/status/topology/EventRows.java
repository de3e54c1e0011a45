package no.followup.status.topology;

import java.util.ArrayList;
import java.util.List;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads a participant's kept events from store {@value StatusTopology#EVENTS_STORE}, for readers
 * outside the topology (the cohort report, the timeline): every row of the participant lies between
 * {@link #first} and {@link #last}, in fold order (occurredAt, then recordedAt, then eventId).
 */
public final class EventRows {

  private EventRows() {}

  /** Every kept event of the participant, decoded, in fold order. */
  public static List<FollowUpEvent> of(ReadOnlyKeyValueStore<Bytes, byte[]> rows, String participantId,
      Deserializer<FollowUpEvent> events) {
    List<FollowUpEvent> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = rows.range(first(participantId), last(participantId))) {
      it.forEachRemaining(row -> out.add(events.deserialize(Topics.EVENTS.name(), row.value)));
    }
    return out;
  }

  /** The participant's rows (events in registry wire format), newest first in fold order, at most {@code limit}. */
  public static List<byte[]> newestFirst(ReadOnlyKeyValueStore<Bytes, byte[]> rows, String participantId, int limit) {
    List<byte[]> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = rows.reverseRange(first(participantId), last(participantId))) {
      while (it.hasNext() && out.size() < limit) {
        out.add(it.next().value);
      }
    }
    return out;
  }

  public static Bytes first(String participantId) {
    return FoldKeys.first(participantId, FoldKeys.POSITION_BYTES);
  }

  public static Bytes last(String participantId) {
    return FoldKeys.last(participantId, FoldKeys.POSITION_BYTES);
  }
}
