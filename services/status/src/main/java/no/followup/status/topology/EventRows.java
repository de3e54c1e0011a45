package no.followup.status.topology;

import java.util.ArrayList;
import java.util.List;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Reads a participant's kept events from store {@value StatusTopology#EVENTS_STORE}, in fold order. */
public final class EventRows {

  private EventRows() {}

  public static List<FollowUpEvent> of(ReadOnlyKeyValueStore<Bytes, byte[]> rows, String participantId,
      Deserializer<FollowUpEvent> events) {
    List<FollowUpEvent> out = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> it = rows.range(FoldKeys.first(participantId, FoldKeys.POSITION_BYTES),
        FoldKeys.last(participantId, FoldKeys.POSITION_BYTES))) {
      it.forEachRemaining(row -> out.add(events.deserialize(Topics.EVENTS.name(), row.value)));
    }
    return out;
  }
}
