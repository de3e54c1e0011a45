package no.followup.status.topology;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import no.followup.common.Topics;
import no.followup.events.FollowUpEvent;
import no.followup.events.ParticipantErased;
import no.followup.status.EventHistory;
import no.followup.status.ParticipantStatus;
import no.followup.status.StoredEvent;
import no.followup.status.rules.InvalidEventException;
import no.followup.status.rules.StatusRules;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each participant's distinct events (store {@value StatusTopology#HISTORY_STORE}) and
 * re-derives the status from all of them on every new event, through {@link StatusRules#fold}:
 * <ul>
 *   <li>a duplicate (eventId already kept) changes nothing and emits nothing;</li>
 *   <li>a late or out-of-order event is inserted at its place in occurredAt order and the whole
 *       history is folded again, so the result is the same as if it had arrived in order;</li>
 *   <li>events for a participant not (yet) enrolled are kept; the status says AWAITING_ENROLMENT
 *       until the enrolment arrives, then they count as usual;</li>
 *   <li>ParticipantErased deletes the history and the status (a tombstone downstream) and leaves
 *       only an erasure marker, so a late event cannot bring the participant back;</li>
 *   <li>an invalid event is rejected before it is kept (the processing handler sends a pointer to
 *       the dead-letter topic).</li>
 * </ul>
 * The history is kept whole: participants have at most a few hundred events, and every one of them
 * can matter to a later fold (a late enrolment, a late first COOP/WONCA score).
 *
 * <p>Emits a {@link StatusChange} when the status differs from the stored one.
 */
final class StatusFoldProcessor implements Processor<String, FollowUpEvent, String, StatusChange> {

  private static final Logger log = LoggerFactory.getLogger(StatusFoldProcessor.class);

  private static final Comparator<StoredEvent> ORDER = Comparator
      .comparing(StoredEvent::getOccurredAt)
      .thenComparing(StoredEvent::getRecordedAt)
      .thenComparing(StoredEvent::getEventId);

  private final Serde<FollowUpEvent> eventSerde;
  private ProcessorContext<String, StatusChange> context;
  private KeyValueStore<String, EventHistory> histories;
  private KeyValueStore<String, ParticipantStatus> statuses;

  StatusFoldProcessor(Serde<FollowUpEvent> eventSerde) {
    this.eventSerde = eventSerde;
  }

  @Override
  public void init(ProcessorContext<String, StatusChange> context) {
    this.context = context;
    this.histories = context.getStateStore(StatusTopology.HISTORY_STORE);
    this.statuses = context.getStateStore(StatusTopology.STATUS_STORE);
  }

  @Override
  public void process(Record<String, FollowUpEvent> record) {
    FollowUpEvent event = record.value();
    if (event == null) {
      return; // a tombstone on the event log carries nothing to apply
    }
    StatusRules.validate(event);
    String participantId = event.getParticipantId();
    if (!Objects.equals(record.key(), participantId)) {
      // the events topic must be keyed by participantId, or one participant's events would be split
      throw new InvalidEventException("record key does not match the event's participantId");
    }

    EventHistory history = histories.get(participantId);
    if (history != null && history.getErasedAt() != null) {
      log.debug("Ignored an event for erased participant {}", participantId);
      return;
    }
    if (event.getPayload() instanceof ParticipantErased) {
      erase(record, participantId, event);
      return;
    }
    String eventId = event.getEventId().toString();
    List<StoredEvent> stored = history == null ? new ArrayList<>() : new ArrayList<>(history.getEvents());
    if (stored.stream().anyMatch(e -> e.getEventId().equals(eventId))) {
      return; // duplicate: already applied
    }
    StoredEvent incoming = new StoredEvent(eventId, event.getOccurredAt(), event.getRecordedAt(),
        ByteBuffer.wrap(eventSerde.serializer().serialize(Topics.EVENTS.name(), event)));
    int at = insertionPoint(stored, incoming);
    stored.add(at, incoming);

    List<FollowUpEvent> events = new ArrayList<>(stored.size());
    for (StoredEvent e : stored) {
      events.add(e == incoming ? event : decode(e));
    }
    ParticipantStatus current = StatusRules.fold(participantId, events);
    histories.put(participantId, new EventHistory(participantId, null, stored));

    ParticipantStatus previous = statuses.get(participantId);
    if (!sameContent(current, previous)) {
      statuses.put(participantId, current);
      context.forward(record.withValue(new StatusChange(participantId, previous, current)));
    }
  }

  private void erase(Record<String, FollowUpEvent> record, String participantId, FollowUpEvent event) {
    ParticipantStatus previous = statuses.get(participantId);
    histories.put(participantId, new EventHistory(participantId, event.getOccurredAt(), List.of()));
    statuses.delete(participantId);
    log.info("Erased participant {}", participantId);
    if (previous != null) {
      context.forward(record.withValue(new StatusChange(participantId, previous, null)));
    }
  }

  /**
   * Compares by encoded bytes: Avro's equals breaks on arrays read back from a store (they compare
   * their elements with a data model that does not know the timestamp conversions).
   */
  static boolean sameContent(ParticipantStatus a, ParticipantStatus b) {
    if (a == null || b == null) {
      return a == b;
    }
    try {
      return a.toByteBuffer().equals(b.toByteBuffer());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int insertionPoint(List<StoredEvent> stored, StoredEvent incoming) {
    int i = stored.size();
    while (i > 0 && ORDER.compare(stored.get(i - 1), incoming) > 0) {
      i--;
    }
    return i;
  }

  private FollowUpEvent decode(StoredEvent e) {
    ByteBuffer buffer = e.getEvent().duplicate();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return eventSerde.deserializer().deserialize(Topics.EVENTS.name(), bytes);
  }
}
