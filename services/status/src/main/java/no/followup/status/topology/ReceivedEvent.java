package no.followup.status.topology;

import no.followup.events.FollowUpEvent;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * An event as read from the events topic: decoded (and unsealed) for the fold, and the record's own
 * bytes, which the fold keeps as the event's row. Keeping the bytes as they came saves encoding
 * every event again, keeps the row under the writer's schema id (readable as the contract
 * evolves) and keeps sealed payloads sealed at rest in the store and its changelog.
 */
record ReceivedEvent(FollowUpEvent event, byte[] encoded) {

  /** Reads with {@code events} (the events topic's serde, unsealing when it can); writes the kept bytes. */
  static Serde<ReceivedEvent> serde(Serde<FollowUpEvent> events) {
    Deserializer<FollowUpEvent> decoder = events.deserializer();
    Deserializer<ReceivedEvent> deserializer = new Deserializer<>() {
      @Override
      public ReceivedEvent deserialize(String topic, byte[] data) {
        return of(decoder.deserialize(topic, data), data);
      }

      @Override
      public ReceivedEvent deserialize(String topic, Headers headers, byte[] data) {
        return of(decoder.deserialize(topic, headers, data), data);
      }
    };
    Serializer<ReceivedEvent> serializer = (topic, received) -> received == null ? null : received.encoded();
    return Serdes.serdeFrom(serializer, deserializer);
  }

  private static ReceivedEvent of(FollowUpEvent event, byte[] data) {
    return event == null ? null : new ReceivedEvent(event, data);
  }
}
