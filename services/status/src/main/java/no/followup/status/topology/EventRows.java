package no.followup.status.topology;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The key range of one participant's rows in {@value StatusTopology#EVENTS_STORE}, for readers
 * outside the topology (the timeline query): every row of the participant lies between
 * {@link #first} and {@link #last}, in fold order.
 */
public final class EventRows {

  private EventRows() {}

  /**
   * The participant's rows (events in registry wire format), newest first in fold order (occurredAt,
   * then recordedAt, then eventId), at most {@code limit}.
   */
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
